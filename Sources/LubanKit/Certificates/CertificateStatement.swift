import Foundation

// MARK: - What a certificate's QR code holds

/// A certificate in a few lines a phone camera shows as text, signed: the number, the holder's
/// name and masked ID number, the cohort, the tier, the hours, the techniques, the date (and a
/// revocation, on a certificate printed after it), then one line with the key's fingerprint
/// and the Ed25519 signature. The signature covers a domain line and every line before the
/// signature line, each followed by LF, so no line can be added, dropped, changed or reordered.
/// It holds the ID number masked, unless the office prints the certificate with the number in
/// full (`showID`): then the statement signs it in full, as the page shows it.
public enum CertificateStatement {
    /// Put before the lines in the signed message, so that this signature can never pass for
    /// one over anything else luban signs.
    static let domain = "luban certificate statement v1\n"
    static let signaturePrefix = "签名 "
    static let numberPrefix = "编号 "
    static let statusPrefix = "状态 "
    static let revokedWord = "已撤销 REVOKED"
    /// How a PDF's keywords begin when they carry the statement (base64 after it).
    static let pdfKeyword = "luban-statement-v1:"

    /// The lines of the statement for a register entry, before the signature.
    static func lines(_ entry: RegisterEntry, showID: Bool = false) -> [String] {
        let c = entry.certificate
        let tier = entry.tier?.title ?? c.tier
        // The programme's short name (鲁班工程, before its subtitle): the code stays small enough to scan.
        let program = String(entry.curriculum.title.split(separator: "：").first ?? Substring(entry.curriculum.title))
        let name = entry.trainee.forgottenOn == nil ? entry.holderName : "(erased)"
        let id = entry.holderID.map { showID ? $0 : Mask.idNumber($0) } ?? "(erased)"
        let cohort = entry.cohort
        var lines = [
            "\(program) \(tier)",
            numberPrefix + c.number,
            "持证人 \(name) \(id)",
            "期次 \(cohort.code) \(cohort.title ?? "") \(cohort.startDate)至\(cohort.endDate) \(cohort.site)".replacingOccurrences(of: "  ", with: " "),
            "学时 课堂\(Hours.format(c.classroomHours)) 实地\(Hours.format(c.fieldHours)) 演示\(Hours.format(c.demonstrationHours))",
            "技艺 \(entry.techniques.joined(separator: "、"))",
            "签发 \(c.issuedOn) \(entry.curriculum.organisations.first ?? "")",
        ]
        if c.status == .revoked { lines.append(statusPrefix + "\(revokedWord) \(c.revokedOn?.description ?? "")：\(c.revokeReason ?? "")") }
        lines.append(verifyPrefix + "luban certificate verify")
        // Whatever a record holds reaches the statement one line each, visibly.
        return lines.map { Visible.text($0).trailingSpacesTrimmed }
    }

    /// The statement for `entry`, signed with `key`.
    public static func text(_ entry: RegisterEntry, key: IssuerKey, showID: Bool = false) throws(LubanError) -> String {
        let lines = lines(entry, showID: showID)
        let signature = try key.sign(message(lines.map { Array($0.utf8) }))
        return (lines + [signaturePrefix + key.fingerprint + " " + signature]).joined(separator: "\n") + "\n"
    }

    static func message(_ lines: [[UInt8]]) -> [UInt8] { CertificateDocument.signedMessage(domain: domain, lines) }

