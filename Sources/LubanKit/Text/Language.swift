import Foundation

// MARK: - Chinese first, English on request

/// The language luban speaks: every message, explanation and status word exists in both.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// The language of the work at hand. The command line sets it once from the environment;
    /// a server sets it per request. Unset, the library speaks English, so that its tests read
    /// the same on every machine.
    @TaskLocal public static var current: Language = .en

    /// `LUBAN_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX's order; a `zh_*`
    /// locale means Chinese), else English.
    public init(environment: [String: String]) {
        self.init(variable: { environment[$0] })
    }

    /// The same, with `variable` giving an environment variable's value by name.
    init(variable: (String) -> String?) {
        if let chosen = variable("LUBAN_LANG").flatMap(Language.init(tag:)) {
            self = chosen
            return
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = variable(name), !value.isEmpty else { continue }
            self = value.lowercased().hasPrefix("zh") ? .zh : .en
            return
        }
        self = .en
    }

    /// The language this process's environment asks for.
    public static var ofProcess: Language { Language(variable: ProcessEnvironment.value) }

    /// `zh`, `zh_CN.UTF-8`, `zh-Hans`, `en`, `en_US` …; nil for anything else.
    public init?(tag: String) {
        let t = tag.lowercased()
        if t.hasPrefix("zh") || t == "cn" || t == "中文" {
            self = .zh
        } else if t.hasPrefix("en") || t == "c" || t == "posix" {
            self = .en
        } else {
            return nil
        }
    }
}

/// Words in both languages, shown in `Language.current`. Every message luban gives is one, so
/// that no message can exist in English alone.
public struct Phrase: Sendable, Equatable, CustomStringConvertible {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// The same words in both languages: a name, a code, a number.
    public init(verbatim: String) {
        self.init(zh: verbatim, en: verbatim)
    }

    public func text(in language: Language = .current) -> String {
        language == .zh ? zh : en
    }

    public var description: String { text() }

    /// Each language's words joined with each language's separator.
    public static func + (a: Phrase, b: Phrase) -> Phrase { Phrase(zh: a.zh + b.zh, en: a.en + b.en) }

    public static func joined(_ parts: [Phrase], zh: String = "；", en: String = "; ") -> Phrase {
        Phrase(zh: parts.map(\.zh).joined(separator: zh), en: parts.map(\.en).joined(separator: en))
    }

    /// Whether `text` holds a Han character: what the tests ask of every Chinese message.
    public static func hasChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
    }
}

extension Phrase {
    /// Why a file could not be made, from the system's error number.
    static func cannotCreate(_ code: Int32) -> Phrase {
        let why = String(cString: strerror(code))
        return Phrase(zh: "无法创建（\(why)）", en: "cannot be created (\(why))")
    }

    /// Why a file could not be opened for reading, from the system's error number.
    public static func cannotRead(_ code: Int32) -> Phrase {
        let why = String(cString: strerror(code))
        return Phrase(zh: "无法读取（\(why)）；请检查路径", en: "cannot be read (\(why)); check the path")
    }

    static let noSuchFile = Phrase(zh: "文件不存在", en: "no such file")
}

extension Phrase {
    /// The name of a field of a record in both languages, from its key (`name`, `phone` …).
    public static func field(_ key: String) -> Phrase {
        Phrase(zh: fieldNames[key] ?? key, en: key)
    }

    /// Every field key a message may name, with its Chinese name; a test requires each key the
    /// sources pass as `what:` to be here.
    /// Field names (`name`, `employer`) as the reader reads them, separated as the language
    /// separates a list.
    static func fieldList(_ names: [String]) -> String {
        Language.current == .zh ? names.map { fieldNames[$0] ?? $0 }.joined(separator: "、") : names.joined(separator: ", ")
    }

