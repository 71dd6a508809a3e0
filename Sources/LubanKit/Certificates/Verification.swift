import Foundation
import GRDB

// MARK: - Verifying certificates

/// The answer to "is this certificate genuine and standing?".
public enum VerificationVerdict: Sendable, Equatable {
    case valid(number: String, detail: Phrase)
    case revoked(number: String, on: String, reason: String)
    case invalid(Phrase)

    /// `VALID …`, `REVOKED …` or `INVALID …`: the one line the command prints. The English
    /// word leads in both languages (scripts look for it); in Chinese, the Chinese word follows.
    public var line: String {
        let zh = Language.current == .zh
        switch self {
        case .valid(let n, let d): return "VALID\(zh ? " 有效" : "") \(n): \(Visible.text(d.text()))"
        case .revoked(let n, let on, let r):
            return zh ? "REVOKED 已撤销 \(n)，撤销于 \(on)：\(Visible.text(r))" : "REVOKED \(n) on \(on): \(Visible.text(r))"
        case .invalid(let why): return "INVALID\(zh ? " 无效" : ""): \(Visible.text(why.text()))"
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
            return .invalid(Phrase(zh: "公钥不是 ed25519 密钥（ed25519:<base64>）", en: "the public key is not an ed25519 key (ed25519:<base64>)"))
        }
        let reading: CertificateDocument.Reading
        switch CertificateDocument.read(bytes) {
        case .failure(.notUTF8):
            return .invalid(Phrase(zh: "文件不是 UTF-8 文本；它是 luban 打印的证书吗？", en: "the file is not UTF-8 text; is it a certificate printed by luban?"))
        case .failure(.noSignatureBlock):
            return .invalid(
                Phrase(
                    zh: "文件末尾没有 luban 的签名块；它是 luban 打印的证书吗（一个文件一张证书）？",
                    en: "the file does not end with luban's signature block; is it a certificate printed by luban (one certificate a file)?"))
        case .success(let r): reading = r
        }
        guard IssuerKey.verify(signature: reading.signature, of: reading.message, publicKey: publicKey) else {
            if !reading.keyFingerprint.isEmpty && reading.keyFingerprint != given {
                return .invalid(
                    Phrase(
                        zh: "证书写明由密钥 \(reading.keyFingerprint) 签名，而给出的是 \(given)；请向签发方索取公钥",
                        en:
                            "the certificate says it was signed by key \(reading.keyFingerprint), you gave \(given); get the public key from the issuer"
                    ))
            }
            return .invalid(
                Phrase(
                    zh: "签名与证书内容不符：证书在打印后被改动过，或不是用此密钥签发的",
                    en: "the signature does not match what the certificate says: it was changed after printing, or was not issued with this key"))
        }
        let number = reading.number
        if let revoked = reading.revoked {
            let (on, reason) = splitRevocation(revoked)
            return .revoked(number: number, on: on, reason: reason)
        }
        guard let register else {
            return .valid(
                number: number, detail: Phrase(zh: "签名无误（手边没有登记簿，未核对是否撤销）", en: "signature good (no register at hand to check revocation)"))
        }
        return registerVerdict(number: number, database: register, publicKey: publicKey, what: Phrase(zh: "签名无误", en: "signature good"))
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
        case .failure(let p): return .invalid(p.phrase)
        case .success(let n):
            return registerVerdict(
                number: n.description, database: database, publicKey: publicKey, what: Phrase(zh: "校验位无误", en: "check character good"))
        }
    }

    static func registerVerdict(number: String, database: LubanDatabase, publicKey: String, what: Phrase) -> VerificationVerdict {
        let entry: RegisterEntry
        var problems: [Phrase]
        let notInRegister = Phrase(zh: "登记簿中没有 \(number)", en: "\(number) is not in the register")
        do {
            guard let e = try database.register(numbers: [number]).first else { return .invalid(notInRegister) }
            entry = e
            problems = try database.read { db in try LubanDatabase.sealProblems(publicKey: publicKey, db) }
        } catch {
            return .invalid(notInRegister)
        }
        if let recorded = try? database.issuerPublicKey(), recorded != publicKey {
            let (r, g) = (IssuerKey.fingerprint(ofPublicKey: recorded) ?? "?", IssuerKey.fingerprint(ofPublicKey: publicKey) ?? "?")
            problems.append(Phrase(zh: "登记簿记录的签发密钥是 \(r)，不是 \(g)", en: "the register records issuer key \(r), not \(g)"))
        }
        problems += registerProblems(entry, publicKey: publicKey)
        if !problems.isEmpty {
            let all = Phrase.joined(problems)
            return .invalid(Phrase(zh: "\(number)：登记簿被改动过：\(all.zh)", en: "\(number): the register was altered: \(all.en)"))
        }
        let c = entry.certificate
        if c.status == .revoked { return .revoked(number: number, on: c.revokedOn?.description ?? "?", reason: c.revokeReason ?? "") }
        let tier = entry.tier?.title ?? c.tier
        let erased = entry.trainee.forgottenOn != nil
        return .valid(
            number: number,
            detail: Phrase(
                zh: "\(what.zh)；登记簿：\(tier)，\(erased ? "（持证人信息已应要求删除）" : entry.holderName)，期次 \(entry.cohort.code)，签发于 \(c.issuedOn)",
                en:
                    "\(what.en); register: \(tier), \(erased ? "(holder erased on request)" : entry.holderName), cohort \(entry.cohort.code), issued \(c.issuedOn)"
            ))
    }

    /// What is wrong with a register entry: the statement no longer matches the records, its
    /// signature does not verify, or its status is not the one the issuer signed. Empty when
    /// the entry is as issued (and, if revoked, as revoked).
    public static func registerProblems(_ entry: RegisterEntry, publicKey: String) -> [Phrase] {
        let c = entry.certificate
        var problems: [Phrase] = []
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
            let fields = changed.isEmpty ? "payload" : changed.joined(separator: ", ")
            problems.append(Phrase(zh: "记录与签名时的内容不再相符（\(fields)）", en: "the records no longer match what was signed (\(fields))"))
        }
        if !IssuerKey.verify(signature: c.signature, of: stored, publicKey: publicKey) {
            problems.append(Phrase(zh: "存储的签名无法用签发密钥验证", en: "the stored signature does not verify with the issuer key"))
        }
        switch (c.status, c.revocationSignature) {
        case (.revoked, let signature?):
            let statement = RevocationStatement(number: c.number, revokedOn: c.revokedOn ?? c.issuedOn, reason: c.revokeReason ?? "")
            if c.revokedOn == nil || !IssuerKey.verify(signature: signature, of: statement.text, publicKey: publicKey) {
                problems.append(Phrase(zh: "其撤销记录（日期或原因）与签发方签署的不同", en: "its revocation (date or reason) is not what the issuer signed"))
            }
        case (.revoked, nil):
            problems.append(
                Phrase(
                    zh: "标为已撤销却没有签名的撤销记录（被手工撤销；或在撤销需签名之前撤销，升级后登记簿未加封）",
                    en:
                        "it is marked revoked without a signed revocation (revoked by hand; or revoked before revocations were signed, and the upgraded register was not sealed)"
                ))
        case (.valid, _?):
            problems.append(
                Phrase(zh: "标为有效却带有签名的撤销记录：被手工取消了撤销", en: "it is marked valid but carries a signed revocation: it was un-revoked by hand"))
        case (.valid, nil):
            break
        }
        return problems
    }
}
