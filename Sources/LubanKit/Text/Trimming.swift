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
    public var trimmed: String {
        // Most fields have nothing to trim: settled from the bytes at either end (an import
        // trims every field of every row, and Unicode property lookups cost the most).
        if let first = utf8.first, Self.startsNoWhitespace(first), let last = lastScalarLead, Self.startsNoWhitespace(last) { return self }
        return self[...].trimmed
    }

    /// Whether a scalar whose UTF-8 starts with `lead` cannot be white space: printable ASCII,
    /// or a lead byte no white-space scalar has (they all start 0x09–0x0D, 0x20, 0xC2, 0xE1,
    /// 0xE2 or 0xE3: U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
    private static func startsNoWhitespace(_ lead: UInt8) -> Bool {
        (lead > 0x20 && lead < 0x7F) || (lead >= 0xE4 && lead <= 0xF4) || (lead >= 0xC3 && lead <= 0xE0)
    }

    /// The first byte of the last scalar.
    private var lastScalarLead: UInt8? {
        var i = utf8.endIndex
        for _ in 0..<4 {
            guard i > utf8.startIndex else { return nil }
            i = utf8.index(before: i)
            let b = utf8[i]
            if b & 0xC0 != 0x80 { return b }
        }
        return nil
    }
}

extension BinaryInteger {
    /// In decimal, zero-padded to at least `width` digits (`7.padded(3)` is `007`).
    func padded(_ width: Int) -> String {
        let digits = String(self)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte (inlinable: made for the caller's own type of
    /// bytes, not read through the generic protocol a byte at a time).
    @inlinable public var hex: String {
        let bytes = Array(self)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            let digits: StaticString = "0123456789abcdef"
            for (i, b) in bytes.enumerated() {
                out[2 * i] = digits.utf8Start[Int(b >> 4)]
                out[2 * i + 1] = digits.utf8Start[Int(b & 15)]
            }
            return bytes.count * 2
        }
    }
}
