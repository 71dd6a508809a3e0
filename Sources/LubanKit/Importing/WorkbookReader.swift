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
    /// The largest part of a workbook luban unpacks (a sheet's XML); a larger one is refused
    /// rather than filling memory (a zip bomb is a few KB that unpack to gigabytes).
    static let largestPart = 256 << 20

    /// What the first bytes of a file say it is.
    enum Kind { case xlsx, oldBinary, other }

    static func kind(of head: [UInt8]) -> Kind {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .oldBinary }
        return .other
    }

    /// The sheet `sheet` (else the first, when no other sheet has data) of the workbook at
    /// `path` as CSV bytes (UTF-8, no BOM), with the name of the sheet read; `name` is what
    /// messages call the file.
    static func csv(path: String, name: String, sheet wanted: String? = nil) throws(LubanError) -> (csv: [UInt8], sheet: String) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .file(
                path: name,
                reason: Phrase(zh: "不是 luban 能打开的工作簿（内部 zip 已损坏）", en: "is not a workbook luban can open (the zip inside is damaged)") + .saveAgain)
        }
        func part(_ inside: String) throws(LubanError) -> [UInt8]? {
            guard let entry = archive[inside] else { return nil }
            return try unpack(entry, archive: archive, file: name)
        }
        func parsed<R: PartReader>(_ inside: String, _ reader: R) throws(LubanError) -> R? {
            guard let data = try part(inside) else { return nil }
            var reader = reader
            try parse(data, part: inside, file: name) { reader.take($0) }
            return reader
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
            for sheet in sheetPaths.dropFirst() {
                if let xml = try part(sheet.path), SheetParser.hasValues(xml) { others.append(sheet.name) }
            }
            guard others.isEmpty else { throw .whichSheet(file: name, sheets: [first.name] + others) }
            chosen = first
        }
        guard let sheetXML = try part(chosen.path) else {
            throw .file(
                path: name,
                reason: Phrase(zh: "缺少工作表“\(Visible.cell(chosen.name))”的内容部分", en: "has no part for its sheet '\(Visible.cell(chosen.name))'")
                    + .saveAgain)
        }
        let strings = try parsed("xl/sharedStrings.xml", SharedStringsParser())?.strings ?? []
        let dateStyles = try parsed("xl/styles.xml", StylesParser())?.dateStyles ?? []
        let sheet = SheetParser(strings: strings, dateStyles: dateStyles, date1904: book.date1904, file: name, sheet: chosen.name)
        return (try sheet.csv(sheetXML, part: chosen.path), chosen.name)
    }

    /// Reads one XML part of the workbook, event by event; a part that is not well-formed XML
    /// is refused (never read as empty).
    static func parse(_ data: [UInt8], part: String, file: String, _ body: (XMLScanner.Event) -> Void) throws(LubanError) {
        do throws(XMLScanner.Malformed) {
            try XMLScanner.scan(data, body)
        } catch {
            throw .file(
                path: file,
                reason: Phrase(
                    zh: "有 luban 无法读取的部分（\(part)）：其第 \(error.line) 行格式不正确",
                    en: "has a part (\(part)) luban cannot read: not well-formed at its line \(error.line) (\(error.reason))") + .saveAgain)
        }
    }

    private static func unpack(_ entry: Entry, archive: Archive, file: String) throws(LubanError) -> [UInt8] {
        guard entry.uncompressedSize <= largestPart else {
            throw .file(
                path: file,
                reason: Phrase(
                    zh: "有一部分（\(Visible.cell(entry.path))）解压后超过 \(largestPart >> 20) MiB；luban 拒绝读取（请把数据另存为 CSV UTF-8）",
                    en:
                        "has a part (\(Visible.cell(entry.path))) that unpacks to more than \(largestPart >> 20) MiB; luban refuses it (save the rows as CSV UTF-8)"
                ))
        }
        // Room for the size the directory gives, so that the part is never copied as it grows.
        var data: [UInt8] = []
        data.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(contentsOf: chunk)
                if data.count > largestPart { throw CocoaError(.fileReadTooLarge) }
            }
        } catch {
            let reason =
                data.count > largestPart
                ? Phrase(
                    zh: "解压后超过 \(largestPart >> 20) MiB，多于其 zip 目录所写",
                    en: "unpacks to more than \(largestPart >> 20) MiB, more than its zip directory says")
                : Phrase(verbatim: Visible.cell("\(error)"))
            throw .file(
                path: file,
                reason: Phrase(zh: "无法解压（\(reason.zh)）；luban 拒绝读取", en: "cannot be unpacked (\(reason.en)); luban refuses it") + .saveAgain)
        }
        return data
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

