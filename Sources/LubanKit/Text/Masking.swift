// MARK: - Masking personal data

/// Masks personal numbers for every output unless the user asks for them (`--show-id`).
public enum Mask {
    /// `110101199003078515` → `110101********8515`: the region code and the last four stay.
    public static func idNumber(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count > 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }

    /// `13812345678` → `138****5678`.
    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count > 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }

    /// A reference someone typed (a trainee code, or an ID number that finds a trainee), as a
    /// message may echo it: an ID number masked, anything else as it is.
    public static func reference(_ text: String) -> String {
        let t = text.trimmed
        let looksLikeID = t.count >= 15 && t.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "X" || $0 == "x") }
        return looksLikeID ? idNumber(t) : text
    }
}
