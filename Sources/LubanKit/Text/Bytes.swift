// MARK: - Small values read straight from bytes

/// The one reader of each small value a person types or a sheet holds: trimming, status
/// words, trainee codes, session ids. A cell of a sheet is read as bytes (no String is made for
/// 5,000,000 rows); a word typed on the command line goes through the same functions as its
/// UTF-8, so the two can never disagree.
public enum Bytes {
    /// Without leading and trailing white space, exactly as `String.trimmed`: every Unicode
    /// white space, so also the ideographic space (U+3000) of Chinese spreadsheets.
    public static func trimmed<C: BidirectionalCollection>(_ b: C) -> C.SubSequence where C.Element == UInt8 {
        var start = b.startIndex
        var end = b.endIndex
        // Most cells start and end with a printable ASCII byte: no scalar to decode.
        if start < end, isPlainASCII(b[start]), isPlainASCII(b[b.index(before: end)]) { return b[start..<end] }
        while start < end, let (scalar, length) = scalar(in: b, at: start), scalar.properties.isWhitespace {
            start = b.index(start, offsetBy: length)
        }
        while end > start {
            var first = b.index(before: end)
            while first > start, b[first] & 0xC0 == 0x80 { first = b.index(before: first) }
            guard let (scalar, _) = scalar(in: b, at: first), scalar.properties.isWhitespace else { break }
            end = first
        }
        return b[start..<end]
    }

    /// An ASCII byte that is neither white space nor a control character.
    @inline(__always) static func isPlainASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// The scalar starting at `i` and its length in bytes, or nil for bytes that are not one.
    static func scalar<C: Collection>(in b: C, at i: C.Index) -> (Unicode.Scalar, Int)? where C.Element == UInt8 {
        let lead = b[i]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0, b.distance(from: i, to: b.endIndex) >= length else { return nil }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        var j = b.index(after: i)
        for _ in 1..<length {
            guard b[j] & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b[j] & 0x3F)
            j = b.index(after: j)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    /// `.some(nil)` for a blank cell, `.some(status)` for a status word (English any case, or
    /// Chinese), nil for anything else.
    public static func status<C: BidirectionalCollection>(_ b: C) -> AttendanceStatus?? where C.Element == UInt8 {
        let t = trimmed(b)
        if t.isEmpty { return .some(nil) }
        if t.first! < 0x80 {
            for (word, s) in english where word.count == t.count && caseInsensitiveEqual(t, word) { return .some(s) }
            return nil
        }
        for (bytes, s) in chinese where t.elementsEqual(bytes) { return .some(s) }
        return nil
    }

    static let english: [([UInt8], AttendanceStatus)] = AttendanceStatus.allCases.map { (Array($0.rawValue.utf8), $0) }
    /// The Chinese words, and the marks paper sheets use: √ ✓ ✔ present, 迟 late, 假 请
    /// excused, × ✗ 缺 absent.
    static let marks: [(String, AttendanceStatus)] = [
        ("√", .present), ("✓", .present), ("✔", .present), ("迟", .late), ("假", .excused), ("请", .excused),
        ("×", .absent), ("✗", .absent), ("缺", .absent),
    ]
    static let chinese: [([UInt8], AttendanceStatus)] = {
        let words: [(String, AttendanceStatus)] = AttendanceStatus.allCases.map { ($0.chinese, $0) }
        return (words + marks).map { (Array($0.0.utf8), $0.1) }
    }()

    /// ASCII letters compared without case; `word` is lower-case.
    static func caseInsensitiveEqual<C: Collection>(_ t: C, _ word: [UInt8]) -> Bool where C.Element == UInt8 {
        zip(t, word).allSatisfy { c, w in (c >= 0x41 && c <= 0x5A ? c + 32 : c) == w }
    }

    /// A whole number of 1 to 18 digits, white space around allowed (a session id).
    public static func integer<C: BidirectionalCollection>(_ b: C) -> Int64? where C.Element == UInt8 {
        let t = trimmed(b)
        guard !t.isEmpty, t.count <= 18 else { return nil }
        var n: Int64 = 0
        for c in t {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            n = n * 10 + Int64(c - 0x30)
        }
        return n
    }

    /// The row id in a trainee code (`T00042`, `t42` and `T42` are all 42), or nil when the
    /// text is not a code. `Trainee.code(for:)` writes the code.
    public static func traineeCode<C: BidirectionalCollection>(_ b: C) -> Int64? where C.Element == UInt8 {
        let t = trimmed(b)
        guard t.count >= 2, t.count <= 13, t.first == 0x54 || t.first == 0x74 else { return nil }
        guard let n = integer(t.dropFirst()), n > 0 else { return nil }
        return n
    }
}
