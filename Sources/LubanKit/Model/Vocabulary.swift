// MARK: - The program's words (DOMAIN.md glossary)

/// How a session teaches: 课堂授课, 实地教学, 专家演示/实操.
public enum SessionKind: String, CaseIterable, Codable, Sendable, Comparable {
    case classroom, field, demonstration

    /// The Chinese word printed on sheets and certificates.
    public var chinese: String {
        switch self {
        case .classroom: return "课堂授课"
        case .field: return "实地教学"
        case .demonstration: return "专家演示"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Parses `classroom|field|demonstration` (any case) or the Chinese words.
    public init?(word: String) {
        let w = word.trimmed.lowercased()
        if let k = SessionKind(rawValue: w) { self = k; return }
        switch w {
        case "课堂授课", "课堂": self = .classroom
        case "实地教学", "实地": self = .field
        case "专家演示", "实操", "演示": self = .demonstration
        default: return nil
        }
    }
}

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

    /// Parses the English or Chinese word, any case, surrounding white space ignored: the
    /// same reader as a sheet's cells (`Bytes.status`).
    public init?(word: String) {
        guard case .some(.some(let s)) = Bytes.status(Array(word.utf8)) else { return nil }
        self = s
    }

    /// The words a sheet may use, for messages.
    public static let accepted = "present, late, excused, absent (or 出勤, 迟到, 请假, 缺勤)"
}

/// An expert's verdict on a trainee's hands-on practice of a technique.
public enum SignOffResult: String, CaseIterable, Codable, Sendable {
    case pass, fail

    public init?(word: String) {
        switch word.trimmed.lowercased() {
        case "pass", "通过", "合格": self = .pass
        case "fail", "不通过", "不合格": self = .fail
        default: return nil
        }
    }
}

/// Whether a certificate still stands.
public enum CertificateStatus: String, Codable, Sendable {
    case valid, revoked
}

/// Whether a tier is earned in one cohort or over all of a trainee's cohorts.
public enum TierScope: String, Codable, Sendable {
    case cohort, cumulative
}