/// `xl/sharedStrings.xml`: the strings cells point at by index (rich text joined; phonetic
/// guides left out).
private struct SharedStringsParser: PartReader {
    var strings: [String] = []
    private var current = ""
    private var inText = false
    private var inPhonetic = false

    mutating func take(_ event: XMLScanner.Event) {
        switch event {
        case .start("si", _): current = ""
        case .start("t", _): inText = !inPhonetic
        case .start("rPh", _): inPhonetic = true
        case .end("si"): strings.append(current)
        case .end("t"): inText = false
        case .end("rPh"): inPhonetic = false
        case .text(let text) where inText: current += text
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

/// A worksheet's rows as CSV.
private struct SheetParser {
    let strings: [String]
    let dateStyles: Set<Int>
    let date1904: Bool
    let file: String
    let sheet: String

    /// Whether a sheet's XML holds any cell value (a quick look, for the other sheets).
    static func hasValues(_ xml: [UInt8]) -> Bool {
        for marker in ["<v>", ":v>", "<is>", ":is>"] {
            let m = Array(marker.utf8)
            var i = 0
            while let at = xml[i...].firstIndex(of: m[0]) {
                if xml[at...].starts(with: m) { return true }
                i = at + 1
            }
        }
        return false
    }

    /// The sheet as CSV, each row written as its end tag comes (no row is kept after).
    func csv(_ xml: [UInt8], part: String) throws(LubanError) -> [UInt8] {
        var collector = CellCollector()
        var findings = Findings(file: file, sheet: sheet)
        var out: [UInt8] = []
        var line = 0
        func write(_ row: CellCollector.Row) {
            // Blank lines for rows the sheet leaves out, so that line N is the sheet's row N.
            let number = max(row.number, line + 1)
            while line + 1 < number {
                out.append(0x0A)
                line += 1
            }
            line = number
            var cells: [String] = []
            for cell in row.cells {
                guard cell.column < 16_384 else { continue }
                while cells.count < cell.column { cells.append("") }
                switch value(cell) {
                case .text(let text): cells.append(text)
                case .tooManyDigits(let shown):
                    findings.add(
                        line,
                        Phrase(
                            zh: "单元格 \(WorkbookReader.letters(cell.column))\(line) 存的是数字 \(shown)，而电子表格的数字只保留 15 位："
                                + "存成数字的身份证号已丢失末几位。请把该列设为“文本”格式，再重新输入这些号码",
                            en:
                                "cell \(WorkbookReader.letters(cell.column))\(line) holds the number \(shown), and a spreadsheet keeps only 15 digits of a number: "
                                + "an ID number stored as a number has lost its last digits. Format the column as Text (文本) and type the numbers again"
                        ))
                    cells.append(shown)
                }
            }
            out += cells.map(Self.quoted).joined(separator: ",").utf8
            out.append(0x0A)
        }
        try WorkbookReader.parse(xml, part: part, file: file) { event in
            collector.take(event)
            if let row = collector.finished.take() { write(row) }
        }
        try findings.throwIfAny()
        return out
    }

    enum Value {
        case text(String)
        case tooManyDigits(String)
    }

    private func value(_ cell: CellCollector.Cell) -> Value {
        switch cell.type {
        case "s": return .text(Int(cell.value).flatMap { $0 >= 0 && $0 < strings.count ? strings[$0] : nil } ?? "")
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
        var column: Int
        var type = "n"
        var style: Int?
        var value = ""
        var inline = ""
    }
    struct Row {
        var number: Int
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
            let number = attributes["r"].flatMap(Int.init) ?? lastRowNumber + 1
            row = Row(number: number)
            lastRowNumber = number
        case .end("row"):
            finished = row
            row = nil
        case .start("c", let attributes):
            let next = (row?.cells.last?.column ?? -1) + 1
            cell = Cell(column: attributes["r"].flatMap(WorkbookReader.column(of:)) ?? next)
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
