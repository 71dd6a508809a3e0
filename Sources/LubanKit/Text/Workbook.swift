import CGraphics
import Foundation

// MARK: - Excel/WPS workbooks

/// A listing as an `.xlsx` workbook, written with libxlsxwriter: ID and phone numbers as text
/// cells (never numbers, which Excel would round to 15 digits), dates as date cells, hours and
/// counts as numbers; a bold, frozen header row with the bilingual titles of the text output;
/// columns as wide as their Chinese text. A sheet made for paper (`Layout.forPaper`) is set for
/// A4, portrait, gridlines printed, its header row repeated and a title and page numbers on every
/// page, rows tall enough to sign.
public struct Workbook {
    /// How a sheet prints.
    public struct Layout: Sendable {
        public var forPaper = false
        /// For paper: what each page's header says (the session, the cohort, the date).
        public var title: String?
        /// A report for the union: its title above the table and its definitions under it,
        /// printed landscape on A4, one page wide.
        public var report: (title: String, notes: String)?
        public init(forPaper: Bool = false, title: String? = nil, report: (title: String, notes: String)? = nil) {
            self.forPaper = forPaper
            self.title = title
            self.report = report
        }
    }

    /// A page header or footer as libxlsxwriter takes it: `&` doubled (it starts a field code),
    /// at most 255 bytes with the field codes.
    static func headerText(_ text: String) -> String {
        var out = ""
        for c in Visible.cell(text).replacingOccurrences(of: "&", with: "&&") {
            guard out.utf8.count + String(c).utf8.count <= 240 else { break }
            out.append(c)
        }
        return out
    }

    /// The largest number of rows a sheet holds (Excel's limit, header included).
    static let maxRows = 1_048_576

