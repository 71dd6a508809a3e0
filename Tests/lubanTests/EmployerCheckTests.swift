import Foundation
import Testing

/// What an employer checks, performed as an employer (or a forger) would: any copy of a PDF
/// certificate reads right, whatever program saved it again; a page drawn over a genuine
/// statement is shown beside what was signed; a signature has one spelling; the QR code reads
/// from a low-resolution photograph. luban and the verifier written from docs/VERIFYING.md
/// (Scripts/verify-certificate.py) agree on every case.
@Suite struct EmployerCheckTests {
    /// The demo with a certificate printed as a PDF, the issuer's key, and an employer who has
    /// only the file and the key (no database).
    static func employer(_ number: String) throws -> (user: User, employer: User, pdf: String, key: String) {
        let user = try User()
        try user.demo()
        let pdf = user.folder.appendingPathComponent("\(number).pdf").path
        try user.ok("certificate", "print", number, "--format", "pdf", "--out", pdf)
        let key = try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        var employer = user
        employer.environment["LUBAN_DB"] = user.folder.appendingPathComponent("none.sqlite").path
        return (user, employer, pdf, key)
    }

    /// luban's verdict (its first line and the whole output) and the independent verifier's.
    static func verdicts(_ employer: User, _ file: String, _ key: String) throws -> (luban: String, output: String, script: String) {
        let result = try employer.run(["certificate", "verify", file, "--public-key", key])
        let script = try python3([User.root.appendingPathComponent("Scripts/verify-certificate.py").path, file, key])
        return (String(result.stdout.prefix { $0 != "\n" }), result.stdout + result.stderr, script)
    }

    @Test func copiesSavedAgainByOtherProgramsStillVerify() throws {
        let number = "LB-2016-0061-X"
        let (user, employer, pdf, key) = try Self.employer(number)
        let copies = [
            ("gs.pdf", "gs", ["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", "-o"]),
            ("qpdf.pdf", "qpdf", ["--object-streams=generate", pdf]),
            ("qpdf-linear.pdf", "qpdf", ["--linearize", "--compress-streams=y", pdf]),
        ]
        for (name, program, arguments) in copies {
            let copy = user.folder.appendingPathComponent(name).path
            let made = try reader(program, program == "gs" ? arguments + [copy, pdf] : arguments + [copy])
            #expect(made.status == 0 && FileManager.default.fileExists(atPath: copy), "\(program) made no copy")
            #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) != Data(contentsOf: URL(fileURLWithPath: pdf)), "\(name) is the same file")
            let (luban, output, script) = try Self.verdicts(employer, copy, key)
            #expect(luban.hasPrefix("VALID \(number): signature good"), "\(name): \(output)")
            #expect(output.contains("  持证人 薛金杰 "), "\(name): \(output)")
            #expect(script == "VALID \(number)\n", "\(name): the independent verifier says \(script)")
        }
    }

    /// A forger keeps a genuine statement and draws another page: the verdict is VALID for the
    /// statement, and shows the words signed (the holder's name among them), which do not match
    /// the page. The statement is read as a PDF reader reads the document information: the last
    /// incremental update counts, not the first `/Keywords` in the bytes.
    @Test func aPageUnderAnotherCertificatesStatementShowsWhatWasSigned() throws {
        let (user, employer, genuine, key) = try Self.employer("LB-2016-0061-X")
        let other = user.folder.appendingPathComponent("other.pdf").path
        try user.ok("certificate", "print", "LB-2013-0001-9", "--format", "pdf", "--out", other)
        let forged = user.folder.appendingPathComponent("forged.pdf").path
        let update = """
            import sys
            from pypdf import PdfReader, PdfWriter
            writer = PdfWriter(sys.argv[2], incremental=True)
            writer.add_metadata({"/Keywords": PdfReader(sys.argv[1]).metadata["/Keywords"]})
            with open(sys.argv[3], "wb") as f:
                writer.write(f)
            """
        #expect(try python3(["-c", update, genuine, other, forged]) == "")
        // The forged file starts with the other certificate's bytes, its own statement included.
        let original = try Data(contentsOf: URL(fileURLWithPath: other))
        #expect(try Data(contentsOf: URL(fileURLWithPath: forged)).prefix(original.count) == original)
        let (luban, output, script) = try Self.verdicts(employer, forged, key)
        #expect(luban.hasPrefix("VALID LB-2016-0061-X"), "\(output)")
        #expect(script == "VALID LB-2016-0061-X\n", "\(script)")
        #expect(output.contains("What the issuer signed follows; every item on the page must read the same"), "\(output)")
        #expect(output.contains("  持证人 薛金杰 130821********0993") && output.contains("  编号 LB-2016-0061-X"), "\(output)")
        // The page says someone else: the employer compares and sees it.
        let page = try reader("pdftotext", [forged, "-"]).output
        #expect(page.contains("顾建杰") && !page.contains("薛金杰"))
        // Unchanged, the other file reads as itself.
        #expect(try Self.verdicts(employer, other, key).luban.hasPrefix("VALID LB-2013-0001-9"))
    }

