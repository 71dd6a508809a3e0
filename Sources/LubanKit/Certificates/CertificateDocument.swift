import Foundation

// MARK: - The printed certificate

/// Languages a certificate is printed in.
public enum CertificateLanguage: String, CaseIterable, Sendable {
    case zh, en, both
}

/// Renders a certificate to framed text and signs it; reads one back.
///
/// The signature covers the whole file, every line in order, with the signature's own 88
/// characters replaced by `#`. The signature block is found by its position (always the last
/// lines of the frame), never by what a line contains, so a line added anywhere, even one that
/// imitates a signature line, is part of what was signed and makes the file INVALID.
/// `docs/VERIFYING.md` gives the exact bytes.
public enum CertificateDocument {
    /// Put before the file's lines in the signed message, so that a signature over a printed
    /// certificate can never pass for a signature over anything else luban signs.
    static let domain = "luban printed certificate v2\n"
    static let signaturePrefixes = ["| 签名 Ed25519 (1/2): ", "| 签名 Ed25519 (2/2): "]
    static let signaturePartLength = 44
    static let numberPrefix = "| 编号 Number: "
    static let statusPrefix = "| 状态 Status: "
    static let keyPrefix = "| 公钥 Key: "
    static let revokedWord = "已撤销 REVOKED"
    static let validWord = "有效 valid"

    /// The values a template sees (see Reports/README.md).
    public static func values(_ entry: RegisterEntry, showID: Bool, cohortCount: Int) -> [String: Any] {
        let c = entry.certificate
        let cur = entry.curriculum
        let tier = entry.tier
        let hours = c.classroomHours + c.fieldHours + c.demonstrationHours
        // Every stored text is made visible before it reaches the template, so a newline or a
        // bidi control in a name cannot add or reorder lines of a certificate.
        let texts: [String: String] = [
            "organisations": cur.organisations.joined(separator: "  "),
            "organisations_en": cur.organisations.joined(separator: " / "),
            "program": cur.title,
            "program_en": cur.titleEn ?? cur.title,
            "tier_title": tier?.title ?? c.tier,
            "tier_title_en": tier?.titleEn ?? tier?.title ?? c.tier,
            "name": entry.trainee.forgottenOn == nil ? entry.holderName : "(erased on request)",
            "id_number": entry.holderID.map { showID ? $0 : Mask.idNumber($0) } ?? "(erased)",
            "cohort_code": entry.cohort.code,
            "cohort_title": entry.cohort.title ?? entry.cohort.code,
            "start": entry.cohort.startDate.description,
            "end": entry.cohort.endDate.description,
            "site": entry.cohort.site,
            "classroom_hours": Hours.format(c.classroomHours),
            "field_hours": Hours.format(c.fieldHours),
            "demonstration_hours": Hours.format(c.demonstrationHours),
            "total_hours": Hours.format(hours),
            "techniques": entry.techniques.joined(separator: "、"),
            "number": c.number,
            "issued_on": c.issuedOn.description,
            "issuer": cur.organisations.first ?? "",
            "assessors": entry.assessors.map { "\($0.technique)（\($0.expert)）" }.joined(separator: "、"),
        ]
        var values: [String: Any] = texts.mapValues(Visible.text)
        values["cumulative"] = tier?.scope == .cumulative
        values["cohort_count"] = cohortCount
        return values
    }

    /// The whole printed file: template, frame, verification block, signed with `key`.
    public static func render(
        _ entry: RegisterEntry, language: CertificateLanguage, showID: Bool, cohortCount: Int,
        templates: Templates, key: IssuerKey
    ) throws(LubanError) -> String {
        let body = try templates.render("certificate-\(language.rawValue)", values(entry, showID: showID, cohortCount: cohortCount))
        var lines = body.components(separatedBy: "\n").flatMap(Self.wrapped)
        while lines.last?.isEmpty == true { lines.removeLast() }
        let c = entry.certificate
        let status: String
        if c.status == .revoked {
            let on = c.revokedOn?.description ?? ""
            lines += ["---", "~\(revokedWord) \(on)"]
            status = "\(revokedWord) \(on)：\(c.revokeReason ?? "")"
        } else {
            status = validWord
        }
        let placeholder = String(repeating: "#", count: signaturePartLength)
        lines += [
            "---", "~验证 Verification", "编号 Number: " + c.number, "状态 Status: " + status,
            "签名 Ed25519 (1/2): " + placeholder, "签名 Ed25519 (2/2): " + placeholder,
            "公钥 Key: \(key.fingerprint)  核验: luban certificate verify FILE",
        ]
        var framed = Frame.draw(lines, minimumWidth: width).map(\.trailingSpacesTrimmed)
        let signature = try key.sign(message(framed.map { Array($0.utf8) }))
        let n = framed.count
        for (k, part) in [signature.prefix(signaturePartLength), signature.dropFirst(signaturePartLength)].enumerated() {
            let line = framed[n - 4 + k]
            framed[n - 4 + k] = signaturePrefixes[k] + part + line.dropFirst(signaturePrefixes[k].count + signaturePartLength)
        }
        return framed.joined(separator: "\n") + "\n"
    }