    /// The words a statement signs, one line each, as a page must read: its lines before the
    /// signature, without the line that says how to verify.
    static func signedWords(_ text: String) -> [String] {
        var lines = CertificateDocument.normalisedLines(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        while lines.first?.trimmed.isEmpty == true { lines.removeFirst() }
        if lines.last?.hasPrefix(signaturePrefix) == true { lines.removeLast() }
        return signedWords(lines: lines)
    }

    static func signedWords(lines: [String]) -> [String] { lines.filter { !$0.hasPrefix(verifyPrefix) }.map(Visible.text) }

    /// The statement's last line before the signature: how to verify it.
    static let verifyPrefix = "验证 "

    /// Whether `text` looks like a statement (a phone's scan pasted, or a file holding one).
    public static func looksLikeOne(_ text: String) -> Bool {
        text.contains("\n" + signaturePrefix) && text.contains("\n" + numberPrefix)
    }

    /// A statement as luban signed it: the lines (trailing spaces, CR and a byte-order mark
    /// dropped, blank lines at either end dropped), and its signature line.
    struct Reading: Equatable {
        var number: String
        var revoked: String?
        var keyFingerprint: String
        var signature: String
        var message: [UInt8]
    }

    static func read(_ text: String) -> Reading? {
        var lines = CertificateDocument.normalisedLines(Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        while lines.first?.trimmed.isEmpty == true { lines.removeFirst() }
        guard let last = lines.last, last.hasPrefix(signaturePrefix) else { return nil }
        let parts = last.dropFirst(signaturePrefix.count).split(separator: " ")
        guard parts.count == 2 else { return nil }
        let body = lines.dropLast()
        guard let numberLine = body.first(where: { $0.hasPrefix(numberPrefix) }) else { return nil }
        let revoked = body.first { $0.hasPrefix(statusPrefix + revokedWord) }.map { String($0.dropFirst((statusPrefix + revokedWord + " ").count)) }
        return Reading(
            number: String(numberLine.dropFirst(numberPrefix.count)).trimmed, revoked: revoked, keyFingerprint: String(parts[0]),
            signature: String(parts[1]), message: message(body.map { Array($0.utf8) }))
    }
}

extension Verification {
    /// Checks a certificate's statement (what its QR code holds, as a phone shows it): its
    /// signature against `publicKey`; a statement stamped revoked is REVOKED even offline; then,
    /// with a register at hand, that the number is there, intact and not revoked.
    public static func verify(statement text: String, publicKey: String, register: LubanDatabase?) -> VerificationVerdict {
        guard let given = IssuerKey.fingerprint(ofPublicKey: publicKey) else {
            return .invalid(Phrase(zh: "公钥不是 ed25519 密钥（ed25519:<base64>）", en: "the public key is not an ed25519 key (ed25519:<base64>)"))
        }
        guard let reading = CertificateStatement.read(text) else {
            return .invalid(
                Phrase(
                    zh: "这不是 luban 证书的声明：最后一行须是“签名 指纹 签名值”",
                    en: "this is not a luban certificate statement: its last line must be \"签名 FINGERPRINT SIGNATURE\""))
        }
        guard IssuerKey.verify(signature: reading.signature, of: reading.message, publicKey: publicKey) else {
            if reading.keyFingerprint != given {
                return .invalid(
                    Phrase(
                        zh: "声明写明由密钥 \(reading.keyFingerprint) 签名，而给出的是 \(given)；请向签发方索取公钥",
                        en: "the statement says it was signed by key \(reading.keyFingerprint), you gave \(given); get the public key from the issuer"
                    ))
            }
            return .invalid(
                Phrase(
                    zh: "签名与声明内容不符：声明被改动过，或不是用此密钥签发的",
                    en: "the signature does not match what the statement says: it was changed, or was not issued with this key"))
        }
        if let revoked = reading.revoked {
            let (on, reason) = splitRevocation(revoked)
            return .revoked(number: reading.number, on: on, reason: reason)
        }
        guard let register else {
            return .valid(
                number: reading.number,
                detail: Phrase(zh: "签名无误（手边没有登记簿，未核对是否撤销）", en: "signature good (no register at hand to check revocation)"))
        }
        return registerVerdict(number: reading.number, database: register, publicKey: publicKey, what: Phrase(zh: "签名无误", en: "signature good"))
    }

    /// The statement a luban PDF carries in its document information (its keywords,
    /// `luban-statement-v1:` and base64), or nil when the file has none. The document
    /// information is read as a PDF reader reads it (`PDFInformation`): after a re-save by
    /// another program, or an incremental update, the keywords in force are the last ones.
    public static func statement(inPDF bytes: [UInt8]) -> String? {
        guard case .success(let keywords?) = PDFInformation.keywords(of: bytes) else { return nil }
        guard let range = keywords.range(of: CertificateStatement.pdfKeyword) else { return nil }
        let encoded = keywords[range.upperBound...].prefix { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(encoded)) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
