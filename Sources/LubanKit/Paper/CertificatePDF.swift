import Foundation

// MARK: - A certificate to frame

/// A certificate as an A4 landscape PDF: the words from the `certificate-pdf-*` templates, the
/// association's seal (or a round placeholder), and a QR code holding the signed statement
/// (`CertificateStatement`), which the file also carries in its document information for
/// `luban certificate verify FILE.pdf`.
///
/// Template lines: `~` centred, `#` the title, `@` the holder's name, `>` the block of number,
/// date and issuer at the foot, an empty line a gap; any other line is a paragraph.
public enum CertificatePDF {
    static let red = (0.62, 0.09, 0.09)
    static let gold = (0.55, 0.42, 0.16)

    /// Writes the certificate of `entry` to `path`. `showID`: the holder's ID number in full on
    /// the page, as Chinese certificates print 证件号码, and in the signed statement too (what is
    /// printed is what is signed); otherwise masked in both.
    public static func write(
        _ entry: RegisterEntry, to path: String, language: CertificateLanguage, cohortCount: Int, templates: Templates, key: IssuerKey,
        showID: Bool = false
    ) throws(LubanError) {
        let values = CertificateDocument.values(entry, showID: showID, cohortCount: cohortCount)
        let body = try templates.render("certificate-pdf-\(language.rawValue)", values)
        let statement = try CertificateStatement.text(entry, key: key, showID: showID)
        let a4 = PDFDocument.a4
        let doc = try PDFDocument(
            path: path, width: a4.height, height: a4.width, title: "\(entry.certificate.number) \(values["tier_title"] ?? "")",
            author: entry.curriculum.organisations.first ?? "luban")
        doc.setKeywords(CertificateStatement.pdfKeyword + Data(statement.utf8).base64EncodedString())
        // A character no font has would print as a box where the holder's name should be: the
        // certificate is not made, and the message says which character.
        do throws(LubanError) {
            try check(body, of: entry, on: doc)
            try draw(body: body, statement: statement, entry: entry, seal: templates.sealImage, language: language, on: doc)
        } catch {
            doc.abandon()
            throw error
        }
        try doc.finish()
    }

