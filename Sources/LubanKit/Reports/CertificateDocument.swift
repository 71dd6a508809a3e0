import Foundation

// MARK: - The printed certificate

/// Languages a certificate is printed in.
public enum CertificateLanguage: String, CaseIterable, Sendable {
    case zh, en, both
}

/// Renders a certificate to framed text and signs what it says; reads one back and checks it.
///
/// The signature covers every line of the printed file except the two lines that carry the
/// signature itself, so changing any character anywhere (a name, an hour, the frame) makes
/// `luban certificate verify` answer INVALID.
public enum CertificateDocument {
    static let signatureMarker = "签名 Ed25519 ("
    static let numberMarker = "编号 Number: "

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
            "name": entry.trainee.forgottenOn == nil ? entry.trainee.name : "(erased on request)",
            "id_number": entry.trainee.idNumberShown(showID).nilIfBlank ?? "(erased)",
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
        ]
        var values: [String: Any] = texts.mapValues(Visible.text)
        values["cumulative"] = tier?.scope == .cumulative
        values["cohort_count"] = cohortCount
        return values
    }

    /// The whole printed file: template, frame, verification block, signed with `key`.
    public static func render(_ entry: RegisterEntry, language: CertificateLanguage, showID: Bool, cohortCount: Int,
                              templates: Templates, key: IssuerKey) throws(LubanError) -> String {
        let body = try templates.render("certificate-\(language.rawValue)", values(entry, showID: showID, cohortCount: cohortCount))
        var lines = body.components(separatedBy: "\n")
        while lines.last?.isEmpty == true { lines.removeLast() }
        if entry.certificate.status == .revoked {
            lines.append("---")
            lines.append("~已撤销 REVOKED \(entry.certificate.revokedOn?.description ?? "")")
        }
        lines += ["---", "~验证 Verification", numberMarker + entry.certificate.number,
                  signatureMarker + "1/2): " + String(repeating: "#", count: 44),
                  signatureMarker + "2/2): " + String(repeating: "#", count: 44),
                  "公钥 Key: \(key.fingerprint)  核验: luban certificate verify FILE"]
        var framed = Frame.draw(lines, minimumWidth: 64).map(\.trailingSpacesTrimmed)
        let signature = try key.sign(signedText(framed))
        let parts = [String(signature.prefix(44)), String(signature.dropFirst(44))]
        var part = 0
        for i in framed.indices where framed[i].contains(signatureMarker) {
            framed[i] = framed[i].replacingOccurrences(of: String(repeating: "#", count: 44), with: parts[min(part, 1)].padded(to: 44))
            part += 1
        }
        return framed.joined(separator: "\n") + "\n"
    }

    /// What is signed: every line but the signature lines, right-trimmed, joined by LF.
    static func signedText(_ lines: [String]) -> String {
        lines.filter { !$0.contains(signatureMarker) }.map(\.trailingSpacesTrimmed).joined(separator: "\n")
    }

    /// What a certificate file says about itself.
    public struct Reading: Sendable, Equatable {
        public var number: String?
        public var signature: String
        public var signedText: String
    }

    /// Reads a printed certificate back: its number and signature, and the text they cover.
    public static func read(_ text: String) -> Reading? {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        while lines.last?.isEmpty == true { lines.removeLast() }
        var signature = ""
        var number: String?
        for line in lines {
            if let r = line.range(of: signatureMarker) {
                let rest = line[r.upperBound...]
                guard let colon = rest.range(of: "): ") else { return nil }
                signature += rest[colon.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " |"))
            } else if let r = line.range(of: numberMarker) {
                number = line[r.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " |"))
            }
        }
        guard !signature.isEmpty else { return nil }
        return Reading(number: number, signature: signature, signedText: signedText(lines))
    }
}
