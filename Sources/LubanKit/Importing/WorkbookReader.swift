import Foundation
import ZIPFoundation

// MARK: - Excel/WPS workbooks in

/// The first sheet of an `.xlsx` workbook (Excel, WPS, LibreOffice) as the CSV every import
/// reads, so that an office imports the workbook it keeps, not an export of it: one CSV line per
/// sheet row (blank rows kept, so a message's "line 7" is the sheet's row 7); shared and inline
/// strings as typed; a date cell as YYYY-MM-DD; a whole number without ".0". A number of 16 or
/// more digits is refused: a spreadsheet keeps 15 significant digits, so an ID number typed as
/// a number has already lost its last ones.
enum WorkbookReader {
    /// The largest part of a workbook luban unpacks (a sheet of Excel's 1,048,576 rows of a
    /// roster is about 460 MB); a larger one is refused rather than read for minutes, as is a
    /// part that unpacks to more than its zip directory says (a zip bomb is a few KB that unpack
    /// to gigabytes). A part is read piece by piece, so this bounds time, not memory.
    static let largestPart = 1 << 30

    /// The last row a spreadsheet has.
    static let lastRow = 1_048_576

    /// What the first bytes of a file say it is.
    enum Kind { case xlsx, oldBinary, other }

    static func kind(of head: [UInt8]) -> Kind {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .oldBinary }
        return .other
    }

    /// The sheet `sheet` (else the first, when no other sheet has data) of the workbook at
    /// `path` as CSV (UTF-8, no BOM) in an unnamed temporary file, open for reading from its
    /// start, with the name of the sheet read; `name` is what messages call the file. The sheet
    /// is unpacked, read and written piece by piece, so memory does not grow with its rows.
    static func csv(path: String, name: String, sheet wanted: String? = nil) throws(LubanError) -> (fd: Int32, sheet: String) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .file(
                path: name,
                reason: Phrase(zh: "不是 luban 能打开的工作簿（内部 zip 已损坏）", en: "is not a workbook luban can open (the zip inside is damaged)") + .saveAgain)
        }
        func parsed<R: PartReader>(_ inside: String, _ reader: R) throws(LubanError) -> R? {
            guard let entry = archive[inside] else { return nil }
            return try read(entry, of: archive, file: name, with: reader)
        }
        guard let book = try parsed("xl/workbook.xml", BookParser()) else {
            throw .file(
                path: name,
                reason: Phrase(zh: "是 zip 文件，但不是 Excel 工作簿（没有 xl/workbook.xml）", en: "is a zip file but not an Excel workbook (no xl/workbook.xml)")
                    + .saveAgain)
        }
        let relations = try parsed("xl/_rels/workbook.xml.rels", RelationsParser())?.targets ?? [:]
        let sheetPaths = book.sheets.map { sheet -> (name: String, path: String) in
            let target = relations[sheet.relation] ?? "worksheets/sheet1.xml"
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return (sheet.name, path)
        }
        let chosen: (name: String, path: String)
        if let wanted {
            guard let named = sheetPaths.first(where: { $0.name == wanted }) ?? sheetPaths.first(where: { $0.name.trimmed == wanted.trimmed }) else {
                throw .noSuchSheet(file: name, sheet: wanted, sheets: sheetPaths.map(\.name))
            }
            chosen = named
        } else {
            guard let first = sheetPaths.first else {
                throw .file(path: name, reason: Phrase(zh: "没有 luban 能读取的工作表", en: "has no sheet luban can read") + .saveAgain)
            }
            // Unless a sheet is named, one sheet is read; data on another is not skipped without a word.
            var others: [String] = []
            for sheet in sheetPaths.dropFirst() where try parsed(sheet.path, ValueFinder())?.found == true { others.append(sheet.name) }
            guard others.isEmpty else { throw .whichSheet(file: name, sheets: [first.name] + others) }
            chosen = first
        }
        guard let sheetEntry = archive[chosen.path] else {
            throw .file(
                path: name,
                reason: Phrase(zh: "缺少工作表“\(Visible.cell(chosen.name))”的内容部分", en: "has no part for its sheet '\(Visible.cell(chosen.name))'")
                    + .saveAgain)
        }
        let shared = try parsed("xl/sharedStrings.xml", SharedStringsParser())
        if shared?.tooLarge == true {
            throw .file(
                path: name,
                reason: Phrase(
                    zh: "共享字符串多于 \(SharedStringsParser.mostStrings) 个或 \(SharedStringsParser.mostBytes >> 20) MiB，远超任何花名册；luban 拒绝读取",
                    en:
                        "holds more than \(SharedStringsParser.mostStrings) shared strings or \(SharedStringsParser.mostBytes >> 20) MiB of them, far beyond any roster; luban refuses it"
                ) + .saveAgain)
        }
        let strings = shared?.strings ?? SharedStrings()
        let dateStyles = try parsed("xl/styles.xml", StylesParser())?.dateStyles ?? []
        let out = try TemporaryFile(file: name)
        let writer = SheetWriter(
            strings: strings, dateStyles: dateStyles, date1904: book.date1904, file: name, sheet: chosen.name, out: out)
        try read(sheetEntry, of: archive, file: name, with: writer).finish()
        return (try out.rewound(), chosen.name)
    }

    /// Reads one XML part of the workbook piece by piece as it is unpacked, giving each event to
    /// `reader`, until the part ends or the reader is done; a part that is not well-formed XML is
    /// refused (never read as empty).
    private static func read<R: PartReader>(_ entry: Entry, of archive: Archive, file: String, with reader: R) throws(LubanError) -> R {
        var reader = reader
        var scanner = XMLScanner()
        func scanned(_ scan: (inout XMLScanner) throws(XMLScanner.Malformed) -> Void) throws(LubanError) {
            do throws(XMLScanner.Malformed) {
                try scan(&scanner)
            } catch {
                throw .file(
                    path: file,
                    reason: Phrase(
                        zh: "有 luban 无法读取的部分（\(Visible.cell(entry.path))）：其第 \(error.line) 行格式不正确",
                        en: "has a part (\(Visible.cell(entry.path))) luban cannot read: not well-formed at its line \(error.line) (\(error.reason))")
                        + .saveAgain)
            }
        }
        try unpack(entry, archive: archive, file: file) { piece throws(LubanError) in
            try scanned { scanner throws(XMLScanner.Malformed) in try scanner.scan(piece: piece) { reader.take($0) } }
            return !reader.isDone
        }
        if !reader.isDone { try scanned { scanner throws(XMLScanner.Malformed) in try scanner.scanEnd { reader.take($0) } } }
        return reader
    }

    /// Unpacks a part, giving each piece to `body` as it comes, until `body` says stop (false).
    private static func unpack(_ entry: Entry, archive: Archive, file: String, _ body: (Data) throws(LubanError) -> Bool) throws(LubanError) {
        guard entry.uncompressedSize <= largestPart else {
            throw .file(
                path: file,
                reason: Phrase(
                    zh: "有一部分（\(Visible.cell(entry.path))）解压后超过 \(largestPart >> 20) MiB；luban 拒绝读取（请把数据另存为 CSV UTF-8）",
                    en:
                        "has a part (\(Visible.cell(entry.path))) that unpacks to more than \(largestPart >> 20) MiB; luban refuses it (save the rows as CSV UTF-8)"
                ))
        }
        /// Why the unpacking was stopped from inside, when it was.
        enum Stop: Error {
            case enough, tooLarge
            case failed(LubanError)
        }
        var unpacked = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { piece in
                unpacked += piece.count
                if UInt64(unpacked) > entry.uncompressedSize { throw Stop.tooLarge }
                let more: Bool
                do throws(LubanError) {
                    more = try body(piece)
                } catch {
                    throw Stop.failed(error)
                }
                if !more { throw Stop.enough }
            }
        } catch Stop.enough {
            return
        } catch Stop.failed(let error) {
            throw error
        } catch {
            let reason =
                if case Stop.tooLarge = error {
                    Phrase(
                        zh: "解压后多于其 zip 目录所写的 \(entry.uncompressedSize) 字节",
                        en: "unpacks to more than its zip directory says, \(entry.uncompressedSize) bytes")
                } else {
                    Phrase(verbatim: Visible.cell("\(error)"))
                }
            throw .file(
                path: file,
                reason: Phrase(zh: "无法解压（\(reason.zh)）；luban 拒绝读取", en: "cannot be unpacked (\(reason.en)); luban refuses it") + .saveAgain)
        }
    }

    // MARK: Cells

    /// The column index of a cell reference ("C7" → 2), or nil.
    static func column(of reference: String) -> Int? {
        var n = 0
        var letters = 0
        for u in reference.utf8 {
            guard u >= 0x41 && u <= 0x5A else { break }  // A–Z
            n = n * 26 + Int(u - 0x40)
            letters += 1
        }
        return letters > 0 && letters <= 3 ? n - 1 : nil
    }

    /// The row number of a cell reference ("C7" → 7), or nil.
    static func row(of reference: String) -> Int? {
        Int(String(reference.drop { $0.isLetter }))
    }

    /// The column letters of index `c` (2 → "C").
    static func letters(_ c: Int) -> String {
        var c = c + 1
        var out = ""
        while c > 0 {
            let r = (c - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            c = (c - 1) / 26
        }
        return out
    }

    /// A date serial as YYYY-MM-DD (with " HH:MM" when it has a time of day).
    static func date(serial: Double, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }  // to 9999-12-31
        let totalMinutes = Int((serial * 1440).rounded())  // 23:59:59.9 is the next day's 00:00
        var days = totalMinutes / 1440
        let minutes = totalMinutes % 1440
        if date1904 {
            days += 1462  // 1904-01-01 is serial 1462 in the 1900 system
        } else if days < 61 {
            days += 1  // the 1900 system counts a 29 February 1900 that never was
        }
        let date = CalendarDate(dayNumber: days - 25_569)  // 1970-01-01 is serial 25569
        var text = date.description
        if minutes != 0 { text += " \((minutes / 60).padded(2)):\((minutes % 60).padded(2))" }
        return text
    }
}

