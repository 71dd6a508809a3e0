import Foundation
import GRDB

// MARK: - Verifying certificates

/// The answer to "is this certificate genuine and standing?".
public enum VerificationVerdict: Sendable, Equatable {
    case valid(number: String, detail: String)
    case revoked(number: String, on: CalendarDate?, reason: String)
    case invalid(String)

    /// `VALID …`, `REVOKED …` or `INVALID …`: the one line the command prints.
    public var line: String {
        switch self {
        case .valid(let n, let d): return "VALID \(n): \(d)"
        case .revoked(let n, let on, let r): return "REVOKED \(n) on \(on?.description ?? "?"): \(r)"
        case .invalid(let why): return "INVALID: \(why)"
        }
    }

    public var isValid: Bool { if case .valid = self { return true } else { return false } }
}

public enum Verification {
    /// Checks a printed certificate file: the signature over what it says against `publicKey`,
    /// then, when a register is at hand, that the number is there and not revoked.
    public static func verify(file text: String, publicKey: String, register: LubanDatabase?) -> VerificationVerdict {
        guard IssuerKey.publicKeyBytes(publicKey) != nil else { return .invalid("the public key is not an ed25519 key (ed25519:<base64>)") }
        guard let reading = CertificateDocument.read(text) else {
            return .invalid("the file has no luban signature block; is it a certificate printed by luban certificate print?")
        }
        guard IssuerKey.verify(signature: reading.signature, of: reading.signedText, publicKey: publicKey) else {
            return .invalid("the signature does not match what the certificate says: it was changed after printing, or was not issued with this key")
        }
        guard let number = reading.number else { return .invalid("the certificate has no number line") }
        guard let register else {
            return .valid(number: number, detail: "signature good (no register at hand to check revocation)")
        }
        return registerVerdict(number: number, database: register, publicKey: publicKey, what: "signature good")
    }

    /// Checks a number: its check character, then the register and the register's own signature.
    public static func verify(number text: String, database: LubanDatabase, publicKey: String?) -> VerificationVerdict {
        switch CertificateNumber.parse(text) {
        case .failure(let p): return .invalid(p.reason)
        case .success(let n):
            let key: String?
            if let publicKey {
                key = publicKey
            } else {
                do { key = try database.issuerPublicKey() } catch { return .invalid(error.errorDescription ?? "\(error)") }
            }
            guard let key else { return .invalid("no issuer key is recorded in this database; give --public-key") }
            return registerVerdict(number: n.description, database: database, publicKey: key, what: "check character good")
        }
    }

    static func registerVerdict(number: String, database: LubanDatabase, publicKey: String, what: String) -> VerificationVerdict {
        let entry: RegisterEntry
        do {
            guard let e = try database.register(numbers: [number]).first else { return .invalid("\(number) is not in the register") }
            entry = e
        } catch {
            return .invalid("\(number) is not in the register")
        }
        let problems = registerProblems(entry, publicKey: publicKey)
        if !problems.isEmpty { return .invalid("\(number): the register entry was altered: \(problems.joined(separator: "; "))") }
        let c = entry.certificate
        if c.status == .revoked { return .revoked(number: number, on: c.revokedOn, reason: c.revokeReason ?? "") }
        let tier = entry.tier?.title ?? c.tier
        return .valid(number: number, detail: "\(what); register: \(tier), \(entry.trainee.forgottenOn == nil ? entry.trainee.name : "(holder erased on request)"), cohort \(entry.cohort.code), issued \(c.issuedOn)")
    }

    /// What is wrong with a register entry: the statement no longer matches the records, or
    /// its signature does not verify. Empty when the entry is as issued.
    public static func registerProblems(_ entry: RegisterEntry, publicKey: String) -> [String] {
        let c = entry.certificate
        var problems: [String] = []
        let stored = c.payload
        let holder: String
        if entry.trainee.forgottenOn == nil, let id = entry.trainee.idNumber {
            holder = CertificatePayload.holderDigest(salt: c.holderSalt, name: entry.trainee.name, idNumber: id)
        } else {
            holder = stored.components(separatedBy: "\n").first { $0.hasPrefix("holder: ") }.map { String($0.dropFirst(8)) } ?? ""
        }
        let expected = CertificatePayload(number: c.number, tier: c.tier, program: entry.curriculum.id, cohort: entry.cohort.code,
                                          trainee: entry.trainee.code, holderDigest: holder,
                                          hours: [.classroom: c.classroomHours, .field: c.fieldHours, .demonstration: c.demonstrationHours],
                                          techniques: entry.techniques, issuedOn: c.issuedOn).text
        if expected != stored {
            let a = stored.components(separatedBy: "\n"), b = expected.components(separatedBy: "\n")
            let changed = zip(a, b).filter { $0 != $1 }.map { $0.0.components(separatedBy: ":").first ?? "" }
            problems.append("the records no longer match what was signed (\(changed.isEmpty ? "payload" : changed.joined(separator: ", ")))")
        }
        if !IssuerKey.verify(signature: c.signature, of: stored, publicKey: publicKey) {
            problems.append("the stored signature does not verify with the issuer key")
        }
        return problems
    }
}