    /// Writes `sheets` (name, table) into a new workbook at `path` (a file luban makes: see `write(to:)`).
    static func write(_ sheets: [(name: String, table: Table, layout: Layout)], path: String) throws(LubanError) {
        guard let loaded = luban_xlsx_load() else {
            let missing = String(cString: luban_xlsx_error())
            throw .refused(
                zh: "写工作簿需要 libxlsxwriter（缺少 \(missing)）：请安装 Debian 软件包 libxlsxwriter4（Scripts/install-system-packages.sh）",
                en:
                    "a workbook needs libxlsxwriter (\(missing) is missing): install the Debian package libxlsxwriter4 (Scripts/install-system-packages.sh)"
            )
        }
        let x = loaded.pointee
        var options = lxw_workbook_options()
        options.constant_memory = 1
        guard let workbook = path.withCString({ x.workbook_new_opt!($0, &options) }) else {
            throw .file(path: path, reason: .cannotWrite(Phrase(zh: "工作簿库拒绝写入", en: "the workbook library refused it")))
        }
        let title = x.workbook_add_format!(workbook)
        x.format_set_bold!(title)
        x.format_set_font_size!(title, 14)
        let bold = x.workbook_add_format!(workbook)
        x.format_set_bold!(bold)
        x.format_set_text_wrap!(bold)
        x.format_set_align!(bold, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        let dateFormat = x.workbook_add_format!(workbook)
        x.format_set_num_format!(dateFormat, "yyyy-mm-dd")
        let moneyFormat = x.workbook_add_format!(workbook)
        x.format_set_num_format!(moneyFormat, "0.00")
        let textFormat = x.workbook_add_format!(workbook)
        x.format_set_num_format!(textFormat, "@")
        let centred = x.workbook_add_format!(workbook)  // paper: numbers in the middle of their box
        x.format_set_align!(centred, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        let wrapFormat = x.workbook_add_format!(workbook)  // paper: long text wraps in its box
        x.format_set_num_format!(wrapFormat, "@")
        x.format_set_text_wrap!(wrapFormat)
        x.format_set_align!(wrapFormat, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        for (name, table, layout) in sheets {
            guard let sheet = Self.sheetName(name).withCString({ x.workbook_add_worksheet!(workbook, $0) }) else { continue }
            // Widths first (constant-memory mode writes rows as they come).
            for (c, column) in table.columns.enumerated() {
                let cells = table.rows.prefix(2000).map { c < $0.count ? $0[c].plain : "" }
                // On paper the bilingual heading wraps (中文 over English), a long employer name
                // wraps rather than squeezing the page, and an empty column (status, note,
                // signature) is a box wide enough to write in.
                let heading =
                    layout.forPaper ? column.heading.split(separator: " ").map { String($0).displayWidth }.max() ?? 4 : column.heading.displayWidth
                let widest = ([heading] + cells.map(\.displayWidth)).max() ?? 8
                let width = layout.forPaper ? (cells.allSatisfy(\.isEmpty) ? max(widest, 14) : min(max(widest, 4), 22)) : min(max(widest, 6), 60)
                _ = x.worksheet_set_column!(sheet, lxw_col_t(c), lxw_col_t(c), Double(width + 2), nil)
            }
            // A report's title takes the first row, a blank row follows, then the table.
            let top: lxw_row_t = layout.report == nil ? 0 : 2
            x.worksheet_freeze_panes!(sheet, top + 1, 0)
            if let report = layout.report {
                x.worksheet_set_landscape!(sheet)
                x.worksheet_set_paper!(sheet, 9)  // A4
                _ = x.worksheet_repeat_rows!(sheet, top, top)
                x.worksheet_fit_to_pages!(sheet, 1, 0)
                x.worksheet_set_margins!(sheet, 0.4, 0.4, 0.6, 0.6)
                _ = "&C&P / &N".withCString { x.worksheet_set_footer!(sheet, $0) }
                _ = x.worksheet_set_row!(sheet, 0, 24, title)
                _ = Visible.cell(report.title).withCString { x.worksheet_write_string!(sheet, 0, 0, $0, title) }
            }
            if layout.forPaper {
                x.worksheet_set_portrait!(sheet)
                x.worksheet_set_paper!(sheet, 9)  // A4
                _ = x.worksheet_repeat_rows!(sheet, 0, 0)
                x.worksheet_fit_to_pages!(sheet, 1, 0)
                x.worksheet_gridlines!(sheet, UInt8(LXW_SHOW_ALL_GRIDLINES.rawValue))  // boxes to write in
                x.worksheet_center_horizontally!(sheet)
                x.worksheet_set_margins!(sheet, 0.4, 0.4, 0.6, 0.6)  // inches: 1 cm at the sides
                if let title = layout.title { _ = ("&L" + headerText(title)).withCString { x.worksheet_set_header!(sheet, $0) } }
                _ = "&C&P / &N".withCString { x.worksheet_set_footer!(sheet, $0) }
            }
            _ = x.worksheet_set_row!(sheet, top, 30, nil)
            for (c, column) in table.columns.enumerated() {
                _ = Visible.cell(column.heading).withCString { x.worksheet_write_string!(sheet, top, lxw_col_t(c), $0, bold) }
            }
            for (r, row) in table.rows.prefix(maxRows - 1 - Int(top)).enumerated() {
                let line = lxw_row_t(r + 1) + top
                if layout.forPaper { _ = x.worksheet_set_row!(sheet, line, 28.5, nil) }  // about 10 mm: room to sign
                for (c, cell) in row.enumerated() {
                    let col = lxw_col_t(c)
                    switch cell {
                    case .int(let n): _ = x.worksheet_write_number!(sheet, line, col, Double(n), layout.forPaper ? centred : nil)
                    case .hours(let h): _ = x.worksheet_write_number!(sheet, line, col, h, layout.forPaper ? centred : nil)
                    case .money(let fen): _ = x.worksheet_write_number!(sheet, line, col, Double(fen) / 100, moneyFormat)
                    // A sheet is for people: yes/no and status words in the language they read.
                    // A time, too: in the office's zone, as people read it.
                    case .bool, .word, .time: _ = cell.shown.withCString { x.worksheet_write_string!(sheet, line, col, $0, nil) }
                    case .empty: break
                    case .text(let t):
                        if !t.isEmpty, let date = CalendarDate(t) {
                            var when = lxw_datetime(year: Int32(date.year), month: Int32(date.month), day: Int32(date.day), hour: 0, min: 0, sec: 0)
                            _ = x.worksheet_write_datetime!(sheet, line, col, &when, dateFormat)
                        } else if !t.isEmpty {
                            _ = Visible.cell(t).withCString {
                                x.worksheet_write_string!(sheet, line, col, $0, layout.forPaper ? wrapFormat : textFormat)
                            }
                        }
                    }
                }
            }
            // A report's definitions under the table, a line a row, after a blank row.
            if let report = layout.report {
                var line = top + lxw_row_t(min(table.rows.count, maxRows - 1 - Int(top))) + 2
                for note in report.notes.split(separator: "\n", omittingEmptySubsequences: false) {
                    _ = Visible.cell(String(note)).withCString { x.worksheet_write_string!(sheet, line, 0, $0, nil) }
                    line += 1
                }
            }
        }
        let result = x.workbook_close!(workbook)
        guard result == LXW_NO_ERROR else {
            throw .file(path: path, reason: .cannotWrite(x.lxw_strerror!(result).map { String(cString: $0) } ?? "error \(result.rawValue)"))
        }
    }

    /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
    public static func sheetName(_ name: String) -> String {
        String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
    }

    /// The workbook's bytes, written in a private folder of its own (libxlsxwriter writes to a
    /// path; luban then puts the bytes where they go through `OutputFile`).
    public static func bytes(_ sheets: [(name: String, table: Table, layout: Layout)]) throws(LubanError) -> Data {
        try OutputFile.bytes(madeBy: { (path: String) throws(LubanError) in try write(sheets, path: path) }, name: "book.xlsx")
    }

    /// Writes the workbook to `path`, as every file luban writes (no-follow, owner-only).
    public static func write(_ sheets: [(name: String, table: Table, layout: Layout)], to path: String) throws(LubanError) {
        let data = try bytes(sheets)
        let out = try OutputFile(path: path)
        try out.write(data)
        try out.commit()
    }
}