// MARK: - The parts of a workbook

/// What one part of a workbook gathers from its XML.
private protocol PartReader {
    mutating func take(_ event: XMLScanner.Event)
    /// Whether the rest of the part can be left unread.
    var isDone: Bool { get }
}

extension PartReader {
    var isDone: Bool { false }
}

/// Whether a sheet holds any cell value (a look at the sheets not read, stopping at the first).
private struct ValueFinder: PartReader {
    var found = false
    var isDone: Bool { found }

    mutating func take(_ event: XMLScanner.Event) {
        if case .start(let element, _) = event, element == "v" || element == "is" { found = true }
    }
}

/// `xl/workbook.xml`: the sheets in order, and whether dates count from 1904.
private struct BookParser: PartReader {
    var sheets: [(name: String, relation: String)] = []
    var date1904 = false

    mutating func take(_ event: XMLScanner.Event) {
        guard case .start(let element, let attributes) = event else { return }
        switch element {
        case "sheet":
            let relation = attributes.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value ?? ""
            sheets.append((attributes["name"] ?? "Sheet\(sheets.count + 1)", relation))
        case "workbookPr":
            date1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
        default: break
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: relation id → part path.
private struct RelationsParser: PartReader {
    var targets: [String: String] = [:]

    mutating func take(_ event: XMLScanner.Event) {
        if case .start("Relationship", let attributes) = event, let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
}

/// The strings a workbook's cells point at by index, back to back in one buffer: a workbook
/// holds many short strings (a name, an ID number each), and a `String` apiece would be several
/// times their size.
struct SharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []

    var count: Int { ends.count }
    var byteCount: Int { bytes.count }

    /// The string at `index`, or nil when there is none.
    subscript(index: Int) -> String? {
        guard index >= 0 && index < ends.count else { return nil }
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return String(decoding: bytes[start..<Int(ends[index])], as: UTF8.self)
    }

    /// Adds to the string being gathered.
    mutating func append(_ text: String) { bytes += text.utf8 }

    /// Ends the string being gathered.
    mutating func endString() { ends.append(UInt32(bytes.count)) }
}

/// `xl/sharedStrings.xml`: the shared strings (rich text joined; phonetic guides left out),
/// within bounds that keep an import in its memory: a roster of Excel's 1,048,576 rows has
/// fewer strings, and fewer bytes of them, than these.
private struct SharedStringsParser: PartReader {
    static let mostStrings = 2_000_000
    static let mostBytes = 16 << 20
    var strings = SharedStrings()
    private var inText = false
    private var inPhonetic = false
    /// Set when the part holds more than the bounds: the reading stops there.
    private(set) var tooLarge = false
    var isDone: Bool { tooLarge }

    mutating func take(_ event: XMLScanner.Event) {
        switch event {
        case .start("t", _): inText = !inPhonetic
        case .start("rPh", _): inPhonetic = true
        case .end("si"):
            strings.endString()
            if strings.count > Self.mostStrings || strings.byteCount > Self.mostBytes { tooLarge = true }
        case .end("t"): inText = false
        case .end("rPh"): inPhonetic = false
        case .text(let text) where inText:
            // Checked before the bytes are taken, so the buffer never grows past the bound.
            if strings.byteCount + text.utf8.count > Self.mostBytes { tooLarge = true } else { strings.append(text) }
        default: break
        }
    }
}

/// `xl/styles.xml`: which cell styles show a number as a date.
private struct StylesParser: PartReader {
    private var customFormats: [Int: String] = [:]
    private var inCellFormats = false
    private var styleFormats: [Int] = []

    /// The built-in number formats that are dates (ECMA-376 18.8.30, with the CJK ones).
    static let builtInDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// The styles that show a number as a date.
    var dateStyles: Set<Int> {
        var styles = Set<Int>()
        for (index, format) in styleFormats.enumerated() {
            if Self.builtInDates.contains(format) || customFormats[format].map(Self.isDateFormat) == true { styles.insert(index) }
        }
        return styles
    }

    /// Whether a format code shows a date: a y or d outside quotes and brackets ("yyyy-mm-dd",
    /// "yyyy年m月d日"), not an elapsed time ("[h]:mm").
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        for c in code.lowercased() {
            switch c {
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "y", "d": if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }

    mutating func take(_ event: XMLScanner.Event) {
        switch event {
        case .start("numFmt", let attributes):
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { customFormats[id] = code }
        case .start("cellXfs", _): inCellFormats = true
        case .start("xf", let attributes) where inCellFormats: styleFormats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        case .end("cellXfs"): inCellFormats = false
        default: break
        }
    }
}

/// A worksheet's rows as CSV, each row written out as its end tag comes (no row is kept).
private struct SheetWriter: PartReader {
    let strings: SharedStrings
    let dateStyles: Set<Int>
    let date1904: Bool
    let file: String
    let sheet: String
    let out: TemporaryFile
    private var collector = CellCollector()
    private var findings: Findings
    private var line = 0

    init(strings: SharedStrings, dateStyles: Set<Int>, date1904: Bool, file: String, sheet: String, out: TemporaryFile) {
        (self.strings, self.dateStyles, self.date1904, self.file, self.sheet, self.out) = (strings, dateStyles, date1904, file, sheet, out)
        findings = Findings(file: file, sheet: sheet)
    }

    /// A write that failed ends the reading (`finish` says why).
    var isDone: Bool { out.failure != nil }

    mutating func take(_ event: XMLScanner.Event) {
        collector.take(event)
        if let row = collector.finished.take() { write(row) }
    }

    /// Every row written, or what was wrong.
    func finish() throws(LubanError) {
        try findings.throwIfAny()
        try out.flush()
    }

    private mutating func write(_ row: CellCollector.Row) {
        // Each row once, in order, numbered as a spreadsheet numbers them: a row out of place
        // would put a line where the message about it does not point, or read a row twice.
        guard let number = row.number, (1...WorkbookReader.lastRow).contains(number) else {
            let shown = excerpt(row.reference ?? row.number.map(String.init) ?? "")
            findings.add(
                line + 1,
                Phrase(
                    zh: "第 \(line) 行之后的一行编号为“\(shown)”，而行号须在 1 到 1048576 之间；请用电子表格重新保存，或另存为 CSV UTF-8",
                    en:
                        "the row after line \(line) is numbered '\(shown)', and a row number is from 1 to 1048576; save the workbook again from a spreadsheet, or as CSV UTF-8"
                ))
            return
        }
        guard number > line else {
            findings.add(
                number,
                Phrase(
                    zh: "第 \(number) 行出现在第 \(line) 行之后：每一行只能出现一次，且按顺序；请用电子表格重新保存",
                    en: "row \(number) comes after row \(line): each row comes once, in order; save the workbook again from a spreadsheet"))
            return
        }
        // Blank lines for rows the sheet leaves out, so that line N is the sheet's row N.
        while line + 1 < number {
            out.append(0x0A)
            line += 1
        }
        line = number
        var cells: [String] = []
        for cell in row.cells {
            guard let column = cell.column, column < 16_384 else {
                let reference = excerpt(cell.reference ?? "")
                findings.add(
                    line,
                    Phrase(
                        zh: "单元格“\(reference)”不在工作表的 A 到 XFD 列之内；请用电子表格重新保存",
                        en: "cell '\(reference)' is not within a sheet's columns A to XFD; save the workbook again from a spreadsheet"))
                continue
            }
            guard column >= cells.count else {
                findings.add(
                    line,
                    Phrase(
                        zh: "单元格 \(WorkbookReader.letters(column))\(line) 出现了两次或不按列的顺序；请用电子表格重新保存",
                        en:
                            "cell \(WorkbookReader.letters(column))\(line) comes twice or out of column order; save the workbook again from a spreadsheet"
                    ))
                continue
            }
            while cells.count < column { cells.append("") }
            switch value(cell) {
            case .text(let text): cells.append(text)
            case .noSuchString(let index):
                findings.add(
                    line,
                    Phrase(
                        zh: "单元格 \(WorkbookReader.letters(column))\(line) 指向第 \(excerpt(index)) 个共享字符串，而工作簿只有 \(strings.count) 个；请用电子表格重新保存",
                        en:
                            "cell \(WorkbookReader.letters(column))\(line) points at shared string \(excerpt(index)), and the workbook has \(strings.count); save the workbook again from a spreadsheet"
                    ))
                cells.append("")
            case .tooManyDigits(let shown):
                findings.add(
                    line,
                    Phrase(
                        zh: "单元格 \(WorkbookReader.letters(column))\(line) 存的是数字 \(shown)，而电子表格的数字只保留 15 位："
                            + "存成数字的身份证号已丢失末几位。请把该列设为“文本”格式，再重新输入这些号码",
                        en:
                            "cell \(WorkbookReader.letters(column))\(line) holds the number \(shown), and a spreadsheet keeps only 15 digits of a number: "
                            + "an ID number stored as a number has lost its last digits. Format the column as Text (文本) and type the numbers again"
                    ))
                cells.append(shown)
            }
        }
        // A row whose cells hold nothing (formatted, never typed in: what Excel and WPS write
        // below a table whose column was set to 文本) is a blank row.
        if cells.allSatisfy(\.isEmpty) {
            out.append(0x0A)
            return
        }
        out.append(cells.map(Self.quoted).joined(separator: ",").utf8)
        out.append(0x0A)
    }

    enum Value {
        case text(String)
        case tooManyDigits(String)
        case noSuchString(String)
    }

    private func value(_ cell: CellCollector.Cell) -> Value {
        switch cell.type {
        case "s":
            let index = cell.value.trimmingCharacters(in: .whitespaces)
            guard let text = Int(index).flatMap({ strings[$0] }) else { return .noSuchString(index) }
            return .text(text)
        case "inlineStr", "str", "e": return .text(cell.type == "inlineStr" ? cell.inline : cell.value)
        case "b": return .text(cell.value == "1" ? "TRUE" : "FALSE")
        case "d": return .text(String(cell.value.prefix(10)))
        default:
            let raw = cell.value.trimmingCharacters(in: .whitespaces)
            guard let number = Double(raw) else { return .text(raw) }
            if let style = cell.style, dateStyles.contains(style), let date = WorkbookReader.date(serial: number, date1904: date1904) {
                return .text(date)
            }
            if number.rounded() == number {
                guard abs(number) < 1e15 else { return .tooManyDigits(raw) }
                return .text(String(Int64(number)))
            }
            return .text(raw)
        }
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The cells of a worksheet, row by row, as the XML has them.
private struct CellCollector: PartReader {
    struct Cell {
        /// The column (0 for A), or nil when its reference names none.
        var column: Int?
        /// The reference as written, when there is one.
        var reference: String?
        var type = "n"
        var style: Int?
        var value = ""
        var inline = ""
    }
    struct Row {
        /// The row's number, or nil when its `r` is not a number.
        var number: Int?
        /// The `r` as written, when it is not a number.
        var reference: String?
        var cells: [Cell] = []
    }

    /// The row being read, and the last one finished (taken by the caller after each event).
    private var row: Row?
    var finished: Row?
    private var lastRowNumber = 0
    private var cell: Cell?
    private var reading: String?  // "v" or "t" (inline text)

    mutating func take(_ event: XMLScanner.Event) {
        switch event {
        case .start("row", let attributes):
            if let r = attributes["r"] {
                let number = Int(r)
                row = Row(number: number, reference: number == nil ? r : nil)
                lastRowNumber = number ?? lastRowNumber
            } else {
                row = Row(number: lastRowNumber + 1)
                lastRowNumber += 1
            }
        case .end("row"):
            finished = row
            row = nil
        case .start("c", let attributes):
            if let r = attributes["r"] {
                cell = Cell(column: WorkbookReader.column(of: r), reference: r)
            } else {
                cell = Cell(column: (row?.cells.last?.column ?? -1) + 1)
            }
            cell?.type = attributes["t"] ?? "n"
            cell?.style = attributes["s"].flatMap(Int.init)
        case .start("v", _): reading = "v"
        case .start("t", _) where cell != nil: reading = "t"
        case .end("c"):
            if let cell { row?.cells.append(cell) }
            cell = nil
        case .end("v"), .end("t"): reading = nil
        case .text(let text):
            switch reading {
            case "v": cell?.value += text
            case "t": cell?.inline += text
            default: break
            }
        default: break
        }
    }
}

/// An unnamed file in the temporary folder (`TMPDIR`, else `/tmp`), written through a buffer;
/// removed from the folder as soon as it is made, so that nothing is left behind and no other
/// process can open it by name.
private final class TemporaryFile {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let folder: String
    private let file: String
    /// Why a write failed, once one has.
    private(set) var failure: String?

    init(file: String) throws(LubanError) {
        self.file = file
        folder = ProcessEnvironment.nonEmpty("TMPDIR") ?? "/tmp"
        var template = Array((folder + "/luban-sheet-XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Self.refusal(file: file, folder: folder, why: String(cString: strerror(errno))) }
        unlink(template)
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if fd >= 0 { close(fd) } }

    func append(_ byte: UInt8) { buffer.append(byte) }

    func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try? flush() }
    }

    /// Writes out what is buffered.
    func flush() throws(LubanError) {
        if failure == nil {
            var done = 0
            while done < buffer.count {
                let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    failure = String(cString: strerror(errno))
                    break
                }
                done += n
            }
            buffer.removeAll(keepingCapacity: true)
        }
        if let failure { throw Self.refusal(file: file, folder: folder, why: failure) }
    }

    /// The file, written out and open for reading from its start; the caller closes it.
    func rewound() throws(LubanError) -> Int32 {
        try flush()
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw Self.refusal(file: file, folder: folder, why: String(cString: strerror(errno))) }
        defer { fd = -1 }
        return fd
    }

    private static func refusal(file: String, folder: String, why: String) -> LubanError {
        .file(
            path: file,
            reason: Phrase(
                zh: "读取时需要一个临时文件，但无法写入 \(Visible.cell(folder))（\(why)）；请腾出空间，或把 TMPDIR 设为有空间的文件夹",
                en:
                    "needs a temporary file to be read, and \(Visible.cell(folder)) cannot take it (\(why)); free some space, or set TMPDIR to a folder with room"
            ))
    }
}
