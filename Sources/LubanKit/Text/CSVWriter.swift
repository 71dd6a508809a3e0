// MARK: - CSV out

/// Writes RFC 4180 CSV: CRLF line ends, UTF-8, quotes where needed.
///
/// Every text cell is guarded against formula injection (OWASP): a cell that starts with
/// `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so no spreadsheet runs it. Numbers are
/// written as numbers and need no guard. Control, bidi and invisible characters are shown as
/// `\u{…}` (line breaks and tabs in notes stay), so a CSV shown on a terminal cannot steer it.
public struct CSVWriter: Sendable {
    /// Prefix a UTF-8 byte-order mark so that Excel and WPS on Chinese Windows read UTF-8.
    public var excel: Bool

    public init(excel: Bool = false) { self.excel = excel }

    /// The whole document: header line, then one line per row.
    public func document(header: [String], rows: [[String]]) -> String {
        var out = self.header(header)
        for row in rows { out += line(row) }
        return out
    }

    /// The first line of a document: the byte-order mark when asked for, and the header.
    public func header(_ columns: [String]) -> String {
        (excel ? "\u{FEFF}" : "") + line(columns)
    }

    /// One record with its CRLF.
    public func line(_ cells: [String]) -> String {
        cells.map(Self.cell).joined(separator: ",") + "\r\n"
    }

    /// One cell, guarded and quoted as needed.
    public static func cell(_ raw: String) -> String {
        var value = Visible.cell(raw)
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
