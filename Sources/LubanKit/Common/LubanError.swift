import Foundation

// MARK: - Errors users see

/// A problem in an input file, at a line.
public struct Finding: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// The workbook's sheet the line is on (nil for a CSV file).
    public var sheet: String?
    public var line: Int
    public var message: Phrase
    /// What would fix the row, where it is a step a front end can name (a command, a button).
    public var fix: Fix?

    public enum Fix: Sendable, Equatable {
        case enrol(cohort: String, trainee: String)
    }

    public init(file: String, sheet: String? = nil, line: Int, message: Phrase, fix: Fix? = nil) {
        self.file = file
        self.sheet = sheet
        self.line = line
        self.fix = fix
        // A message quotes at most a short excerpt of the file.
        func cut(_ m: String) -> String { m.count > 300 ? String(m.prefix(300)) + "…" : m }
        self.message = Phrase(zh: cut(message.zh), en: cut(message.en))
    }

    /// `file:line: ` or `file:sheet!row: `, before the message.
    public var prefix: String { "\(file):\(sheet.map { Visible.cell($0) + "!" } ?? "")\(line): " }

    /// `file:line: error: message`, the form editors and CI logs understand; in a workbook,
    /// `file:sheet!row: error: message`, the way a spreadsheet names a row of a sheet.
    /// `error:` stays in English in both languages: it is the tag editors and CI logs look for.
    public var description: String { prefix + "error: " + message.text() }
}

/// Every failure `luban` reports. Each message names the thing and how to fix it.
public enum LubanError: LocalizedError, Sendable, Equatable {
    case database(path: String, reason: Phrase)
    case notALubanDatabase(path: String)
    case noDatabase(path: String)
    case databaseTooNew(path: String)
    /// The file at the path is not the one this process opened (moved, replaced or deleted
    /// meanwhile): nothing more is read or written through it.
    case databaseReplaced(path: String)
    /// A backup that holds office accounts for the web server, restored without asking for them.
    case backupHoldsAccounts(file: String, names: [String])
    case file(path: String, reason: Phrase)
    case fileRefused(file: String, findings: [Finding], total: Int)
    /// A workbook with data on several sheets, and no sheet named.
    case whichSheet(file: String, sheets: [String])
    /// A sheet named that the workbook does not have.
    case noSuchSheet(file: String, sheet: String, sheets: [String])
    case invalidDate(what: String, text: String)
    case invalidIDNumber(Phrase)
    case invalidHours(String)
    case invalidValue(what: String, text: String, expected: Phrase)
    case duplicateIDNumber(id: String, holder: String)
    case unknownTrainee(String)
    /// Not a trainee code where only a code is taken (a roll-call screen): no lookup is made.
    case notOnRollCall(String)
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
    case course(Phrase)
    case notEnrolled(trainee: String, cohort: String)
    case issuerKey(path: String, reason: Phrase)
    case noIssuerKey(path: String)
    case unknownExpert(String, suggestions: [String])
    /// No public key to verify with; `keyFile` is where the register's key file would be.
    case noPublicKey(keyFile: String?)
    case noRegister(target: String, databasePath: String)
    /// A change refused because a valid certificate rests on the record it would change; the
    /// way out is to revoke the certificate first. (The web answers 409 Conflict.)
    case restsOnCertificate(number: String, reason: Phrase)
    /// The record already reads so, or the same one already exists. (409 Conflict.)
    case conflict(Phrase)
    /// Any other input refused by a rule, with the rule's words. (400 Bad Request.)
    case refused(Phrase)
    /// A statement luban itself got wrong (SQLite refused its SQL or one of the schema's own
    /// rules): a fault of the program, not of the file or the input.
    case internalFailure(sqlite: String)

    /// The message, with anything from input that could steer a terminal made visible.
    public var errorDescription: String? { Visible.lines(message) }

    /// What went wrong, in the library's words and `Language.current`.
    public var message: String { phrase.text() }