    /// Base64 has 16 spellings of a signature's last character before `==` that decode to the
    /// same bytes; only the canonical one verifies, for luban and the independent verifier.
    @Test func aSignatureHasOneSpelling() throws {
        let (user, employer, pdf, key) = try Self.employer("LB-2016-0061-X")
        let keywords = try reader("pdfinfo", [pdf]).output.split(separator: "\n").first { $0.hasPrefix("Keywords:") }
        let encoded = try #require(keywords?.split(separator: ":", maxSplits: 2).last).trimmingCharacters(in: .whitespaces)
        let statement = try #require(Data(base64Encoded: encoded).flatMap { String(data: $0, encoding: .utf8) })
        let signatureLine = try #require(statement.split(separator: "\n").last)
        #expect(signatureLine.hasSuffix("=="))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let last = signatureLine[signatureLine.index(signatureLine.endIndex, offsetBy: -3)]
        let index = try #require(alphabet.firstIndex(of: last))
        let spellings = (0..<16).map { alphabet[index / 16 * 16 + $0] }
        #expect(spellings.contains(last))
        for spelling in spellings {
            let line = signatureLine.dropLast(3) + String(spelling) + "=="
            let text = statement.replacingOccurrences(of: String(signatureLine), with: String(line))
            let file = try user.write("spelling-\(alphabet.firstIndex(of: spelling)!).txt", text)
            let (luban, output, script) = try Self.verdicts(employer, file, key)
            let expected = spelling == last ? "VALID" : "INVALID"
            #expect(luban.hasPrefix(expected), "\(spelling): \(output)")
            #expect(script.hasPrefix(expected), "\(spelling): \(script)")
        }
    }

    @Test func brokenFilesAreInvalidNotACrash() throws {
        let (user, employer, pdf, key) = try Self.employer("LB-2016-0061-X")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        let cases: [(String, Data)] = [
            ("truncated.pdf", bytes.prefix(300)),
            ("garbage.pdf", Data("%PDF-1.7\n".utf8) + Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })),
            ("no-trailer.pdf", bytes.prefix(bytes.count - 200)),
        ]
        for (name, data) in cases {
            let file = user.folder.appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: file))
            let result = try employer.run(["certificate", "verify", file, "--public-key", key])
            let script = try python3([User.root.appendingPathComponent("Scripts/verify-certificate.py").path, file, key])
            #expect(result.status == 1 || result.stdout.hasPrefix("VALID"), "\(name): \(result.stdout)\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"), "\(name): \(result.stderr)")
            #expect(!script.contains("Traceback"), "\(name): \(script)")
            #expect(luban(result.stdout) == String(script.prefix { $0 != " " && $0 != "\n" }), "\(name): \(result.stdout) / \(script)")
        }
        func luban(_ out: String) -> String { String(out.prefix { $0 != " " && $0 != ":" }) }
    }

    /// `verify -` reads standard input as the certificate (or the number) it holds.
    @Test func aTextCertificateOnStandardInputIsRead() throws {
        let (user, employer, _, key) = try Self.employer("LB-2016-0061-X")
        let text = try user.ok("certificate", "print", "LB-2016-0061-X")
        let piped = try employer.run(["certificate", "verify", "-", "--public-key", key], stdin: text)
        #expect(piped.status == 0 && piped.stdout.hasPrefix("VALID LB-2016-0061-X: signature good"), "\(piped.stdout)\(piped.stderr)")
        let number = try user.run(["certificate", "verify", "-"], stdin: "LB-2016-0061-X\n")
        #expect(number.status == 0 && number.stdout.hasPrefix("VALID LB-2016-0061-X"), "\(number.stdout)\(number.stderr)")
    }

    /// The QR code reads from a page rendered at 100 dpi (a phone's photograph of a certificate on
    /// a wall), for the certificates with the most to say: the longest names, cohorts and lists
    /// of techniques, whose codes are the densest.
    @Test func theQRCodeReadsAt100DPI() throws {
        let user = try User()
        try user.demo()
        let register = try user.ok("certificate", "print", "--all", "--format", "csv").split(whereSeparator: \.isNewline).dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let densest = register.sorted { $0.joined().utf8.count > $1.joined().utf8.count }.prefix(6).map { $0[0] }
        #expect(densest.count == 6)
        let folder = user.folder.appendingPathComponent("qr").path
        #expect(try user.run(["certificate", "print"] + densest + ["--format", "pdf", "--out", folder]).status == 0)
        for number in densest {
            let pdf = folder + "/\(number).pdf"
            let png = user.folder.appendingPathComponent("page-\(number)").path
            #expect(try reader("pdftoppm", ["-r", "100", "-png", "-singlefile", pdf, png]).status == 0)
            let scanned = try reader("zbarimg", ["-q", "--raw", png + ".png"]).output
            #expect(scanned.contains("编号 \(number)\n"), "\(number): zbarimg read nothing at 100 dpi")
        }
    }
}

extension EmployerCheckTests {
    /// The office chooses per print: `--show-id` prints the ID number in full (as Chinese
    /// certificates print 证件号码) and signs it as printed; without it, masked on both.
    @Test func theFullIDNumberIsPrintedAndSignedOnlyWhenAskedFor() throws {
        let (user, employer, masked, key) = try Self.employer("LB-2016-0061-X")
        let full = user.folder.appendingPathComponent("full.pdf").path
        try user.ok("certificate", "print", "LB-2016-0061-X", "--format", "pdf", "--show-id", "--out", full)
        let id = "130821197004130993"
        #expect(try reader("pdftotext", [full, "-"]).output.contains("身份证号 \(id)"))
        #expect(!(try reader("pdftotext", [masked, "-"]).output.contains(id)))
        let (luban, output, script) = try Self.verdicts(employer, full, key)
        #expect(luban.hasPrefix("VALID LB-2016-0061-X") && output.contains("  持证人 薛金杰 \(id)"), "\(output)")
        #expect(script == "VALID LB-2016-0061-X\n")
        #expect(try Self.verdicts(employer, masked, key).output.contains("  持证人 薛金杰 130821********0993"))
    }
}
