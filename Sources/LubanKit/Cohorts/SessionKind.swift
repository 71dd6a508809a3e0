// MARK: - How a session teaches (DOMAIN.md glossary)

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
        if let k = SessionKind(rawValue: w) {
            self = k
            return
        }
        switch w {
        case "课堂授课", "课堂": self = .classroom
        case "实地教学", "实地": self = .field
        case "专家演示", "实操", "演示": self = .demonstration
        default: return nil
        }
    }
}
