import Foundation
import LubanCrypto

// MARK: - What the register signs

/// The canonical statement of a certificate that the issuer signs when it is issued.
///
/// It names the holder only by a salted digest of name and ID number, so that a person who
/// asks to be forgotten can be erased while the certificate stays verifiable by its number; and
/// a name or ID number changed by hand in the database no longer matches the digest.
public struct CertificatePayload: Sendable, Equatable {
    public var number: String
    public var tier: String
    public var program: String
    public var cohort: String
    public var trainee: String
    public var holderDigest: String
    public var hours: [SessionKind: Double]
    public var techniques: [String]
    public var issuedOn: CalendarDate

    /// The signed text: one `key: value` line each, in a fixed order.
    public var text: String {
        [
            "luban certificate v1",
            "number: \(number)",
            "tier: \(tier)",
            "program: \(program)",
            "cohort: \(cohort)",
            "trainee: \(trainee)",
            "holder: \(holderDigest)",
            "classroom_hours: \(Hours.format(hours[.classroom] ?? 0))",
            "field_hours: \(Hours.format(hours[.field] ?? 0))",
            "demonstration_hours: \(Hours.format(hours[.demonstration] ?? 0))",
            "techniques: \(techniques.joined(separator: "、"))",
            "issued_on: \(issuedOn)",
        ].joined(separator: "\n")
    }

    /// The reader beside the writer: a signed statement's `key: value` lines (the first line,
    /// its kind and version, under the key ""). Every statement luban signs (issue,
    /// revocation, seal) is written in this form.
    public static func fields(of statement: String) -> [(key: String, value: String)] {
        statement.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
            guard i > 0, let colon = line.range(of: ": ") else { return ("", String(line)) }
            return (String(line[..<colon.lowerBound]), String(line[colon.upperBound...]))
        }
    }

    /// One field of a signed statement, or nil.
    public static func field(_ key: String, of statement: String) -> String? {
        fields(of: statement).first { $0.key == key }?.value
    }

    /// SHA-256 (hex) of the salt, the name and the ID number.
    public static func holderDigest(salt: String, name: String, idNumber: String) -> String {
        SHA256.hash("\(salt)\n\(name)\n\(idNumber)").hex
    }
}

/// What the issuer signs when it revokes a certificate, so that a revocation is as
/// tamper-evident as an issue.
public struct RevocationStatement: Sendable, Equatable {
    public var number: String
    public var revokedOn: CalendarDate
    public var reason: String

    public var text: String {
        ["luban revocation v1", "number: \(number)", "revoked_on: \(revokedOn)", "reason: \(reason)"].joined(separator: "\n")
    }
}

/// The register as a whole, signed after every issue and revocation: how many certificates
/// there are and which are revoked. Setting a revoked certificate back to valid, or deleting a
/// certificate, by hand no longer matches the seal, and only the issuer key can sign a new one.
public struct RegisterSeal: Sendable, Equatable {
    public var certificates: Int
    /// The revoked numbers, sorted.
    public var revoked: [String]

    public var text: String {
        [
            "luban register seal v1", "certificates: \(certificates)", "revoked: \(revoked.count)",
            "revoked_numbers_sha256: \(SHA256.hash(revoked.joined(separator: "\n")).hex)",
        ].joined(separator: "\n")
    }
}
