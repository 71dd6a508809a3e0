import ArgumentParser
import LubanKit

struct Attend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attend",
        abstract: "Record attendance: read a filled roll-call sheet back, or mark trainees by hand.",
        discussion: """
            A sheet is imported whole or not at all; the same sheet twice adds nothing; a different status \
            is a correction (a new ledger entry; the newest counts).
            --unmark takes a slip back, a first mark too: the trainee is not marked again, and the ledger \
            keeps both entries.
            Examples: luban attend --csv sheet-12.csv
                      luban attend 12 T00001 T00002 --status late --note 堵车
                      luban attend 12 T00002 --unmark
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The session id (optional with --csv when the sheet has a session column).") var session: String?
    @Argument(help: "Trainee codes or ID numbers, to mark by hand.") var trainees: [String] = []
    @Option(help: "A filled roll-call sheet (CSV or .xlsx with trainee,status and session or a SESSION argument).") var csv: String?
    @Option(help: "The workbook's sheet to read (default: its one sheet with data).") var sheet: String?
    @Option(help: "present, late, excused, absent (or 出勤, 迟到, 请假, 缺勤), for marking by hand.") var status: AttendanceStatus?
    @Option(help: "A note kept with the entry.") var note: String?
    @OptionGroup var columns: ColumnOptions
    @Flag(help: "Take the trainees' marks back: not marked again (a new ledger entry; the history keeps both).") var unmark = false

    func validate() throws {
        if unmark && (csv != nil || status != nil || note != nil) {
            throw usage(
                zh: "--unmark 只与 课次 学员… 同用，不带 --status、--note 或 --csv",
                en: "give --unmark with SESSION TRAINEE... alone, without --status, --note or --csv")
        }
        if unmark && (session == nil || trainees.isEmpty) {
            throw usage(zh: "请给出 课次 学员… --unmark", en: "give SESSION TRAINEE... --unmark")
        }
        if unmark { return }
        if csv != nil && (!trainees.isEmpty || status != nil) {
            throw usage(zh: "--csv 文件 与 学员… --status 状态 只能二选一", en: "give either --csv FILE or TRAINEE... --status S, not both")
        }
        if csv == nil && (session == nil || trainees.isEmpty || status == nil) {
            throw usage(zh: "请用 --csv 文件 给出考勤表，或给出 课次 学员… --status 状态", en: "give a sheet with --csv FILE, or SESSION TRAINEE... --status S")
        }
    }

    func run() throws {
        guard let csv else {
            return try Self.mark(
                database: database.resolvedPath, session: session ?? "", trainees: trainees, status: unmark ? nil : status ?? .present, note: note)
        }
        let r = try database.open().importAttendance(columns.reader(csv, sheet: sheet), session: session, progress: ProgressLine.ifTerminal())
        Self.report(r)
    }

    /// Marks trainees by hand (also reached without ArgumentParser: see `QuickAttend`).
    /// `status` nil takes the marks back.
    static func mark(database: String, session: String, trainees: [String], status: AttendanceStatus?, note: String?) throws {
        let db = OpenDatabases.keep(try LubanDatabase(path: database))
        let (result, marked) = try db.mark(session: session, trainees: trainees, status: status, note: note ?? "")
        let shown = status.map { "\($0.chinese) \($0.rawValue)" } ?? say(zh: "已撤销，未点名", en: "taken back: not marked")
        for t in marked { emit("\(t.code)  \(t.name)  \(shown)") }
        report(result)
    }

    static func report(_ r: ImportResult) {
        emit(
            say(
                zh: "记录 \(r.recorded) 条（更正 \(r.corrected) 条），\(r.unchanged) 条未变，\(r.blank) 条留空",
                en: "\(r.recorded) recorded (\(r.corrected) corrections), \(r.unchanged) unchanged, \(r.blank) left blank"))
        emitIgnored(r)
    }
}