    /// Refuses a certificate with a character no installed font has.
    static func check(_ body: String, of entry: RegisterEntry, on doc: PDFDocument) throws(LubanError) {
        let missing = doc.uncovered(body)
        guard missing.isEmpty else {
            let shown = missing.prefix(5).map { c in
                "\(c) (U+" + c.unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " U+") + ")"
            }.joined(separator: ", ")
            throw .refused(
                zh: "证书 \(entry.certificate.number) 中的字符 \(shown) 没有任何已安装字体能显示，印出来会是方框；请安装含有该字符的字体（如 fonts-hanazono），或核对姓名",
                en:
                    "no installed font can draw \(shown) in certificate \(entry.certificate.number): it would print as a box; install a font that has it (e.g. fonts-hanazono), or check the name"
            )
        }
    }

    static func draw(
        body: String, statement: String, entry: RegisterEntry, seal: String?, language: CertificateLanguage, on doc: PDFDocument
    ) throws(LubanError) {
        let (w, h) = (doc.width, doc.height)
        // A double frame.
        doc.rectangle(x: 18, y: 18, width: w - 36, height: h - 36, line: 2.2, colour: red)
        doc.rectangle(x: 26, y: 26, width: w - 52, height: h - 52, line: 0.8, colour: gold)
        let left = 80.0
        let width = w - 2 * left
        var y = 48.0
        var paragraphs: [String] = []
        var foot: [String] = []
        func flush() {
            guard !paragraphs.isEmpty else { return }
            // Body text: the largest size (14 pt down to 9) at which it fits above the foot.
            let text = paragraphs.joined(separator: "\n")
            var size = 14.0
            while size > 9, doc.measure(text, width: width, size: size) > h - 175 - y { size -= 0.5 }
            y += doc.text(text, x: left, y: y, width: width, size: size) + 6
            paragraphs = []
        }
        for raw in body.components(separatedBy: "\n") {
            let line = raw.trailingSpacesTrimmed
            if line.hasPrefix(">") {
                foot.append(String(line.dropFirst()))
                continue
            }
            if !line.isEmpty && !"~#@".contains(line.first!) {
                paragraphs.append(line)
                continue
            }
            flush()
            switch line.first {
            case nil: y += 10
            case "~": y += doc.text(String(line.dropFirst()), x: left, y: y, width: width, size: 13, align: .centre, colour: (0.25, 0.25, 0.25)) + 4
            case "#": y += doc.text(String(line.dropFirst()), x: left, y: y, width: width, size: 40, align: .centre, colour: red) + 6
            case "@":
                // The name on one line: a size smaller (30 pt down to 14) until it fits; at 14 pt
                // the longest name a record holds takes two lines, and a longer one (from before
                // names were bounded) is refused rather than printed over the foot.
                let name = String(line.dropFirst())
                func lines(_ size: Double) -> Double { doc.measure(name, width: width, size: size) / doc.measure("国", width: width, size: size) }
                var size = 30.0
                while size > 14, lines(size) > 1.05 { size -= 1 }
                guard lines(size) < 2.5 else {
                    throw .refused(
                        zh: "证书 \(entry.certificate.number) 持证人的姓名太长，无法印在证书上（最多约 \(FieldText.longest("name")) 个字）；请核对姓名",
                        en:
                            "the holder's name on certificate \(entry.certificate.number) is too long to print (at most about \(FieldText.longest("name")) characters); check the name"
                    )
                }
                y += doc.text(name, x: left, y: y + 6, width: width, size: size, align: .centre) + 10
            default: break
            }
        }
        flush()
        // The QR code at the foot on the left, with how to verify: at the lower correction level
        // and with a narrow white margin (the page around it is blank), so that its modules are
        // large enough for a phone to read from a photograph of the certificate on a wall
        // (tested at 100 dpi for every certificate of the demo).
        let qr = 136.0
        let qrY = h - 58 - qr
        try doc.qrCode(statement, x: 42, y: qrY, size: qr, correction: .low, quiet: 2)
        // How to verify, in the certificate's own language(s).
        let howZh = "扫码查看签名声明；核验：luban certificate verify 本文件或扫码所得文字（需签发方公钥）"
        let howEn = "To verify: luban certificate verify FILE.pdf, or the text of the QR code, with the issuer's public key"
        doc.text(
            language == .zh ? howZh : language == .en ? howEn : howZh + "\n" + howEn, x: 48, y: h - 56, width: w - 96, size: 7.5,
            colour: (0.3, 0.3, 0.3))
        // The foot: number, date, issuer, beside the seal.
        let footX = w - 400
        var fy = h - 150
        for line in foot { fy += doc.text(line, x: footX, y: fy, width: 250, size: 12) + 3 }
        // The seal over the issuer's line: the office's image, or a round placeholder.
        let (sx, sy, r) = (w - 125, h - 125, 52.0)
        if seal.map({ doc.image(png: $0, centreX: sx, centreY: sy, size: 2 * r) }) != true {
            doc.circle(x: sx, y: sy, radius: r, line: 1.2, colour: red, dashed: true)
            doc.text(
                language == .en ? "seal" : language == .zh ? "（盖章处）" : "（盖章处）\nseal", x: sx - r, y: sy - 14, width: 2 * r, size: 9, align: .centre,
                colour: red)
        }
        if entry.certificate.status == .revoked {
            let on = entry.certificate.revokedOn?.description ?? ""
            doc.text(
                "已撤销 REVOKED \(on)", x: left, y: h / 2 - 40, width: width, size: 44, align: .centre,
                colour: (0.8, 0.1, 0.1))
        }
    }
}

extension Templates {
    /// The association's seal as the office keeps it: `seal.png` beside the templates (or in
    /// `Reports/` above them); nil when there is none.
    public var sealImage: String? {
        let folders = folder.map { [$0, parentFolder($0)] } ?? ["Reports"]
        for f in folders {
            let path = (f.isEmpty ? "." : f as NSString as String).appending("/seal.png")
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }
}
