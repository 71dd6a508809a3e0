import Foundation

// MARK: - Listings in three formats

/// The output formats every listing takes.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, csv, json
    /// An Excel/WPS workbook (`Workbook`): binary, so written by the command, not rendered here.
    case xlsx
    /// A document for paper (certificates, roll-call sheets): written by the command.
    case pdf
}

/// Amounts of money as the office writes them: yuan with two decimals, kept as whole fen.
public enum Money {
    /// `12345` → `123.45`; `-5` → `-0.05`.
    public static func format(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let m = fen.magnitude
        return "\(sign)\(m / 100).\(m % 100 < 10 ? "0" : "")\(m % 100)"
    }

    /// Reads `300`, `300.5`, `300.50` (yuan, at most two decimals, not negative) as fen.
    public static func fen(_ text: String) -> Int? {
        let parts = text.trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole < 100_000_000, parts[0].allSatisfy(\.isASCII) else {
            return nil
        }
        guard parts.count == 2 else { return whole * 100 }
        let decimals = parts[1]
        guard (1...2).contains(decimals.count), decimals.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return whole * 100 + Int(decimals.count == 1 ? decimals + "0" : decimals)!
    }
}

/// One value in a listing. Kept typed so that json shows numbers as numbers and text
/// right-aligns them.
public enum Cell: Sendable, Equatable {
    case text(String)
    case int(Int)
    case hours(Double)
    /// An amount of money in fen (0.01 yuan), exact: shown in yuan with two decimals.
    case money(Int)
    case bool(Bool)
    /// A status word: its code in csv and json (what scripts read), its Chinese in Chinese text.
    case word(String, zh: String)
    /// A time as stored (UTC, `2025-04-11T23:41:04Z`): so in csv and json, which scripts read;
    /// in the office's time zone for people (`2025-04-12 07:41:04 +0800`).
    case time(String)
    case empty

    /// How the value reads in text and csv.
    public var plain: String {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .hours(let h): return Hours.format(h)
        case .money(let fen): return Money.format(fen)
        case .bool(let b): return b ? "yes" : "no"
        case .word(let code, _): return code
        case .time(let stored): return stored
        case .empty: return ""
        }
    }

    /// How the value reads in text for people: `plain`, with yes and no in the current
    /// language (csv and json keep `yes`/`no` and `true`/`false`, which scripts read).
    public var shown: String {
        if case .time(let stored) = self { return Timestamp.local(stored) }
        guard Language.current == .zh else { return plain }
        switch self {
        case .bool(let b): return b ? "是" : "否"
        case .word(_, let zh): return zh
        default: return plain
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .int, .hours, .money: return true
        default: return false
        }
    }
}

/// A listing: stable snake_case keys (csv header, json keys), people's headings for text.
public struct Table: Sendable {
    public struct Column: Sendable {
        public var key: String
        public var heading: String
        public init(_ key: String, _ heading: String) {
            self.key = key
            self.heading = heading
        }
    }

    public var columns: [Column]
    public var rows: [[Cell]]

    public init(columns: [Column], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The listing in `format`; text is aligned by display width, csv is RFC 4180, json an array.
    public func render(_ format: OutputFormat, excel: Bool = false) -> String {
        switch format {
        case .text: return text()
        case .csv, .xlsx, .pdf: return csv(excel: excel)
        case .json: return json()
        }
    }

    /// Columns separated by two spaces, aligned by display width; numbers right-aligned.
    public func text() -> String {
        let headings = columns.map { Visible.text($0.heading) }
        let body = rows.map { $0.map { Visible.text($0.shown) } }
        var widths = headings.map(\.displayWidth)
        for row in body {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], cell.displayWidth)
            }
        }
        let numeric = columns.indices.map { i in !rows.isEmpty && rows.allSatisfy { i < $0.count && ($0[i].isNumeric || $0[i] == .empty) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let last = i == cells.count - 1
                if numeric[i] { parts.append(cell.leftPadded(to: widths[i])) } else { parts.append(last ? cell : cell.padded(to: widths[i])) }
            }
            return parts.joined(separator: "  ").trailingSpacesTrimmed + "\n"
        }
        var out = line(headings)
        out += line(widths.map { String(repeating: "-", count: $0) })
        for row in body { out += line(row) }
        return out
    }

    public func csv(excel: Bool = false) -> String {
        CSVWriter(excel: excel).document(header: columns.map(\.key), rows: rows.map { $0.map(\.plain) })
    }

    public func json() -> String {
        let objects: [[String: Any]] = rows.map { row in
            var object: [String: Any] = [:]
            for (i, column) in columns.enumerated() where i < row.count {
                switch row[i] {
                case .text(let s), .word(let s, _), .time(let s): object[column.key] = s
                case .int(let n): object[column.key] = n
                case .hours(let h): object[column.key] = h
                case .money(let fen): object[column.key] = Double(fen) / 100
                case .bool(let b): object[column.key] = b
                case .empty: object[column.key] = NSNull()
                }
            }
            return object
        }
        return JSON.encode(objects) + "\n"
    }
}

/// JSON text with sorted keys, so that output is stable from run to run. Every control, bidi
/// and invisible character is escaped (`\u202e`), not only those JSON requires.
public enum JSON {
    public static func encode(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "null"
        }
        let text = String(decoding: data, as: UTF8.self)
        guard text.unicodeScalars.contains(where: { Visible.isUnsafe($0) && $0 != "\n" }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\n" || !Visible.isUnsafe(s) {
                out.append(s)
                continue
            }
            let hex = String(s.value, radix: 16)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
        }
        return String(out)
    }
}

/// Hours as people write them: `28`, `1.5`, `2.25`.
public enum Hours {
    public static func format(_ hours: Double) -> String {
        if hours == hours.rounded() { return String(Int(hours)) }
        var s = String(format: "%.2f", hours)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

extension String {
    var trailingSpacesTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
