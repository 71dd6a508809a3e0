import ArgumentParser
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
        try output.print(
            table, text: RollCallSheet.text(session: s, cohort: cohort, curriculum: curriculum, roster: roster, showID: output.showId),
            sheet: "签到表 session \(s.id ?? 0)",
            paperTitle:
                "签到表 课次 \(s.id ?? 0)  \(cohort.label)  \(s.date)  \(s.title.nilIfBlank ?? curriculum.course(s.course)?.title ?? s.kind.chinese)")
    }
}
