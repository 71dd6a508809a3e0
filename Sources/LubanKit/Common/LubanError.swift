import Foundation

// MARK: - Errors users see

/// A problem in an input file, at a line.
public struct Finding: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// The workbook's sheet the line is on (nil for a CSV file).
    public var sheet: String?
    public var line: Int
    public var message: String
    /// What would fix the row, where it is a step a front end can name (a command, a button).
    public var fix: Fix?

    public enum Fix: Sendable, Equatable {
        case enrol(cohort: String, trainee: String)
    }

    public init(file: String, sheet: String? = nil, line: Int, message: String, fix: Fix? = nil) {
        self.file = file
        self.sheet = sheet
        self.line = line
        self.fix = fix
        // A message quotes at most a short excerpt of the file.
        self.message = message.count > 300 ? String(message.prefix(300)) + "…" : message
    }

    /// `file:line: error: message`, the form editors and CI logs understand; in a workbook,
    /// `file:sheet!row: error: message`, the way a spreadsheet names a row of a sheet.
    public var description: String { "\(file):\(sheet.map { Visible.cell($0) + "!" } ?? "")\(line): error: \(message)" }
}

/// Every failure `luban` reports. Each message names the thing and how to fix it.
public enum LubanError: LocalizedError, Sendable, Equatable {
    case database(path: String, reason: String)
    case notALubanDatabase(path: String)
    case noDatabase(path: String)
    case databaseTooNew(path: String)
    case file(path: String, reason: String)
    case fileRefused(file: String, findings: [Finding], total: Int)
    /// A workbook with data on several sheets, and no sheet named.
    case whichSheet(file: String, sheets: [String])
    /// A sheet named that the workbook does not have.
    case noSuchSheet(file: String, sheet: String, sheets: [String])
    case invalidDate(what: String, text: String)
    case invalidIDNumber(String)
    case invalidHours(String)
    case invalidValue(what: String, text: String, expected: String)
    case duplicateIDNumber(id: String, holder: String)
    case unknownTrainee(String)
    case unknownCohort(String)
    case unknownSession(String)
    case unknownCurriculum(String)
    case unknownCertificate(String)
    case unknownTechnique(String, known: [String])
    case noCurriculum
    case ambiguousCurriculum([String])
    case cohortExists(String)
    case cohortDates(code: String, start: CalendarDate, end: CalendarDate)
    case sessionOutsideCohort(date: CalendarDate, cohort: String, start: CalendarDate, end: CalendarDate)
    case course(String)
    case notEnrolled(trainee: String, cohort: String)
    case issuerKey(path: String, reason: String)
    case noIssuerKey(path: String)
    case unknownExpert(String, suggestions: [String])
    /// No public key to verify with; `keyFile` is where the register's key file would be.
    case noPublicKey(keyFile: String?)
    case noRegister(target: String, databasePath: String)
    case refused(String)

    /// The message, with anything from input that could steer a terminal made visible.
    public var errorDescription: String? { Visible.lines(message) }

    /// What went wrong, in the library's words: no command or flag is named here (the same
    /// library serves other front ends); `luban` adds how to fix it at its edge.
    public var message: String {
        switch self {
        case .database(let path, let reason):
            return "cannot use the database \(path): \(reason)"
        case .notALubanDatabase(let path):
            return "\(path) is not a luban database"
        case .noDatabase(let path):
            return "no luban database at \(path)"
        case .databaseTooNew(let path):
            return "\(path) was written by a newer luban; install the newer luban to use it"
        case .file(let path, let reason):
            return "\(path): \(reason)"
        case .whichSheet(let file, let sheets):
            return "\(file): has data on more than one sheet (\(Self.quotedList(sheets))); say which one to read"
        case .noSuchSheet(let file, let sheet, let sheets):
            return "\(file): has no sheet '\(excerpt(sheet))'; its sheets are \(Self.quotedList(sheets))"
        case .fileRefused(let file, let findings, let total):
            let shown = findings.map(\.description).joined(separator: "\n")
            let more = total > findings.count ? "\n… and \(total - findings.count) more" : ""
            let rows = total == 1 ? "1 problem" : "\(total) problems"
            return "\(file): \(rows); nothing was imported. Fix the file and import it again.\n\(shown)\(more)"
        case .invalidDate(let what, let text):
            return "\(what) '\(excerpt(text))' is not a date; write it as YYYY-MM-DD, e.g. 2014-04-12"
        case .invalidIDNumber(let reason):
            return reason
        case .invalidHours(let text):
            return "hours '\(excerpt(text))' must be more than 0 and at most 12, in quarter hours (e.g. 2, 1.5, 3.25)"
        case .invalidValue(let what, let text, let expected):
            return "\(what) '\(excerpt(text))' is not valid; use \(expected)"
        case .duplicateIDNumber(let id, let holder):
            return "ID number \(Mask.idNumber(id)) is already known: it belongs to \(holder); use that trainee instead of adding a new one"
        case .unknownTrainee(let t):
            return "no trainee '\(excerpt(Mask.reference(t)))'; give a trainee code (T00042) or ID number"
        case .unknownCohort(let c):
            return "no cohort '\(excerpt(c))'"
        case .unknownSession(let s):
            return "no session '\(excerpt(s))'"
        case .unknownCurriculum(let c):
            return "no curriculum '\(excerpt(c))'"
        case .unknownCertificate(let n):
            return "no certificate '\(excerpt(n))' in the register"
        case .unknownTechnique(let t, let known):
            return "technique '\(excerpt(t))' is not in the cohort's curriculum; known techniques: \(known.joined(separator: ", "))"
        case .noCurriculum:
            return "no curriculum is loaded"
        case .ambiguousCurriculum(let ids):
            return "more than one curriculum is loaded (\(ids.joined(separator: ", "))); say which"
        case .cohortExists(let code):
            return "cohort code \(code) is already used; choose another code"
        case .cohortDates(let code, let start, let end):
            return "cohort \(code) would end (\(end)) before it starts (\(start))"
        case .sessionOutsideCohort(let date, let cohort, let start, let end):
            return "date \(date) is outside cohort \(cohort) (\(start) to \(end)); use a date within the cohort"
        case .course(let reason):
            return reason
        case .notEnrolled(let trainee, let cohort):
            return "trainee \(Mask.reference(trainee)) is not enrolled in cohort \(cohort)"
        case .issuerKey(let path, let reason):
            return "issuer key \(path): \(reason)"
        case .unknownExpert(let name, let suggestions):
            return "no expert '\(excerpt(name))' is registered"
                + (suggestions.isEmpty ? "" : "; registered experts like it: \(suggestions.joined(separator: ", "))")
        case .noIssuerKey(let path):
            return "issuer key \(path): not found"
        case .noPublicKey(nil):
            return "no public key to verify with"
        case .noPublicKey(let keyFile?):
            return "no issuer key to check the register against (no key file at \(keyFile))"
        case .noRegister(let target, let databasePath):
            return "\(excerpt(target)) is not a file, and there is no register at \(databasePath) to look a number up in"
        case .refused(let reason):
            return reason
        }
    }
}

/// At most the first 40 characters of something the user typed or a file held, for a message.
func excerpt(_ text: String) -> String {
    text.count > 40 ? String(text.prefix(40)) + "…" : text
}

extension LubanError {
    /// Names in quotes, as a message lists them ('花名册', 'Sheet2').
    static func quotedList(_ names: [String]) -> String {
        names.prefix(10).map { "'\(Visible.cell(String($0.prefix(40))))'" }.joined(separator: ", ") + (names.count > 10 ? ", …" : "")
    }
}
