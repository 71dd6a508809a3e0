import ArgumentParser
import Foundation
import LubanKit

struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate", abstract: "Print, verify and revoke certificates.",
        discussion: "Example: luban certificate verify LB-2013-0001-9", subcommands: [Print.self, Verify.self, Revoke.self, Handover.self])

    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Print certificates as framed Chinese text (signed) or as PDF with a QR code, or the register as csv.",
            discussion: """
                Wording comes from the templates (see Reports/README.md).
                Examples: luban certificate print LB-2014-0001-2 --lang both
                          luban certificate print --cohort 2014-1 --out certificates/
                          luban certificate print --cohort 2014-1 --format pdf --out certificates/
                          luban certificate print --all --format csv --excel > register.csv
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Certificate numbers.") var numbers: [String] = []
        @Option(help: "Every certificate of this cohort.") var cohort: String?
        @Flag(help: "Every certificate in the register.") var all = false
        @Option(help: "Every certificate of this trainee (code or ID number).") var trainee: String?
        @Option(help: "text (the certificate), pdf (A4, with a QR code; one file per certificate), csv or xlsx (the register).")
        var format: OutputFormat = .text
        @Option(help: "zh, en or both.") var lang: CertificateLanguage = .zh
        @Option(
            help:
                "Write one .txt per certificate and register.csv into this folder (with --format csv or xlsx: the register itself as FILE.csv or FILE.xlsx, or into FOLDER)."
        ) var out: String?
        @Option(help: "A folder of edited templates (default: $LUBAN_TEMPLATES, ./Reports/templates, built-in).") var templates: String?
        @Flag(help: "Print full ID numbers.") var showId = false
        @Flag(help: "Start csv with a byte-order mark for Excel and WPS.") var excel = false

        func validate() throws {
            if [!numbers.isEmpty, cohort != nil, all, trainee != nil].filter({ $0 }).count != 1 {
                throw usage(
                    zh: "请给出证书编号、--cohort 期次、--trainee 学员 或 --all", en: "give certificate numbers, --cohort COHORT, --trainee TRAINEE or --all")
            }
            if format == .json { throw usage(zh: "此处 --format 只能是 text、pdf、csv 或 xlsx", en: "--format is text, pdf, csv or xlsx here") }
        }

        func run() throws {
            let db = try database.open()
            let entries =
                try trainee.map { try db.register(trainee: $0) }
                ?? (all ? try db.register(cohort: nil) : try db.registerEntries(numbers: numbers, cohort: cohort))
            let register = RegisterReport.table(entries, showID: showId)
            if format == .xlsx {
                // `--out register.xlsx` names the workbook itself; `--out FOLDER` gets one inside.
                var path = out
                if let out, !out.lowercased().hasSuffix(".xlsx") {
                    try OutputFile.makeFolder(out)
                    path = (out as NSString).appendingPathComponent("register.xlsx")
                }
                try Workbook.emit([("证书 register", register, Workbook.Layout())], to: path)
                if let path, path != out { emit(say(zh: "已写入 \(path)", en: "\(path) written")) }
                return
            }
            if format == .csv && out == nil {
                emit(register.csv(excel: excel), terminator: "")
                return
            }
            // `--out register.csv` names the register file itself, as `--out register.xlsx` does.
            if format == .csv, let out, out.lowercased().hasSuffix(".csv") {
                try OutputFile.write(register.csv(excel: excel), to: out)
                emit(say(zh: "已写入 \(out)", en: "\(out) written"))
                return
            }
            // Printing a whole cohort passes over holders erased on request, saying so; a number
            // asked for by name is refused with the reason.
            let erased = numbers.isEmpty ? entries.filter { $0.trainee.forgottenOn != nil } : []
            for e in erased {
                let (number, on) = (e.certificate.number, e.trainee.forgottenOn!)
                note(
                    say(
                        zh: "\(number)：未打印；持证人信息已于 \(on) 应要求删除（仍可凭编号验证）",
                        en: "\(number): not printed; the holder's details were erased on request on \(on) (it can still be verified by number)"))
            }
            let printable = entries.filter { e in !erased.contains { $0.certificate.number == e.certificate.number } }
            // One certificate and `--out NAME.pdf` / `--out NAME.txt`: that file, not a folder.
            let single = printable.count == 1 ? out.flatMap { o in [".pdf", ".txt"].first { o.lowercased().hasSuffix($0) }.map { _ in o } } : nil
            if format == .pdf, let single {
                let (templates, key) = (try Templates.locate(explicit: templates), try database.issuerKey())
                let data = try OutputFile.bytes(
                    madeBy: { path throws(LubanError) in
                        _ = try db.printedPDFs(
                            printable, language: lang, templates: templates, key: key,
                            folder: parentFolder(path), showID: showId)
                    }, name: printable[0].certificate.number + ".pdf")
                let file = try OutputFile(path: single)
                try file.write(data)
                try file.commit()
                emit(single)
                return
            }
            if format == .pdf {
                // One file per certificate, named by its number, into --out (default: here).
                let paths = try db.printedPDFs(
                    printable, language: lang, templates: Templates.locate(explicit: templates), key: database.issuerKey(), folder: out ?? ".",
                    showID: showId)
                for path in paths { emit(path) }
                return
            }
            let printed = try db.printed(
                printable, language: lang, showID: showId, templates: Templates.locate(explicit: templates), key: database.issuerKey())
            if let single {
                try OutputFile.write(printed[0].text, to: single)
                emit(say(zh: "已写入 \(single)", en: "\(single) written"))
            } else if let out {
                let paths = try Export.certificates(printed, register: register, to: out, excel: excel)
                emit(
                    say(
                        zh: "\(paths.count - 1) 张证书和 register.csv 已写入 \(out)",
                        en: "\(paths.count - 1) certificates and register.csv written to \(out)"))
            } else {
                emit(printed.map(\.text).joined(separator: "\n"), terminator: "")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract:
                "Verify a printed certificate (text or PDF), its QR code's text, or a number; prints VALID, REVOKED or INVALID (exit 0 only for VALID).",
            discussion: """
                An employer needs only the file (or what the QR code shows) and the issuer's public key (luban issuer key). Examples:
                  luban certificate verify LB-2014-0001-2.txt --public-key ed25519:...
                  luban certificate verify LB-2014-0001-2.pdf --public-key ed25519:...
                  pbpaste | luban certificate verify - --public-key ed25519:...
                With the database at hand, revocation is checked too; a number is checked against the register.
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(
            help:
                "A certificate file (text or PDF), a certificate number, or the text of a certificate's QR code; - (or nothing, from a pipe) reads that text from standard input."
        ) var target: String?
        @Option(help: "The issuer's public key (ed25519:...), or a file holding it.") var publicKey: String?

        func run() throws {
            var target = self.target ?? "-"
            let fromInput = target == "-"
            if fromInput {
                guard self.target != nil || isatty(STDIN_FILENO) == 0 else {
                    throw usage(
                        zh: "请给出证书文件、证书编号或二维码文字（或用 - 从标准输入读取）",
                        en: "give a certificate file, a number or the text of its QR code (or - to read it from standard input)")
                }
                guard let input = try? FileHandle.standardInput.readToEnd() else {
                    throw usage(
                        zh: "无法读取标准输入（它是一个文件夹吗？）；请用 - 传入证书文件的内容",
                        en: "standard input cannot be read (is it a folder?); pipe a certificate's contents into -")
                }
                target = String(decoding: input.prefix(64 * 1024), as: UTF8.self)
            }
            // What standard input holds is the certificate (or its number), never a path.
            let report = try CertificateVerifier(databasePath: database.resolvedPath, publicKey: publicKey).check(
                fromInput && !target.trimmed.contains("\n") ? target.trimmed : target,
                readingFiles: !fromInput)
            emit(report.verdict.line)
            if !report.signed.isEmpty {
                emit(
                    say(
                        zh: "签发方签署的内容如下；纸面上的每一项须与之相同，否则纸面被改动过：",
                        en: "What the issuer signed follows; every item on the page must read the same, or the page was altered:"))
                for line in report.signed { emit("  " + line) }
            }
            if !report.verdict.isValid { throw ExitCode.failure }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a certificate, with the reason; it stays in the register and its number is never reused.",
            discussion: "Example: luban certificate revoke LB-2014-0001-2 --reason \"attendance entered twice\"")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The certificate number.") var number: String
        @Option(help: "Why it is revoked.") var reason: String
        @Option(help: "Revocation date (default: today).") var date: CalendarDate?

        @Flag(help: "Also revoke the certificates that rest on it (an inheritor certificate on a completion one).") var cascade = false
        @Option(
            help:
                "What the public check (/verify) says of the revocation: 信息有误 (wrong-details), 不符合条件 (not-eligible) or 本人申请 (holder-asked); --reason stays internal."
        ) var publicReason: String?

        func run() throws {
            var chosen: PublicRevocationReason?
            if let publicReason {
                guard let reason = PublicRevocationReason(text: publicReason) else {
                    throw usage(
                        zh: "--public-reason 只能是 信息有误、不符合条件 或 本人申请",
                        en: "--public-reason is 信息有误, 不符合条件 or 本人申请 (wrong-details, not-eligible, holder-asked)")
                }
                chosen = reason
            }
            for c in try database.open().revoke(
                number: number, reason: reason, on: date ?? .today, key: database.issuerKey(), cascade: cascade, publicReason: chosen)
            {
                emit(
                    say(
                        zh: "\(c.number) 已于 \(c.revokedOn?.description ?? "") 撤销：\(c.revokeReason ?? "")",
                        en: "\(c.number) revoked on \(c.revokedOn?.description ?? ""): \(c.revokeReason ?? "")"))
            }
        }
    }

    struct Handover: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "handover",
            abstract: "The certificate hand-over sheet (证书领取签收表): each valid certificate of a cohort, a box to sign and date.",
            discussion: """
                One row per certificate in number order: number, holder, masked ID number (--show-id for the full one), tier.
                Examples: luban certificate handover 2015-2 --format pdf           (A4, to print: handover-2015-2.pdf)
                          luban certificate handover 2015-2 --format xlsx --out handover-2015-2.xlsx
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The cohort code.") var cohort: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let (c, curriculum, entries) = try database.open().handover(cohort: cohort)
            if entries.isEmpty {
                throw LubanError.refused(
                    zh: "期次 \(c.code) 没有有效证书可发放；先用 luban certify \(c.code) 签发",
                    en: "cohort \(c.code) has no valid certificates to hand over; issue them first with luban certify \(c.code)")
            }
            if output.format == .pdf {
                let path = output.out ?? "handover-\(c.code).pdf"
                try OutputFile.replacing(path) { (temporary: String) throws(LubanError) in
                    try HandoverSheet.writePDF(cohort: c, curriculum: curriculum, entries: entries, showID: output.showId, to: temporary)
                }
                emit(path)
                return
            }
            try output.print(
                HandoverSheet.table(entries, showID: output.showId), sheet: "证书领取签收表 \(c.code)", paperTitle: HandoverSheet.title(cohort: c))
        }
    }
}
