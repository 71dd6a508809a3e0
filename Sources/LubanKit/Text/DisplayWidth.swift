// MARK: - Display width (Unicode East Asian Width)

extension Unicode.Scalar {
    /// Columns this scalar takes on a terminal or a monospaced page: 2 for East Asian
    /// Wide and Fullwidth characters; 0 for combining marks and zero-width characters; 1
    /// otherwise, East Asian Ambiguous characters included (`·` in minority names, `×`, `…`,
    /// `“”`, `—`, `√`), as wcwidth counts them and as terminals and editors draw them by default.
    /// A terminal set to draw them wide (a CJK "ambiguous width: wide" setting) is matched with
    /// `LUBAN_AMBIGUOUS_WIDTH=2`. Control characters never reach this point: `Text.visible`
    /// escapes them first.
    public var displayWidth: Int {
        let v = value
        if v < 0xA1 { return 1 }
        if Self.isAmbiguousInChinese(v) { return Self.ambiguousWidth }
        if v < 0x300 { return 1 }
        if Self.isZeroWidth(v) { return 0 }
        return Self.isWide(v) ? 2 : 1
    }

    /// Columns of an East Asian Ambiguous character: 1, or 2 with `LUBAN_AMBIGUOUS_WIDTH=2`.
    public static let ambiguousWidth = ProcessEnvironment.value("LUBAN_AMBIGUOUS_WIDTH") == "2" ? 2 : 1

    /// East Asian Width A characters that Chinese text uses, drawn full width by CJK typefaces
    /// (Unicode 15, EastAsianWidth.txt): Latin letters with accents and Greek and Cyrillic, also
    /// Ambiguous, are left narrow, as CJK typefaces mostly draw them.
    private static func isAmbiguousInChinese(_ v: UInt32) -> Bool {
        switch v {
        case 0xA7, 0xA8, 0xB0, 0xB1, 0xB7, 0xD7, 0xF7, 0x2010, 0x2013...0x2016, 0x2018, 0x2019, 0x201C, 0x201D, 0x2020...0x2022,
            0x2025...0x2027, 0x2030, 0x2032, 0x2033, 0x203B, 0x2103, 0x2116, 0x2160...0x216B, 0x2170...0x2179, 0x2190...0x2199,
            0x221A, 0x2460...0x24E9, 0x2500...0x257F, 0x25A0, 0x25A1, 0x25B2, 0x25B3, 0x25C6, 0x25C7, 0x25CB, 0x25CE, 0x25CF,
            0x2605, 0x2606, 0x2640, 0x2642:
            return true
        default:
            return false
        }
    }

    private static func isZeroWidth(_ v: UInt32) -> Bool {
        switch v {
        case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A,
            0x064B...0x065F, 0x0E31, 0x0E34...0x0E3A, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF,
            0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x20D0...0x20FF,
            0x302A...0x302D, 0x3099...0x309A, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF,
            0xE0100...0xE01EF:
            return true
        default:
            return false
        }
    }

    /// East Asian Width W and F ranges (Unicode 15, EastAsianWidth.txt), folded into blocks.
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1,
            0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA,
            0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
            0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C,
            0x2B50, 0x2B55,
            0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols
            0x3041...0x33FF,  // kana, bopomofo, Hangul compatibility, CJK compatibility
            0x3400...0x4DBF,  // CJK extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xA000...0xA4CF,  // Yi
            0xA960...0xA97F,  // Hangul Jamo extended A
            0xAC00...0xD7A3,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms
            0xFF00...0xFF60, 0xFFE0...0xFFE6,  // fullwidth forms
            0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
            0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
            0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
            0x20000...0x3FFFD:  // CJK extensions B and beyond
            return true
        default:
            return false
        }
    }
}

extension StringProtocol {
    /// Columns this text takes when printed (East Asian Width); see `Unicode.Scalar.displayWidth`.
    public var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + $1.displayWidth }
    }
}

extension String {
    /// The text padded with spaces on the right to `width` display columns.
    public func padded(to width: Int) -> String {
        let w = displayWidth
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }

    /// The text cut to at most `width` display columns, ending `…` where it was cut.
    public func truncated(to width: Int) -> String {
        guard displayWidth > width else { return String(self) }
        var out = ""
        var used = 0
        for c in self {
            let w = c.unicodeScalars.reduce(0) { $0 + $1.displayWidth }
            if used + w > width - 2 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// The text broken into lines of at most `width` display columns: between words where
    /// there are spaces, between any two characters of Chinese (never before `，。、；：）」`).
    public func wrapped(to width: Int) -> [String] {
        guard displayWidth > width else { return [String(self)] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        var word = ""
        var wordWidth = 0
        func flushWord() {
            if lineWidth + wordWidth > width, !line.isEmpty {
                lines.append(line.trailingSpacesTrimmed)
                line = ""
                lineWidth = 0
                if word.hasPrefix(" ") {
                    word.removeFirst()
                    wordWidth -= 1
                }
            }
            line += word
            lineWidth += wordWidth
            word = ""
            wordWidth = 0
        }
        for c in self {
            let w = c.unicodeScalars.reduce(0) { $0 + $1.displayWidth }
            let noBreakBefore = "，。、；：？！）」』”·…".contains(c)
            if c == " " || (w == 2 && !noBreakBefore) { flushWord() }
            word.append(c)
            wordWidth += w
        }
        flushWord()
        if !line.isEmpty { lines.append(line.trailingSpacesTrimmed) }
        return lines
    }

    /// The text padded with spaces on the left to `width` display columns.
    public func leftPadded(to width: Int) -> String {
        let w = displayWidth
        return w >= width ? self : String(repeating: " ", count: width - w) + self
    }

    /// The text centred in `width` display columns (extra space goes right).
    public func centred(in width: Int) -> String {
        let gap = max(0, width - displayWidth)
        return String(repeating: " ", count: gap / 2) + self + String(repeating: " ", count: gap - gap / 2)
    }
}
