// MARK: - Safe text for people

/// Turns stored text into text that is safe to print on a terminal, a sheet or a certificate.
///
/// Names and notes are stored exactly as given (see the injection tests). What a person reads
/// must never be steered by the text itself: a newline must not start a fake line on a
/// certificate, a bidi override must not reorder what follows, an escape must not move the
/// cursor. Such characters are shown as `\u{XXXX}` (tab, CR and LF as `\t`, `\r`, `\n`).
public enum Visible {
    /// `text` with every control, bidi-control and line/paragraph separator made visible.
    public static func text(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            guard isUnsafe(s) else {
                out.append(s)
                continue
            }
            let escaped: String
            switch s {
            case "\t": escaped = "\\t"
            case "\n": escaped = "\\n"
            case "\r": escaped = "\\r"
            default: escaped = "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: escaped.unicodeScalars)
        }
        return String(out)
    }

    /// Whole output for a terminal: like `text`, but line ends (LF, and CR before LF) and
    /// tabs stay, so that a report keeps its lines and nothing else can steer the terminal.
    public static func lines(_ text: String) -> String {
        guard
            text.unicodeScalars.contains(where: { isUnsafe($0) && $0 != "\n" && $0 != "\t" && $0 != "\r" })
                || text.unicodeScalars.contains("\r")
        else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            if s == "\n" || s == "\t" || (s == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n") || !isUnsafe(s) {
                out.append(s)
            } else {
                out.append(contentsOf: Visible.text(String(s)).unicodeScalars)
            }
        }
        return String(out)
    }

    /// A CSV cell's text: like `text`, but line breaks and tabs in a note stay (the cell is
    /// quoted).
    public static func cell(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0) && $0 != "\n" && $0 != "\t" }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\n" || s == "\t" || !isUnsafe(s) { out.append(s) } else { out.append(contentsOf: Visible.text(String(s)).unicodeScalars) }
        }
        return String(out)
    }

    /// Controls (C0, DEL, C1), bidi embeddings/overrides/isolates and marks, line and paragraph
    /// separators, and the zero-width characters that make two texts look alike.
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x180E, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
            return true
        default:
            return false
        }
    }
}
