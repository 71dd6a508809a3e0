import LubanKit

// MARK: - How to fix it, in luban's commands

extension LubanError {
    /// What to type next, for the errors whose fix is a command: added here, at the command
    /// line's edge, so that the library's own messages name no command or flag.
    var hint: Phrase? {
        switch self {
        case .notALubanDatabase(let path):
            return Phrase(
                zh: "请用 --db 给出正确的文件，或新建一个：luban init --db \(path)",
                en: "give the right file with --db, or create one with: luban init --db \(path)")
        case .noDatabase:
            return Phrase(zh: "请用 luban init 新建（或检查 --db / LUBAN_DB）", en: "create one with luban init (or check --db / LUBAN_DB)")
        case .unknownTrainee: return Phrase(zh: "查看：luban trainee list", en: "see: luban trainee list")
        case .unknownCohort(let c):
            let code = c.count > 40 ? "COHORT" : c
            return Phrase(
                zh: "查看：luban cohort list，或新建：luban cohort add \(code) --start 日期 --end 日期 --site 地点",
                en: "see: luban cohort list, or add it: luban cohort add \(code) --start DATE --end DATE --site SITE")
        case .unknownSession: return Phrase(zh: "查看：luban session list 期次", en: "see: luban session list COHORT")
        case .unknownCurriculum:
            return Phrase(
                zh: "请先载入：luban curriculum load 文件（查看：luban curriculum list）",
                en: "load it first: luban curriculum load FILE (see: luban curriculum list)")
        case .unknownCertificate:
            return Phrase(zh: "查看：luban certificate print --cohort 期次 --format csv", en: "see: luban certificate print --cohort COHORT --format csv")
        case .noCurriculum:
            return Phrase(
                zh: "请先载入一个：luban curriculum load Curriculum/luban.yaml", en: "load one first: luban curriculum load Curriculum/luban.yaml")
        case .ambiguousCurriculum: return Phrase(zh: "用 --curriculum ID 指明", en: "with --curriculum ID")
        case .cohortExists(let code): return Phrase(zh: "查看：luban cohort show \(code)", en: "see: luban cohort show \(code)")
        case .cohortDates: return Phrase(zh: "请检查 --start 和 --end", en: "check --start and --end")
        case .notEnrolled(let trainee, let cohort): return Self.words(.enrol(cohort: cohort, trainee: Mask.reference(trainee)))
        case .noIssuerKey: return Phrase(zh: "请用 luban init 生成", en: "create it with: luban init")
        case .unknownExpert:
            return Phrase(
                zh: "请先登记：luban expert add 姓名（或导入时加 --add-experts）",
                en: "register them first: luban expert add NAME (or import with --add-experts)")
        case .noPublicKey(nil):
            return Phrase(
                zh: "请给出 --public-key ed25519:...（签发方用 luban issuer key 打印）",
                en: "give --public-key ed25519:... (the issuer prints it with: luban issuer key)")
        case .noPublicKey(_?):
            return Phrase(
                zh: "请给出 --public-key ed25519:...（在密钥文件所在处用 luban issuer key 打印），或在密钥文件所在处运行",
                en: "give --public-key ed25519:... (luban issuer key prints it where the key file is), or run where the key file is")
        case .backupHoldsAccounts(let file, _):
            return Phrase(
                zh: "确认后：luban restore \(file) --with-accounts；之后可用 luban user 管理账户",
                en: "when you know them: luban restore \(file) --with-accounts; manage them afterwards with luban user")
        case .databaseReplaced:
            return Phrase(zh: "请重新启动 luban serve", en: "start luban serve again")
        case .noRegister: return Phrase(zh: "请给出 --db", en: "give --db")
        case .whichSheet(_, let sheets), .noSuchSheet(_, _, let sheets):
            let example = Visible.cell(String((sheets.first ?? "Sheet1").prefix(40)))
            return Phrase(zh: "请用 --sheet 名称，例如 --sheet '\(example)'", en: "give --sheet NAME, e.g. --sheet '\(example)'")
        default: return nil
        }
    }

    /// The whole message `luban` prints after `Error: `.
    var withHint: String {
        if case .fileRefused(let file, let findings, let total) = self {
            let lines = findings.map { f in
                Phrase(verbatim: f.prefix + "error: ") + f.message
                    + (f.fix.map { Phrase(zh: "；", en: "; ") + Self.words($0) } ?? Phrase(verbatim: ""))
            }
            return Visible.lines(LubanError.refusedFile(file, total: total, lines: lines).text())
        }
        return Visible.lines((phrase + (hint.map { Phrase(zh: "；", en: "; ") + $0 } ?? Phrase(verbatim: ""))).text())
    }

    static func words(_ fix: Finding.Fix) -> Phrase {
        switch fix {
        case .enrol(let cohort, let trainee):
            return Phrase(zh: "请先报名：luban enroll \(cohort) \(trainee)", en: "enrol first: luban enroll \(cohort) \(trainee)")
        }
    }
}
