// MARK: - A status at a session (DOMAIN.md glossary)

/// A trainee's status at a session. Attended means `present` or `late`.
public enum AttendanceStatus: String, CaseIterable, Codable, Sendable {
    case present, late, excused, absent

    public var chinese: String {
        switch self {
        case .present: return "出勤"
        case .late: return "迟到"
        case .excused: return "请假"
        case .absent: return "缺勤"
        }
    }

    /// `present` and `late` count as attended; `excused` and `absent` do not.
    public var isAttended: Bool { self == .present || self == .late }

    /// The number the ledger keeps (`attendance_entry.status`): 0 present, 1 late, 2 excused,
    /// 3 absent. The views over the ledger give the word.
    public var code: Int64 {
        switch self {
        case .present: return 0
        case .late: return 1
        case .excused: return 2
        case .absent: return 3
        }
    }

    /// The ledger's code of an entry that takes a mark back: the trainee is not marked again
    /// (`unmarked` in `attendance_ledger`; `attendance` leaves the pair out).
    public static let takenBackCode: Int64 = 4

    /// The ledger's code for `status`, nil meaning a mark taken back.
    static func code(_ status: AttendanceStatus?) -> Int64 { status?.code ?? takenBackCode }

    /// The status the ledger keeps as `code`, or nil for a number that is none (or a mark
    /// taken back).
    public init?(code: Int64) {
        switch code {
        case 0: self = .present
        case 1: self = .late
        case 2: self = .excused
        case 3: self = .absent
        default: return nil
        }
    }

    /// Parses the English or Chinese word, any case, surrounding white space ignored: the
    /// same reader as a sheet's cells (`Bytes.status`).
    public init?(word: String) {
        guard case .some(.some(let s)) = Bytes.status(Array(word.utf8)) else { return nil }
        self = s
    }

    /// The words a sheet may use, for messages.
    public static var accepted: String { acceptedWords.text() }

    static let acceptedWords = Phrase(
        zh: "出勤、迟到、请假、缺勤（或 present、late、excused、absent；纸质表上 √ 迟 假 ×）",
        en: "present, late, excused, absent (or 出勤, 迟到, 请假, 缺勤; on paper √ 迟 假 ×)")
}
