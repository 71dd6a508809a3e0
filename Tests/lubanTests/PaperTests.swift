import Foundation
import Testing

/// Runs a program from Debian's poppler-utils or zbar-tools (a reader other than luban).
func reader(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [program] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The documents for paper, read as a reader would: poppler for the text and the fonts, a page
/// rendered and its QR code scanned by zbar, and the verifier given what the scan says.
@Suite(.serialized) struct PaperTests {
    @Test func aPDFCertificateSaysWhatTheRegisterSaysAndItsQRCodeVerifies() throws {
        let user = try User()
        try user.demo()
        let out = user.folder.appendingPathComponent("pdf").path
        let printed = try user.ok("certificate", "print", "--cohort", "2014-1", "--format", "pdf", "--out", out)
        let paths = printed.split(separator: "\n").map(String.init)
        let register = try user.ok("certificate", "print", "--cohort", "2014-1", "--format", "csv", "--show-id")
        #expect(paths.count == register.split(whereSeparator: \.isNewline).count - 1)
        let path = try #require(paths.first)
        let number = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let row = try #require(register.split(whereSeparator: \.isNewline).first { $0.hasPrefix(number + ",") }).split(
            separator: ",", omittingEmptySubsequences: false
        ).map(String.init)
        // The text, as pdftotext reads it: the name, the number, the hours, the techniques.
        let text = try reader("pdftotext", ["-layout", path, "-"]).output
        for expected in [row[2], number, "课堂授课 \(row[10]) 学时", "实地教学 \(row[11]) 学时", row[13], "结业证书", "luban certificate verify"] {
            #expect(text.contains(expected), "\(expected) not in:\n\(text)")
        }
        #expect(!text.contains(row[3]), "the full ID number is on the certificate")
        // A Chinese certificate says how to verify it in Chinese only; a bilingual one in both.
        #expect(text.contains("扫码查看签名声明") && !text.contains("To verify"), "\(text)")
        let both = user.folder.appendingPathComponent("both.pdf").path
        try user.ok("certificate", "print", number, "--lang", "both", "--format", "pdf", "--out", both)
        let bothText = try reader("pdftotext", [both, "-"]).output
        #expect(bothText.contains("扫码查看签名声明") && bothText.contains("To verify"))
        // Every font embedded.
        let fonts = try reader("pdffonts", [path]).output.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty && fonts.allSatisfy { $0.contains(" yes yes ") }, "\(fonts)")
        #expect(fonts.contains { $0.contains("NotoSerifCJK") })
        // The QR code, scanned from a rendering of the page, verifies; so does the file.
        let png = user.folder.appendingPathComponent("page").path
        #expect(try reader("pdftoppm", ["-r", "150", "-png", "-singlefile", path, png]).status == 0)
        let scanned = try reader("zbarimg", ["-q", "--raw", png + ".png"]).output
        #expect(scanned.contains("编号 \(number)\n") && scanned.contains("持证人 \(row[2]) "))
        let statement = try user.write("scanned.txt", scanned)
        #expect(try user.ok("certificate", "verify", statement).hasPrefix("VALID \(number): signature good; register: 结业证书"))
        #expect(try user.run(["certificate", "verify", "-"], stdin: scanned).stdout.hasPrefix("VALID \(number)"))
        #expect(try user.ok("certificate", "verify", path).hasPrefix("VALID \(number): signature good; register:"))
        // Offline, with only the public key: the signature is good; the verifier written from
        // docs/VERIFYING.md agrees on the PDF and on the scanned text.
        let key = try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let script = User.root.appendingPathComponent("Scripts/verify-certificate.py").path
        #expect(try python3([script, path, key]) == "VALID \(number)\n")
        #expect(try python3([script, statement, key]) == "VALID \(number)\n")
        var employer = user
        employer.environment["LUBAN_DB"] = user.folder.appendingPathComponent("none.sqlite").path
        #expect(try employer.ok("certificate", "verify", path, "--public-key", key).hasPrefix("VALID \(number): signature good (no register"))
        // Revoked: the same PDF is REVOKED with the register at hand.
        try user.ok("certificate", "revoke", number, "--reason", "重复录入", "--date", "2016-01-01", "--cascade")
        let revoked = try user.run(["certificate", "verify", path])
        #expect(revoked.status == 1 && revoked.stdout.hasPrefix("REVOKED \(number) on 2016-01-01: 重复录入"))
    }

    /// Names as people have them: rare characters (生僻字 of CJK Extension B) print in a font that
    /// has them; the longest name a record holds fits on one line; a character no font has, or
    /// a name longer than any (kept from before names were bounded), is refused, naming it,
    /// and no file is left.
    @Test func rareCharactersPrintAndNamesFitOrAreRefused() throws {
        let user = try User()
        try user.demo()
        let folder = user.folder.appendingPathComponent("names").path
        /// T00002's completion certificate issued again after `change`, printed as a PDF.
        func reissued(_ change: () throws -> Void) throws -> (number: String, result: User.Result) {
            func current() throws -> String? {
                try user.ok("certificate", "print", "--cohort", "2013-1", "--format", "csv").split(whereSeparator: \.isNewline)
                    .first { $0.contains(",T00002,") && $0.contains(",completion,") && !$0.contains(",revoked,") }
                    .map { String($0.prefix { $0 != "," }) }
            }
            if let number = try current() { try user.ok("certificate", "revoke", number, "--reason", "姓名更正", "--cascade") }
            try change()
            try user.ok("certify", "2013-1", "--reissue", "T00002", "--date", "2013-09-21")
            let number = try #require(try current())
            return (number, try user.run(["certificate", "print", number, "--format", "pdf", "--out", folder]))
        }
        let rare = "𠀀𪚥明"
        let (number, printed) = try reissued { try user.ok("trainee", "edit", "T00002", "--name", rare) }
        #expect(printed.status == 0, "\(printed.stderr)")
        let path = folder + "/\(number).pdf"
        #expect(try reader("pdftotext", [path, "-"]).output.contains(rare))
        let fonts = try reader("pdffonts", [path]).output
        #expect(fonts.contains("HanaMin") && fonts.split(separator: "\n").dropFirst(2).allSatisfy { $0.contains(" yes yes ") }, "\(fonts)")
        // 50 characters, the most a name may have: one line.
        let longest = String(repeating: "阿卜杜热西提·买买提艾力·", count: 5).prefix(50)
        let long = try reissued { try user.ok("trainee", "edit", "T00002", "--name", String(longest)) }
        #expect(long.result.status == 0, "\(long.result.stderr)")
        let text = try reader("pdftotext", ["-layout", folder + "/\(long.number).pdf", "-"]).output
        #expect(text.contains(String(longest)), "the name is not on one line:\n\(text)")
        // One more is refused where it is entered.
        let over = try user.run(["trainee", "edit", "T00002", "--name", String(longest) + "阿"])
        #expect(over.status != 0 && over.stderr.contains("at most 50"))
        // A character no installed font has (CJK Extension G): refused, naming it; no file.
        let none = try reissued { try user.ok("trainee", "edit", "T00002", "--name", "\u{30000}明") }
        #expect(none.result.status == 1 && none.result.stderr.contains("U+30000"), "\(none.result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/\(none.number).pdf"))
        // A name of 3,000 letters stored before names were bounded: refused, not printed over the
        // number and the seal, nor left without its QR code.
        let huge = try reissued {
            let sql = "UPDATE trainee SET name = '\(String(repeating: "A", count: 3000))' WHERE code = 'T00002'"
            let out = try NeighbourTests.sqlite3(user.database, sql)
            #expect(out == "")
        }
        #expect(huge.result.status == 1 && huge.result.stderr.contains("too long to print"), "\(huge.result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/\(huge.number).pdf"))
    }

    @Test func aTamperedPDFOrQRTextIsInvalid() throws {
        let user = try User()
        try user.demo()
        let out = user.folder.appendingPathComponent("pdf").path
        let path = try #require(try user.ok("certificate", "print", "LB-2014-0001-X", "--format", "pdf", "--out", out).split(separator: "\n").first)
            .description
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let pdf = String(decoding: bytes, as: UTF8.self)
        let marker = "/Keywords (luban-statement-v1:"
        let start = try #require(pdf.range(of: marker)).upperBound
        let end = try #require(pdf[start...].firstIndex(of: ")"))
        let statement = String(decoding: try #require(Data(base64Encoded: String(pdf[start..<end]))), as: UTF8.self)
        // Another name in the statement the PDF carries.
        let name = try #require(statement.split(separator: "\n").first { $0.hasPrefix("持证人 ") }).split(separator: " ")[1]
        let forged = statement.replacingOccurrences(of: "持证人 \(name) ", with: "持证人 王小二 ")
        let swapped = bytes.replacingOccurrences(of: pdf[start..<end], with: Data(forged.utf8).base64EncodedString())
        let tampered = user.folder.appendingPathComponent("tampered.pdf")
        try swapped.write(to: tampered)
        let verdict = try user.run(["certificate", "verify", tampered.path])
        #expect(verdict.status == 1 && verdict.stdout.hasPrefix("INVALID: the signature does not match what the statement says"))
        let key = try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let script = User.root.appendingPathComponent("Scripts/verify-certificate.py").path
        #expect(try python3([script, tampered.path, key]).hasPrefix("INVALID"))
        // The same forgery typed from the QR code's text.
        #expect(try user.run(["certificate", "verify", "-"], stdin: forged).stdout.hasPrefix("INVALID"))
        // A PDF without the statement.
        let stripped = user.folder.appendingPathComponent("stripped.pdf")
        try bytes.replacingOccurrences(of: "/Keywords (luban-statement-v1:", with: "/Keywords (something-else-v1:").write(to: stripped)
        #expect(try user.run(["certificate", "verify", stripped.path]).stdout.hasPrefix("INVALID: this PDF carries no luban certificate statement"))
    }

    @Test func aRollCallSheetHasEveryTraineeAHeaderOnEveryPageAndAFoot() throws {
        let user = try User()
        try user.demo()
        let sheet = try user.ok("rollcall", "11", "--format", "csv")
        let codes = sheet.split(whereSeparator: \.isNewline).dropFirst().map { String($0.split(separator: ",")[1]) }
        let path = user.folder.appendingPathComponent("rc.pdf").path
        #expect(try user.ok("rollcall", "11", "--format", "pdf", "--out", path) == path + "\n")
        let pages = try #require(
            Int(try reader("pdfinfo", [path]).output.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!))
        #expect(pages == (codes.count + 19) / 20 || pages == (codes.count + 19) / 20 + 1)
        var seen: [String] = []
        for p in 1...pages {
            let text = try reader("pdftotext", ["-layout", "-f", String(p), "-l", String(p), path, "-"]).output
            #expect(text.contains("签到表 Roll call") && text.contains("课次 Session：11") && text.contains("专家 Expert："))
            #expect(text.contains("第 \(p) / \(pages) 页"))
            seen += text.split(separator: "\n").compactMap { line in line.split(separator: " ").first { $0.hasPrefix("T0") }.map(String.init) }
            #expect(text.contains("应到 expected：\(codes.count)") == (p == pages))
            #expect(text.contains("迟到 late：") == (p == pages))
        }
        #expect(seen == codes.sorted())
        // The text sheet: 80 columns; in pages of 30 rows, apart by form feeds, each with the header.
        let text = try user.ok("rollcall", "11")
        #expect(text.split(separator: "\n").allSatisfy { $0.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E7F ? 2 : 1) } <= 80 })
        let paged = try user.ok("rollcall", "11", "--pages", "30").split(separator: "\u{0C}")
        #expect(paged.count == (codes.count + 29) / 30)
        for (p, page) in paged.enumerated() {
            #expect(page.contains("签到表 Roll call — 课次 session 11") && page.contains("第 \(p + 1) / \(paged.count) 页"))
        }
        #expect(!(try reader("pdftotext", [path, "-"]).output.contains(validID("11010119900307851"))))
    }

    /// The certificate hand-over sheet: every valid certificate of the cohort once, in number
    /// order, masked, with the cohort on every page and the issuer's signature on the last; the
    /// workbook holds the same rows; a revoked certificate is not handed over.
    @Test func theHandOverSheetListsEachValidCertificateOnceToSign() throws {
        let user = try User()
        try user.demo()
        let register = try user.ok("certificate", "print", "--all", "--format", "csv")
        let header = register.split(separator: "\r\n")[0].split(separator: ",").map(String.init)
        let (number, cohort, status) = (header.firstIndex(of: "number")!, header.firstIndex(of: "cohort")!, header.firstIndex(of: "status")!)
        var valid = register.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0[cohort] == "2015-2" && $0[status] == "valid" }.map { $0[number] }.sorted()
        #expect(valid.count > 40)
        // The newest is an inheritor certificate: nothing rests on it.
        try user.ok("certificate", "revoke", valid.last!, "--reason", "entered twice", "--public-reason", "信息有误")
        valid.removeLast()

        let path = user.folder.appendingPathComponent("handover.pdf").path
        #expect(try user.ok("certificate", "handover", "2015-2", "--format", "pdf", "--out", path) == path + "\n")
        let pages = try #require(
            Int(try reader("pdfinfo", [path]).output.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!))
        var seen: [String] = []
        for p in 1...pages {
            let text = try reader("pdftotext", ["-layout", "-f", String(p), "-l", String(p), path, "-"]).output
            #expect(text.contains("证书领取签收表 Certificate hand-over") && text.contains("期次 Cohort：2015-2") && text.contains("第 \(p) / \(pages) 页"))
            seen += text.split(separator: "\n").compactMap { line in line.split(separator: " ").first { $0.hasPrefix("LB-") }.map(String.init) }
            #expect(text.contains("发放人签字 issued by") == (p == pages))
        }
        #expect(seen == valid)
        let whole = try reader("pdftotext", [path, "-"]).output
        #expect(whole.contains("共 \(valid.count) 份") && whole.contains("********"))
        #expect(whole.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil, "no full ID number")

        try user.ok("certificate", "handover", "2015-2", "--format", "xlsx", "--out", "handover.xlsx")
        let rows = try python3([
            "-c",
            "import openpyxl\nws = openpyxl.load_workbook('\(user.folder.appendingPathComponent("handover.xlsx").path)').active\n"
                + "print(ws.page_setup.paperSize, [c.value for c in ws[1]][:2])\n"
                + "for r in ws.iter_rows(min_row=2, values_only=True): print(r[1])",
        ]).split(separator: "\n").map(String.init)
        #expect(rows.first == "9 ['序号 no.', '证书编号 certificate']", "\(rows.first ?? "")")
        #expect(Array(rows.dropFirst()) == valid)
        // A cohort with nothing issued says so, and what to do.
        try user.ok("cohort", "add", "2017-1", "--start", "2017-04-10", "--end", "2017-04-22", "--site", "承德")
        let none = try user.run(["certificate", "handover", "2017-1"])
        #expect(none.status == 1 && none.stderr.contains("luban certify 2017-1"), "\(none)")
    }
}

extension Data {
    /// The bytes with the first occurrence of `text` replaced (the rest of a PDF untouched).
    func replacingOccurrences(of text: some StringProtocol, with replacement: String) -> Data {
        guard let r = range(of: Data(String(text).utf8)) else { return self }
        var copy = self
        copy.replaceSubrange(r, with: Data(replacement.utf8))
        return copy
    }
}