    /// The width of a certificate's text: every template line longer is wrapped, so that a
    /// certificate in English or in both languages is as wide as one in Chinese.
    static let width = 64

    /// A template line wrapped to `width` (a centred line stays centred, line by line).
    static func wrapped(_ line: String) -> [String] {
        if line == "---" { return [line] }
        if line.hasPrefix("~") { return Visible.text(String(line.dropFirst())).wrapped(to: width).map { "~" + $0 } }
        return Visible.text(line).wrapped(to: width)
    }

    /// The signed message: the domain line, then every line followed by LF, where the lines
    /// are already normalised and the signature lines hold `#` in place of the signature.
    static func message(_ lines: [[UInt8]]) -> [UInt8] { signedMessage(domain: domain, lines) }

    /// What luban signs over lines of text: a domain line naming what they are, then every line
    /// followed by LF.
    static func signedMessage(domain: String, _ lines: [[UInt8]]) -> [UInt8] {
        var out = Array(domain.utf8)
        for line in lines {
            out += line
            out.append(0x0A)
        }
        return out
    }

    /// A file's lines as luban signs them: a UTF-8 byte-order mark at the start dropped, split
    /// at LF, spaces, tabs and CR at each line's end dropped, blank lines at the end dropped.
    static func normalisedLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> [UInt8] in
            var l = line
            while let last = l.last, last == 0x20 || last == 0x09 || last == 0x0D { l = l.dropLast() }
            return Array(l)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// What a certificate file says about itself, read from the fixed places of its signature block.
    public struct Reading: Sendable, Equatable {
        public var number: String
        /// The status line as printed: nil for valid, else the revocation date and reason.
        public var revoked: String?
        /// The key fingerprint printed on it (unverified until the signature is).
        public var keyFingerprint: String
        public var signature: String
        /// The exact bytes the signature covers.
        public var message: [UInt8]
    }

    /// Why a file cannot be read as a printed certificate.
    public enum ReadProblem: Error, Equatable, Sendable {
        case notUTF8
        case noSignatureBlock
    }

    /// Reads a printed certificate back: its signature block and the bytes the signature covers.
    public static func read(_ bytes: [UInt8]) -> Result<Reading, ReadProblem> {
        guard String(validating: bytes, as: UTF8.self) != nil else { return .failure(.notUTF8) }
        var lines = normalisedLines(bytes)
        let n = lines.count
        guard n >= 8 else { return .failure(.noSignatureBlock) }
        func after(_ prefix: String, _ line: [UInt8]) -> String? {
            let p = Array(prefix.utf8)
            guard line.starts(with: p) else { return nil }
            var rest = line.dropFirst(p.count)
            while let last = rest.last, last == 0x20 || last == 0x7C { rest = rest.dropLast() }  // spaces and the frame's |
            return String(decoding: rest, as: UTF8.self)
        }
        guard let number = after(numberPrefix, lines[n - 6]), let status = after(statusPrefix, lines[n - 5]),
            let keyText = after(keyPrefix, lines[n - 2])
        else { return .failure(.noSignatureBlock) }
        var signature = ""
        for k in 0..<2 {
            let p = Array(signaturePrefixes[k].utf8)
            let line = lines[n - 4 + k]
            guard line.starts(with: p), line.count >= p.count + signaturePartLength else { return .failure(.noSignatureBlock) }
            let part = line[p.count..<(p.count + signaturePartLength)]
            signature += String(decoding: part, as: UTF8.self)
            lines[n - 4 + k].replaceSubrange(
                p.count..<(p.count + signaturePartLength), with: repeatElement(UInt8(ascii: "#"), count: signaturePartLength))
        }
        let revoked: String? = status.hasPrefix(revokedWord) ? String(status.dropFirst(revokedWord.count)).trimmed : nil
        return .success(
            Reading(
                number: number, revoked: revoked, keyFingerprint: String(keyText.prefix { $0.isHexDigit }),
                signature: signature, message: message(lines)))
    }
}
