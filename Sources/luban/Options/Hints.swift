import LubanKit

// MARK: - How to fix it, in luban's commands

extension LubanError {
    /// What to type next, for the errors whose fix is a command: added here, at the command
    /// line's edge, so that the library's own messages name no command or flag.
    var hint: String? {
        switch self {
        case .notALubanDatabase(let path): return "give the right file with --db, or create one with: luban init --db \(path)"
        case .noDatabase: return "create one with luban init (or check --db / LUBAN_DB)"
        case .unknownTrainee: return "see: luban trainee list"
        case .unknownCohort(let c):
            return "see: luban cohort list, or add it: luban cohort add \(c.count > 40 ? "COHORT" : c) --start DATE --end DATE --site SITE"
        case .unknownSession: return "see: luban session list COHORT"
        case .unknownCurriculum: return "load it first: luban curriculum load FILE (see: luban curriculum list)"
        case .unknownCertificate: return "see: luban certificate print --cohort COHORT --format csv"
        case .noCurriculum: return "load one first: luban curriculum load Curriculum/luban.yaml"
        case .ambiguousCurriculum: return "with --curriculum ID"
        case .cohortExists(let code): return "see: luban cohort show \(code)"
        case .cohortDates: return "check --start and --end"
        case .notEnrolled(let trainee, let cohort): return "enrol first: luban enroll \(cohort) \(Mask.reference(trainee))"
        case .noIssuerKey: return "create it with: luban init"
        case .unknownExpert: return "register them first: luban expert add NAME (or import with --add-experts)"
        case .noPublicKey(nil): return "give --public-key ed25519:... (the issuer prints it with: luban issuer key)"
        case .noPublicKey(_?): return "give --public-key ed25519:... (luban issuer key prints it where the key file is), or run where the key file is"
        case .noRegister: return "give --db"
        case .whichSheet(_, let sheets), .noSuchSheet(_, _, let sheets):
            return "give --sheet NAME, e.g. --sheet '\(Visible.cell(String((sheets.first ?? "Sheet1").prefix(40))))'"
        default: return nil
        }
    }

    /// The whole message `luban` prints after `Error: `.
    var withHint: String {
        if case .fileRefused(let file, let findings, let total) = self {
            let rows = total == 1 ? "1 problem" : "\(total) problems"
            let more = total > findings.count ? "\n… and \(total - findings.count) more" : ""
            let lines = findings.map { f in f.description + (f.fix.map { "; " + Self.words($0) } ?? "") }
            return Visible.lines("\(file): \(rows); nothing was imported. Fix the file and import it again.\n" + lines.joined(separator: "\n") + more)
        }
        return Visible.lines(message + (hint.map { "; " + $0 } ?? ""))
    }

    static func words(_ fix: Finding.Fix) -> String {
        switch fix {
        case .enrol(let cohort, let trainee): return "enrol first: luban enroll \(cohort) \(trainee)"
        }
    }
}
