// MARK: - What may be typed into a field

/// The rules for text that comes in (a name, a site, a note): characters that can never belong
/// there are refused when the value is entered, so they never reach a sheet, a certificate or
/// a terminal later. What is already stored is still shown through `Visible`.
public enum FieldText {
    /// Why `value` cannot be the `what` of a record, or nil when it can. Controls, bidi
    /// controls and invisible characters are refused everywhere; line breaks and tabs only
    /// where `lineBreaks` (notes).
    public static func problem(_ value: String, what: String, lineBreaks: Bool = false) -> Phrase? {
        // Counted in UTF-8 bytes first: only a value over a third of its limit in bytes can be
        // over it in characters (a Chinese character is three bytes), and almost none is.
        let limit = longest(what)
        if value.utf8.count > limit, value.count > limit {
            return Phrase(
                zh: "\(Phrase.field(what).zh)有 \(value.count) 个字符，最多 \(limit) 个；请缩短后重新输入",
                en: "\(what) has \(value.count) characters, at most \(limit) are allowed; shorten it and enter it again")
        }
        // Settled from the bytes when none can start an unsafe scalar (see `Visible.isUnsafe`:
        // they are all below 0x20, 0x7F, or start 0xC2, 0xD8, 0xE1, 0xE2 or 0xEF).
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F && $0 != 0xC2 && $0 != 0xD8 && $0 != 0xE1 && $0 != 0xE2 && $0 != 0xEF }) { return nil }
        for s in value.unicodeScalars where Visible.isUnsafe(s) {
            if lineBreaks && (s == "\n" || s == "\t" || s == "\r") { continue }
            let code = "U+" + String(s.value, radix: 16, uppercase: true).zeroPadded(to: 4)
            return Phrase(
                zh: "\(Phrase.field(what).zh)含有不可见字符或控制字符（\(code)），不能作为其内容；请去掉后重新输入",
                en: "\(what) contains an invisible or control character (\(code)) that cannot be part of it; retype it without")
        }
        return nil
    }

    /// The most characters a field may hold, wherever it is entered (by hand, from a file, on
    /// the phone page). A person's name must fit on a certificate and in its QR code: 50 holds
    /// the longest names on Chinese resident ID cards (minority names written in full, with
    /// `·`) and most Latin names; notes and reasons hold a few sentences.
    public static func longest(_ what: String) -> Int {
        switch what {
        case "name", "expert": return 50
        case "note", "reason": return 500
        default: return 100
        }
    }

    /// A note as stored: line breaks as `\n` whatever sent them (a browser's form sends `\r\n`),
    /// white space around it trimmed; so that a note sent back unchanged is the same note.
    public static func note(_ value: String) -> String {
        guard value.utf8.contains(0x0D) else { return value.trimmed }
        return value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").trimmed
    }

    /// Throws `problem` as an error.
    public static func check(_ value: String?, what: String, lineBreaks: Bool = false) throws(LubanError) {
        guard let value, let p = problem(value, what: what, lineBreaks: lineBreaks) else { return }
        throw .refused(p)
    }

    /// A one-line field as stored: line breaks and tabs inside it (a spreadsheet cell's
    /// Alt+Enter) become one space, then it is checked like any field.
    public static func oneLine(_ value: String, what: String) throws(LubanError) -> String {
        var folded = value
        if value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) {
            folded = value.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" })
                .map { $0.trimmed }.filter { !$0.isEmpty }.joined(separator: " ")
        }
        if let p = problem(folded, what: what) { throw .refused(p) }
        return folded
    }

    /// A cohort code: letters, digits, `-`, `_`, `.` and Chinese characters, nothing else (so
    /// two codes can never differ by a character nobody can see).
    public static func cohortCodeProblem(_ code: String) -> Phrase? {
        for c in code.unicodeScalars {
            let ok =
                (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "."))
                || c.properties.isIdeographic
            if !ok {
                return Phrase(
                    zh: "期次编号“\(Visible.text(code))”只能含字母、数字、'-'、'_'、'.' 和汉字，例如 2014-1",
                    en: "cohort code '\(Visible.text(code))' may hold only letters, digits, '-', '_', '.' and Chinese characters, e.g. 2014-1")
            }
        }
        return nil
    }

    /// Full-width digits, letters and signs (`１１０１`, `Ｘ`, `－`) as their ASCII forms, and the
    /// ideographic space as a space: what a Chinese input method types into a number or a date.
    public static func halfWidth(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || $0.value == 0x3000 }) else { return text }
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { s in
                    if (0xFF01...0xFF5E).contains(s.value) { return Unicode.Scalar(s.value - 0xFEE0)! }
                    return s.value == 0x3000 ? " " : s
                }))
    }

    /// A cell as luban wrote it, without the `'` its CSV writer puts before a leading `=`, `+`,
    /// `-` or `@` so that no spreadsheet runs it as a formula.
    public static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.dropFirst().first, "=+-@".contains(second) else { return cell }
        return String(cell.dropFirst())
    }

    /// A phone number as stored, or why it is not one: a mainland mobile (11 digits starting
    /// with 1, `+86` allowed) or a landline with its area code (`010-12345678`, `0314 1234567`).
    public static func phone(_ raw: String) -> Result<String, PhoneProblem> {
        // A mobile as most rosters have it, 11 ASCII digits from 1, settled from the bytes.
        if raw.utf8.count == 11, raw.utf8.first == UInt8(ascii: "1"), raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return .success(raw) }
        var t = halfWidth(raw).trimmed.filter { $0 != " " }
        if t.hasPrefix("+86") { t.removeFirst(3) } else if t.hasPrefix("0086") { t.removeFirst(4) }
        let digits = t.filter { $0 != "-" }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.init(raw)) }
        if digits.first == "1", digits.count == 11, !t.contains("-") { return .success(digits) }
        if digits.first == "0", (10...12).contains(digits.count), t.filter({ $0 == "-" }).count <= 1, !t.hasSuffix("-") { return .success(t) }
        return .failure(.init(raw))
    }

    public struct PhoneProblem: Error, Equatable, Sendable {
        public var text: String
        init(_ text: String) { self.text = text }
        public var reason: String { phrase.text() }

        public var phrase: Phrase {
            let shown = Mask.phone(Visible.text(text.trimmed))
            return Phrase(
                zh: "电话“\(shown)”不是电话号码：请填手机号（以 1 开头的 11 位数字）或带区号的座机号（010-12345678）",
                en:
                    "phone '\(shown)' is not a phone number: give a mobile (11 digits starting with 1) or a landline with its area code (010-12345678)"
            )
        }
    }
}

extension String {
    /// Zero-padded on the left to `width` characters.
    func zeroPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
