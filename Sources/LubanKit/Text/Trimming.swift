// MARK: - Small text helpers on the standard library alone

// Foundation's `trimmingCharacters(in:)` and `String(format:)` are correct but cost a short
// command milliseconds in run-time type lookups; these do the same for what luban needs.

extension Substring {
    /// Without leading and trailing white space: spaces (also the ideographic space U+3000 of
    /// Chinese text), tabs and line breaks.
    public var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}

extension String {
    /// Without leading and trailing white space (see `Substring.trimmed`).
    public var trimmed: String { self[...].trimmed }
}

extension BinaryInteger {
    /// In decimal, zero-padded to at least `width` digits (`7.padded(3)` is `007`).
    func padded(_ width: Int) -> String {
        let digits = String(self)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in self { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
