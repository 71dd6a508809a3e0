// MARK: - A frame of equal-width lines

/// Draws text in an ASCII frame whose every line has the same display width, Chinese
/// characters counting two columns. ASCII keeps the frame straight on any printer font, where
/// box-drawing characters (ambiguous width) would not.
public enum Frame {
    /// `lines` framed; a line `---` is a rule, a line starting with `~` is centred.
    public static func draw(_ lines: [String], minimumWidth: Int = 0) -> [String] {
        let cleaned = lines.map { line -> String in
            line == "---" || line.hasPrefix("~") ? line : Visible.text(line)
        }
        let width = max(
            minimumWidth,
            cleaned.map { line in
                line == "---" ? 0 : (line.hasPrefix("~") ? Visible.text(String(line.dropFirst())).displayWidth : line.displayWidth)
            }.max() ?? 0)
        var out = ["+" + String(repeating: "=", count: width + 2) + "+"]
        for line in cleaned {
            if line == "---" {
                out.append("|" + String(repeating: "-", count: width + 2) + "|")
            } else if line.hasPrefix("~") {
                out.append("| " + Visible.text(String(line.dropFirst()).trimmed).centred(in: width) + " |")
            } else {
                out.append("| " + line.padded(to: width) + " |")
            }
        }
        out.append("+" + String(repeating: "=", count: width + 2) + "+")
        return out
    }
}