    public static let fieldNames: [String: String] = [
        "name": "姓名", "employer": "工作单位", "craft": "工种", "phone": "电话", "id_number": "身份证号",
        "affiliation": "所属单位", "assessed_on": "考核日期", "cohort code": "期次编号", "course": "课程", "date": "日期",
        "end": "结束日期", "start": "开始日期", "expert": "专家", "kind": "类别", "note": "备注", "reason": "原因",
        "site": "地点", "technique": "技艺", "title": "标题", "public key": "公钥", "hours": "学时", "status": "出勤状态",
        "result": "结果", "trainee": "学员", "cohort": "期次", "session": "课次", "number": "编号", "tier": "等级",
        "techniques": "技艺", "assessor": "考核专家", "holder": "持证人", "issued_on": "签发日期", "certificate": "证书",
    ]
}

extension Phrase {
    /// A header without `missing`: which columns its first line must name.
    static func headerLacks(_ missing: [String], expected: String? = nil) -> Phrase {
        let expected = expected ?? missing.joined(separator: ",")
        return Phrase(
            zh: "表头缺少 \(missing.joined(separator: ", "))；第一行须写出这些列名：\(expected)",
            en: "the header lacks \(missing.joined(separator: ", ")); the first line must name the columns: \(expected)")
    }

    static let emptyName = Phrase(zh: "姓名为空", en: "the name is empty")
}

extension LubanError {
    /// A correction that changes nothing.
    static func nothingToChange(_ what: String) -> LubanError {
        .conflict(zh: "\(what) 已是如此；没有要更改的内容", en: "\(what) already reads so; nothing to change")
    }
}

extension LubanError {
    static func alreadyWithdrew(_ trainee: String, cohort: String, on date: String) -> LubanError {
        .conflict(zh: "学员 \(trainee) 已于 \(date) 退出期次 \(cohort)", en: "trainee \(trainee) already withdrew from cohort \(cohort) on \(date)")
    }
}

extension Phrase {
    /// No key file where a register signed by `registered` needs one.
    public static func keyMissing(_ registered: String) -> Phrase {
        let fp = IssuerKey.fingerprint(ofPublicKey: registered) ?? "?"
        return Phrase(
            zh: "不存在，而此数据库的证书由密钥 \(fp) 签发：请把该密钥文件（luban backup --with-key 在备份旁保存的 .issuer-key）放到这里；不会另生成新密钥",
            en:
                "does not exist, and this database's certificates were signed by key \(fp): put that key file here (the .issuer-key that luban backup --with-key keeps beside the backup); no new key is made"
        )
    }

    /// An issuer key that is not the one the register was signed with.
    static func notTheKey(_ known: String, restore: Bool) -> Phrase {
        Phrase(
            zh: "不是本数据库证书所用的签名密钥（\(known)）" + (restore ? "；请放回正确的密钥文件" : ""),
            en: "is not the key this database's certificates were signed with (\(known))" + (restore ? "; restore the right key file" : ""))
    }
}

extension Phrase {
    static func cannotCreateFolder(_ code: Int32) -> Phrase {
        let why = String(cString: strerror(code))
        return Phrase(zh: "无法创建其文件夹（\(why)）", en: "cannot create its folder (\(why))")
    }

    static func cannotWrite(_ why: String) -> Phrase { cannotWrite(Phrase(verbatim: why)) }

    static func cannotWrite(_ why: Phrase) -> Phrase {
        Phrase(zh: "无法写入（\(why.zh)）", en: "cannot be written (\(why.en))")
    }

    /// The way out for a workbook luban cannot read.
    static let saveAgain = Phrase(zh: "；请重新另存为 .xlsx，或另存为 CSV UTF-8", en: "; save it again as .xlsx, or as CSV UTF-8")
}

extension LubanError {
    static let workbookIsForListings = LubanError.refused(
        zh: "工作簿和 PDF 不用于此处；此处请用 text、csv 或 json", en: "a workbook or a PDF is not made here; use text, csv or json")
}

extension Phrase {
    static func noTraineeOnSheet(_ reference: String) -> Phrase {
        Phrase(zh: "没有学员“\(reference)”；请用表上印的学员编号", en: "no trainee '\(reference)'; use the trainee code printed on the sheet")
    }
}