    /// What went wrong, in both languages: no command or flag is named here (the same library
    /// serves other front ends); `luban` adds how to fix it at its edge.
    public var phrase: Phrase {
        switch self {
        case .database(let path, let reason):
            return Phrase(zh: "无法使用数据库 \(path)：", en: "cannot use the database \(path): ") + reason
        case .internalFailure(let sqlite):
            return Phrase(
                zh: "luban 内部出错（SQLite：\(sqlite)）；未做任何修改。这是程序的问题，不是数据的问题：请连同所运行的命令一起报告",
                en:
                    "luban failed inside (SQLite: \(sqlite)); nothing was changed. This is a fault of the program, not of your data: please report it with the command you ran"
            )
        case .notALubanDatabase(let path):
            return Phrase(zh: "\(path) 不是 luban 数据库", en: "\(path) is not a luban database")
        case .noDatabase(let path):
            return Phrase(zh: "\(path) 处没有 luban 数据库", en: "no luban database at \(path)")
        case .databaseTooNew(let path):
            return Phrase(
                zh: "\(path) 由更新版本的 luban 写入；请安装新版 luban 后再使用",
                en: "\(path) was written by a newer luban; install the newer luban to use it")
        case .databaseReplaced(let path):
            return Phrase(
                zh: "数据库文件 \(path) 在本程序运行期间被移走、替换或删除；此项未保存。请重新启动本程序，它会打开现在位于该路径的文件",
                en:
                    "the database file \(path) was moved, replaced or deleted while this program ran; this was not kept. Restart the program: it will open the file now at that path"
            )
        case .backupHoldsAccounts(let file, let names):
            let shown = Self.quotedList(names)
            return Phrase(
                zh: "\(file)：含有 \(names.count) 个网页办公室账户（\(shown)）；只有确认这些账户是本办公室的，才连同账户一起恢复；未做任何恢复",
                en:
                    "\(file): holds \(names.count) office account(s) for the web server (\(shown)); restore them too only if you know them to be this office's; nothing was restored"
            )
        case .file(let path, let reason):
            return Phrase(verbatim: "\(path): ") + reason
        case .whichSheet(let file, let sheets):
            return Phrase(
                zh: "\(file)：不止一个工作表有数据（\(Self.quotedList(sheets))）；请指明读哪一个",
                en: "\(file): has data on more than one sheet (\(Self.quotedList(sheets))); say which one to read")
        case .noSuchSheet(let file, let sheet, let sheets):
            return Phrase(
                zh: "\(file)：没有工作表“\(excerpt(sheet))”；它的工作表是 \(Self.quotedList(sheets))",
                en: "\(file): has no sheet '\(excerpt(sheet))'; its sheets are \(Self.quotedList(sheets))")
        case .fileRefused(let file, let findings, let total):
            return Self.refusedFile(file, total: total, lines: findings.map { Phrase(verbatim: $0.prefix + "error: ") + $0.message })
        case .invalidDate(let what, let text):
            return Phrase(
                zh: "\(Phrase.field(what).zh)“\(excerpt(text))”不是日期；请写成 YYYY-MM-DD，例如 2014-04-12",
                en: "\(what) '\(excerpt(text))' is not a date; write it as YYYY-MM-DD, e.g. 2014-04-12")
        case .invalidIDNumber(let reason):
            return reason
        case .invalidHours(let text):
            return Phrase(
                zh: "学时“\(excerpt(text))”须大于 0、不超过 12，以一刻钟为单位（如 2、1.5、3.25）",
                en: "hours '\(excerpt(text))' must be more than 0 and at most 12, in quarter hours (e.g. 2, 1.5, 3.25)")
        case .invalidValue(let what, let text, let expected):
            return Phrase(
                zh: "\(Phrase.field(what).zh)“\(excerpt(text))”无效；请用 \(expected.zh)",
                en: "\(what) '\(excerpt(text))' is not valid; use \(expected.en)")
        case .duplicateIDNumber(let id, let holder):
            return Phrase(
                zh: "身份证号 \(Mask.idNumber(id)) 已登记，属于 \(holder)；请使用该学员，不要另建新学员",
                en: "ID number \(Mask.idNumber(id)) is already known: it belongs to \(holder); use that trainee instead of adding a new one")
        case .unknownTrainee(let t):
            return Phrase(
                zh: "没有学员“\(excerpt(Mask.reference(t)))”；请给出学员编号（T00042）或身份证号",
                en: "no trainee '\(excerpt(Mask.reference(t)))'; give a trainee code (T00042) or ID number")
        case .notOnRollCall(let t):
            return Phrase(
                zh: "“\(excerpt(Mask.reference(t)))”不是学员编号；点名只认学员编号（如 T00042）",
                en: "'\(excerpt(Mask.reference(t)))' is not a trainee code; a roll call takes trainee codes only (e.g. T00042)")
        case .unknownCohort(let c):
            return Phrase(zh: "没有期次“\(excerpt(c))”", en: "no cohort '\(excerpt(c))'")
        case .unknownSession(let s):
            return Phrase(zh: "没有课次“\(excerpt(s))”", en: "no session '\(excerpt(s))'")
        case .unknownCurriculum(let c):
            return Phrase(zh: "没有培训方案“\(excerpt(c))”", en: "no curriculum '\(excerpt(c))'")
        case .unknownCertificate(let n):
            return Phrase(zh: "证书登记簿中没有证书“\(excerpt(n))”", en: "no certificate '\(excerpt(n))' in the register")
        case .unknownTechnique(let t, let known):
            return Phrase(
                zh: "技艺“\(excerpt(t))”不在本期培训方案中；已有技艺：\(known.joined(separator: "、"))",
                en: "technique '\(excerpt(t))' is not in the cohort's curriculum; known techniques: \(known.joined(separator: ", "))")
        case .noCurriculum:
            return Phrase(zh: "尚未载入培训方案", en: "no curriculum is loaded")
        case .ambiguousCurriculum(let ids):
            return Phrase(
                zh: "已载入不止一个培训方案（\(ids.joined(separator: "、"))）；请指明用哪一个",
                en: "more than one curriculum is loaded (\(ids.joined(separator: ", "))); say which")
        case .cohortExists(let code):
            return Phrase(zh: "期次编号 \(code) 已被使用；请换一个编号", en: "cohort code \(code) is already used; choose another code")
        case .cohortDates(let code, let start, let end):
            return Phrase(
                zh: "期次 \(code) 的结束日期（\(end)）早于开始日期（\(start)）",
                en: "cohort \(code) would end (\(end)) before it starts (\(start))")
        case .sessionOutsideCohort(let date, let cohort, let start, let end):
            return Phrase(
                zh: "日期 \(date) 不在期次 \(cohort) 之内（\(start) 至 \(end)）；请用期次内的日期",
                en: "date \(date) is outside cohort \(cohort) (\(start) to \(end)); use a date within the cohort")
        case .course(let reason):
            return reason
        case .notEnrolled(let trainee, let cohort):
            return Phrase(
                zh: "学员 \(Mask.reference(trainee)) 未报名期次 \(cohort)",
                en: "trainee \(Mask.reference(trainee)) is not enrolled in cohort \(cohort)")
        case .issuerKey(let path, let reason):
            return Phrase(zh: "签发密钥 \(path)：", en: "issuer key \(path): ") + reason
        case .unknownExpert(let name, let suggestions):
            return Phrase(
                zh: "没有登记专家“\(excerpt(name))”" + (suggestions.isEmpty ? "" : "；相近的已登记专家：\(suggestions.joined(separator: "、"))"),
                en: "no expert '\(excerpt(name))' is registered"
                    + (suggestions.isEmpty ? "" : "; registered experts like it: \(suggestions.joined(separator: ", "))"))
        case .noIssuerKey(let path):
            return Phrase(zh: "签发密钥 \(path)：未找到", en: "issuer key \(path): not found")
        case .noPublicKey(nil):
            return Phrase(zh: "没有用于验证的公钥", en: "no public key to verify with")
        case .noPublicKey(let keyFile?):
            return Phrase(
                zh: "没有可用来核对登记簿的签发密钥（\(keyFile) 处没有密钥文件）",
                en: "no issuer key to check the register against (no key file at \(keyFile))")
        case .noRegister(let target, let databasePath):
            return Phrase(
                zh: "\(excerpt(target)) 不是文件，且 \(databasePath) 处没有可查证书编号的登记簿",
                en: "\(excerpt(target)) is not a file, and there is no register at \(databasePath) to look a number up in")
        case .refused(let reason), .conflict(let reason), .restsOnCertificate(_, let reason):
            return reason
        }
    }

    /// A refused file: how many problems, that nothing was imported, then one line each.
    public static func refusedFile(_ file: String, total: Int, lines: [Phrase]) -> Phrase {
        let shown = Phrase.joined(lines, zh: "\n", en: "\n")
        let more =
            total > lines.count ? Phrase(zh: "\n……另有 \(total - lines.count) 处", en: "\n… and \(total - lines.count) more") : Phrase(verbatim: "")
        return Phrase(
            zh: "\(file)：\(total) 处问题；未导入任何内容。请改正文件后重新导入。\n",
            en: "\(file): \(total == 1 ? "1 problem" : "\(total) problems"); nothing was imported. Fix the file and import it again.\n")
            + shown + more
    }

    /// A refusal in both languages.
    public static func refused(zh: String, en: String) -> LubanError { .refused(Phrase(zh: zh, en: en)) }

    /// A change refused because certificate `number` rests on what it would change.
    static func restsOn(_ number: String, zh: String, en: String) -> LubanError {
        .restsOnCertificate(number: number, reason: Phrase(zh: zh, en: en))
    }

    /// A conflict in both languages: the record already reads so, or the same one exists.
    static func conflict(zh: String, en: String) -> LubanError { .conflict(Phrase(zh: zh, en: en)) }
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
