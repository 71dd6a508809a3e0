import ArgumentParser
import Foundation
import LubanKit

/// `--db`: which database file a command works on.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The database file (default: $LUBAN_DB, else ~/.local/share/luban/luban.sqlite).")
    var path: String?

    var resolvedPath: String { path ?? LubanDatabase.defaultPath() }

    /// Opens the database (refusing a path where there is none) and brings it up to date.
    func open() throws -> LubanDatabase { OpenDatabases.keep(try LubanDatabase(path: resolvedPath)) }

    /// Opens the database, creating it first if there is none (init, demo, restore only).
    func openOrCreate() throws -> LubanDatabase { OpenDatabases.keep(try LubanDatabase(path: resolvedPath, create: true)) }

    /// The issuer key beside the database.
    func issuerKey() throws -> IssuerKey { try IssuerKey.load(at: IssuerKey.path(forDatabase: resolvedPath)) }
}

/// `[COHORT] FILE`: an import file for one cohort, or one whose rows name their cohort.
struct CohortFile: ParsableArguments {
    @Argument(help: "[COHORT] FILE: the cohort code (optional when the file has a cohort column), then the CSV file (or .xlsx workbook).")
    var arguments: [String]
    @Option(help: "The workbook's sheet to read (default: its one sheet with data).") var sheet: String?

    func validate() throws {
        if !(1...2).contains(arguments.count) { throw usage(zh: "请给出 期次 文件，或带期次列的文件", en: "give COHORT FILE, or FILE with a cohort column") }
    }

    var cohort: String? { arguments.count == 2 ? arguments[0] : nil }
    var file: String { arguments.last ?? "" }
}

/// `--ignore-columns`: an import passes over header columns it does not read, instead of
/// refusing the file.
struct ColumnOptions: ParsableArguments {
    @Flag(help: "Pass over columns luban does not read (otherwise the file is refused, naming each and the closest known column).")
    var ignoreColumns = false

    /// The file (or workbook sheet) to import, read as this option says.
    func reader(_ path: String, sheet: String?) throws -> CSVReader {
        let reader = try CSVReader(path: path, sheet: sheet)
        reader.ignoresUnknownColumns = ignoreColumns
        return reader
    }
}

/// `--format`, `--show-id`, `--excel`, `--out`: how a listing is printed.
struct OutputOptions: ParsableArguments {
    @Option(
        help:
            "Output format: text (aligned, for people), csv (RFC 4180), json (for scripts), xlsx (an Excel/WPS workbook); pdf for a roll-call sheet.")
    var format: OutputFormat = .text

    @Flag(help: "Print full ID and phone numbers instead of masked ones.")
    var showId = false

    @Flag(help: "Start csv with a byte-order mark, so Excel and WPS on Chinese Windows show the Chinese.")
    var excel = false

    @Option(help: "Write to this file instead of standard output (owner-only; a workbook needs it on a terminal).")
    var out: String?

    /// The one rendering switch every listing goes through: the table as csv, json or a
    /// workbook, and as text either aligned or, for a sheet made for paper, laid out as `text`
    /// says. `sheet` names the workbook's sheet; a `paperTitle` sets it for printing on A4,
    /// that title at the top of every page; a `report` puts its title above the table and its
    /// definitions under it, landscape and one page wide.
    func print(
        _ table: Table, text: @autoclosure () -> String? = nil, sheet: String = "luban", paperTitle: String? = nil,
        report: (title: String, notes: String)? = nil
    ) throws {
        if format == .pdf {
            throw usage(
                zh: "PDF 用于证书和签到表（luban certificate print、luban rollcall）；列表请用 text、csv、json 或 xlsx",
                en:
                    "a PDF is for certificates and roll-call sheets (luban certificate print, luban rollcall); for a listing use text, csv, json or xlsx"
            )
        }
        if format == .xlsx {
            let layout = Workbook.Layout(forPaper: paperTitle != nil, title: paperTitle, report: report)
            return try Workbook.emit([(sheet, table, layout)], to: out)
        }
        let rendered = format == .text ? (text() ?? table.text()) : table.render(format, excel: excel)
        if let out { return try OutputFile.write(rendered, to: out) }
        emit(rendered, terminator: "")
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension CertificateLanguage: ExpressibleByArgument {}
extension SessionKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(word: argument) }
}
extension AttendanceStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(word: argument) }
}
extension SignOffResult: ExpressibleByArgument {
    public init?(argument: String) { self.init(word: argument) }
}
extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Prints a line to standard error (progress and notes that scripts reading stdout should not see).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A progress line on standard error for long imports: rows, rate, time left. Nothing when
/// standard error is not a terminal, so logs and pipes stay clean.
final class ProgressLine {
    private let start = Date()
    private var shown = false

    /// The callback for an import, or nil when standard error is not a terminal.
    static func ifTerminal() -> ((ImportProgress) -> Void)? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        let line = ProgressLine()
        return { line.show($0) }
    }

    func show(_ p: ImportProgress) {
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(p.rows) / seconds
        var text = "\r\(p.rows.formatted()) rows  \(Int(rate).formatted()) rows/s"
        if let total = p.totalBytes, total > 0, p.bytesRead > 0 {
            let left = seconds * Double(total - p.bytesRead) / Double(p.bytesRead)
            text += "  \(Int(100 * p.bytesRead / total))%  about \(Int(left.rounded())) s left"
        }
        FileHandle.standardError.write(Data((text + "   ").utf8))
        shown = true
    }

    deinit {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// The databases a command opened, closed by `Luban.main` once the command has printed what it
/// did: the close folds the write-ahead log into the file, which can take a while after a large
/// import, and a person must already have read that the change was recorded.
enum OpenDatabases {
    nonisolated(unsafe) private static var open: [LubanDatabase] = []
    /// The databases closed, kept until the process ends: freeing one frees its dispatch queue,
    /// and libdispatch starts a worker thread for that, just before the process exits anyway.
    nonisolated(unsafe) private static var closed: [LubanDatabase] = []

    static func keep(_ db: LubanDatabase) -> LubanDatabase {
        open.append(db)
        return db
    }

    static func closeAll() {
        fflush(nil)  // every output stream
        for db in open { db.closeConnection() }
        closed += open
        open = []
    }
}

extension Workbook {
    /// Writes a workbook to `path`, or to standard output when that is not a terminal (a
    /// workbook's bytes would only garble one).
    static func emit(_ sheets: [(name: String, table: Table, layout: Layout)], to path: String?) throws {
        if let path { return try write(sheets, to: path) }
        guard isatty(STDOUT_FILENO) == 0 else {
            throw usage(
                zh: "工作簿不能输出到终端：请用 --out 文件.xlsx，或重定向：> 文件.xlsx",
                en: "a workbook is not for a terminal: give --out FILE.xlsx, or redirect: > FILE.xlsx")
        }
        FileHandle.standardOutput.write(try bytes(sheets))
    }
}
