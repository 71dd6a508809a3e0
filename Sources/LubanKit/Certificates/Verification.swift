import Foundation
import GRDB

// MARK: - Verifying certificates

/// The answer to "is this certificate genuine and standing?".
public enum VerificationVerdict: Sendable, Equatable {
    case valid(number: String, detail: String)
    case revoked(number: String, on: String, reason: String)
    case invalid(String)

    /// `VALID …`, `REVOKED …` or `INVALID …`: the one line the command prints.
    public var line: String {
        switch self {
        case .valid(let n, let d): return "VALID \(n): \(Visible.text(d))"
        case .revoked(let n, let on, let r): return "REVOKED \(n) on \(on): \(Visible.text(r))"
        case .invalid(let why): return "INVALID: \(Visible.text(why))"
        }
    }

    public var isValid: Bool { if case .valid = self { return true } else { return false } }
}

public enum Verification {
    /// Checks a printed certificate file: the signature over the whole file against
    /// `publicKey`; a printout stamped revoked is REVOKED even offline; then, when a register
    /// is at hand, that the number is there, intact and not revoked.
    public static func verify(file bytes: [UInt8], publicKey: String, register: LubanDatabase?) -> VerificationVerdict {
        guard let given = IssuerKey.fingerprint(ofPublicKey: publicKey) else {
            return .invalid("the public key is not an ed25519 key (ed25519:<base64>)")
        }
        let reading: CertificateDocument.Reading
        switch CertificateDocument.read(bytes) {
        case .failure(.notUTF8): return .invalid("the file is not UTF-8 text; is it a certificate printed by luban?")
        case .failure(.noSignatureBlock):
            return .invalid("the file does not end with luban's signature block; is it a certificate printed by luban (one certificate a file)?")
        case .success(let r): reading = r
        }
        guard IssuerKey.verify(signature: reading.signature, of: reading.message, publicKey: publicKey) else {
            if !reading.keyFingerprint.isEmpty && reading.keyFingerprint != given {
                return .invalid(
                    "the certificate says it was signed by key \(reading.keyFingerprint), you gave \(given); get the public key from the issuer")
            }
            return .invalid("the signature does not match what the certificate says: it was changed after printing, or was not issued with this key")
        }
        let number = reading.number
        if let revoked = reading.revoked {
            let (on, reason) = splitRevocation(revoked)
            return .revoked(number: number, on: on, reason: reason)
        }
        guard let register else {
            return .valid(number: number, detail: "signature good (no register at hand to check revocation)")
        }
        return registerVerdict(number: number, database: register, publicKey: publicKey, what: "signature good")
    }

    /// `2014-05-01：重复录入` as printed on a revoked certificate.
    static func splitRevocation(_ text: String) -> (String, String) {
        guard let colon = text.firstIndex(of: "：") else { return (text, "") }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// Checks a number: its check character, then the register and the register's own
    /// signatures, judged by `publicKey` (the pinned issuer key, never the database's own).
    public static func verify(number text: String, database: LubanDatabase, publicKey: String) -> VerificationVerdict {
        switch CertificateNumber.parse(text) {
        case .failure(let p): return .invalid(p.reason)
        case .success(let n): return registerVerdict(number: n.description, database: database, publicKey: publicKey, what: "check character good")
        }
    }

    static func registerVerdict(number: String, database: LubanDatabase, publicKey: String, what: String) -> VerificationVerdict {
        let entry: RegisterEntry
        var problems: [String]
        do {
            guard let e = try database.register(numbers: [number]).first else { return .invalid("\(number) is not in the register") }
            entry = e
            problems = try database.read { db in try LubanDatabase.sealProblems(publicKey: publicKey, db) }
        } catch {
            return .invalid("\(number) is not in the register")
        }
        if let recorded = try? database.issuerPublicKey(), recorded != publicKey {
            problems.append(
                "the register records issuer key \(IssuerKey.fingerprint(ofPublicKey: recorded) ?? "?"), not \(IssuerKey.fingerprint(ofPublicKey: publicKey) ?? "?")"
            )
        }
        problems += registerProblems(entry, publicKey: publicKey)
        if !problems.isEmpty { return .invalid("\(number): the register was altered: \(problems.joined(separator: "; "))") }
        let c = entry.certificate
        if c.status == .revoked { return .revoked(number: number, on: c.revokedOn?.description ?? "?", reason: c.revokeReason ?? "") }
        let tier = entry.tier?.title ?? c.tier
        return .valid(
            number: number,
            detail:
                "\(what); register: \(tier), \(entry.trainee.forgottenOn == nil ? entry.holderName : "(holder erased on request)"), cohort \(entry.cohort.code), issued \(c.issuedOn)"
        )
    }

    /// What is wrong with a register entry: the statement no longer matches the records, its
    /// signature does not verify, or its status is not the one the issuer signed. Empty when
    /// the entry is as issued (and, if revoked, as revoked).
    public static func registerProblems(_ entry: RegisterEntry, publicKey: String) -> [String] {
        let c = entry.certificate
        var problems: [String] = []
        let stored = c.payload
        let holder: String
        if entry.trainee.forgottenOn == nil, let id = entry.holderID {
            holder = CertificatePayload.holderDigest(salt: c.holderSalt, name: entry.holderName, idNumber: id)
        } else {
            holder = CertificatePayload.field("holder", of: stored) ?? ""
        }
        let expected = CertificatePayload(
            number: c.number, tier: c.tier, program: entry.curriculum.id, cohort: entry.cohort.code,
            trainee: entry.trainee.code, holderDigest: holder,
            hours: [.classroom: c.classroomHours, .field: c.fieldHours, .demonstration: c.demonstrationHours],
            techniques: entry.techniques, issuedOn: c.issuedOn
        ).text
        if expected != stored {
            let changed = zip(CertificatePayload.fields(of: stored), CertificatePayload.fields(of: expected)).filter { $0 != $1 }.map(\.0.key)
            problems.append("the records no longer match what was signed (\(changed.isEmpty ? "payload" : changed.joined(separator: ", ")))")
        }
        if !IssuerKey.verify(signature: c.signature, of: stored, publicKey: publicKey) {
            problems.append("the stored signature does not verify with the issuer key")
        }
        switch (c.status, c.revocationSignature) {
        case (.revoked, let signature?):
            let statement = RevocationStatement(number: c.number, revokedOn: c.revokedOn ?? c.issuedOn, reason: c.revokeReason ?? "")
            if c.revokedOn == nil || !IssuerKey.verify(signature: signature, of: statement.text, publicKey: publicKey) {
                problems.append("its revocation (date or reason) is not what the issuer signed")
            }
        case (.revoked, nil):
            problems.append(
                "it is marked revoked without a signed revocation (revoked by hand; or revoked before revocations were signed, and the upgraded register was not sealed)"
            )
        case (.valid, _?):
            problems.append("it is marked valid but carries a signed revocation: it was un-revoked by hand")
        case (.valid, nil):
            break
        }
        return problems
    }
}
