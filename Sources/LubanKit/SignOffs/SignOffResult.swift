// MARK: - An expert's verdict (DOMAIN.md glossary)

/// An expert's verdict on a trainee's hands-on practice of a technique.
public enum SignOffResult: String, CaseIterable, Codable, Sendable {
    case pass, fail

    public var chinese: String { self == .pass ? "通过" : "不通过" }

    public init?(word: String) {
        switch word.trimmed.lowercased() {
        case "pass", "通过", "合格": self = .pass
        case "fail", "不通过", "不合格": self = .fail
        default: return nil
        }
    }
}
