import ArgumentParser
import LubanKit

struct RollCall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollcall",
        abstract: "Print a session's sign-in sheet: for paper (text) or to fill in on a laptop or phone (csv).",
        discussion: """
            Fill the status column with present, late, excused or absent (出勤, 迟到, 请假, 缺勤), then read it \
            back with luban attend --csv FILE.
            Example: luban rollcall 12 --format csv --excel > sheet-12.csv
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The session id.") var session: String
    @Option(help: "text (paper) or csv.") var format: OutputFormat = .text
    @Flag(help: "Print full ID numbers.") var showId = false
    @Flag(help: "Start csv with a byte-order mark for Excel and WPS.") var excel = false

    func run() throws {
        let (s, cohort, curriculum, roster) = try database.open().rollCall(session: session)
        emit(format == .text ? RollCallSheet.text(session: s, cohort: cohort, curriculum: curriculum, roster: roster, showID: showId)
                              : RollCallSheet.csv(session: s, roster: roster, showID: showId, excel: excel), terminator: "")
    }
}
