import ArgumentParser
import Foundation
import LubanKit

struct RollCall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollcall",
        abstract: "Print a session's sign-in sheet: for paper (text) or to fill in on a laptop or phone (csv).",
        discussion: """
            Fill the status column with present, late, excused or absent (出勤, 迟到, 请假, 缺勤), then read it \
            back with luban attend --csv FILE.
            Examples: luban rollcall 12 --format csv --excel > sheet-12.csv
                      luban rollcall 12 --format pdf            (A4, to print: rollcall-12.pdf)
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The session id.") var session: String
    @OptionGroup var output: OutputOptions
    @Option(help: "For text on paper: this many rows a page, pages apart by form feeds, the header on each.") var pages: Int?

    func validate() throws {
        if let pages, pages < 1 { throw usage(zh: "--pages 须是 1 或更大的行数", en: "--pages is a number of rows, 1 or more") }
    }

    func run() throws {
        let (s, cohort, curriculum, roster) = try database.open().rollCall(session: session)
        if output.format == .pdf {
            // For a clipboard: --out FILE.pdf, else rollcall-SESSION.pdf here.
            let path = output.out ?? "rollcall-\(s.id ?? 0).pdf"
            try OutputFile.replacing(path) { (temporary: String) throws(LubanError) in
                try RollCallPDF.write(session: s, cohort: cohort, curriculum: curriculum, roster: roster, showID: output.showId, to: temporary)
            }
            emit(path)
            return
        }
        var table = RollCallSheet.table(session: s, roster: roster, showID: output.showId)
        if output.format == .xlsx {
            // On paper: a column to sign in.
            table.columns.append(.init("signature", "签名 signature"))
            table.rows = table.rows.map { $0 + [.text("")] }
        }
        let text = RollCallSheet.text(session: s, cohort: cohort, curriculum: curriculum, roster: roster, showID: output.showId, pagesOf: pages)
        if output.format == .text && text.count > 1 {
            // Each page made safe for a terminal, then a form feed between pages for the printer.
            let joined = text.map(Visible.lines).joined(separator: "\u{0C}")
            if let out = output.out { return try OutputFile.write(joined, to: out) }
            return FileHandle.standardOutput.write(Data(joined.utf8))
        }
        try output.print(
            table, text: text.joined(),
            sheet: "签到表 session \(s.id ?? 0)",
            paperTitle:
                "签到表 课次 \(s.id ?? 0)  \(cohort.label)  \(s.date)  \(s.title.nilIfBlank ?? curriculum.course(s.course)?.title ?? s.kind.chinese)")
    }
}
