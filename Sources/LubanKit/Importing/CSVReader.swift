import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - CSV in, as bytes

/// Reads RFC 4180 CSV record by record, straight from bytes, in constant memory.
///
/// The file is read in 1 MiB chunks, so a 5,000,000-row roll-call import needs no more memory
/// than a 10-row one. Quoted fields may hold commas, quotes (`""`) and line breaks; a record
/// knows the line it starts on, for messages. UTF-8 (with or without a BOM) is read as is;
/// GB18030/GBK, as Excel and WPS save on Chinese Windows, is recognised from the first 64 KiB and
/// converted. NUL bytes, bytes that are neither, an unterminated quote and cells over 64 KiB are
/// refused with the line they are on.
public final class CSVReader {
    /// The name used in messages (the path as the user gave it).
    public let name: String
    /// The sheet read, when the file is a workbook.
    public private(set) var sheet: String?
    /// The encoding the file turned out to be in.
    public private(set) var encoding: Encoding = .utf8
    /// Whether a header column no import reads is passed over (`--ignore-columns`) instead of
    /// refusing the file: a column luban does not know is most often one it should have read
    /// under another title (授课专家 for expert), and an import that skipped it would be wrong
    /// in silence.
    public var ignoresUnknownColumns = false

    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with BOM"
        case gb18030 = "GB18030"
    }

    /// The longest cell accepted; a longer one is a mistake, not data.
    public static let maxFieldBytes = 64 * 1024

    // Input.
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    /// Bytes consumed so far (for progress), and the file's size when known.
    public private(set) var bytesRead = 0
    public private(set) var totalBytes: Int?

    // The current record: all field bytes back to back, and where each field ends.
    private var recordBytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    /// For a file read as UTF-8: the buffer offset from which bytes are still to be checked,
    /// the first line seen with UTF-8 Chinese, and the first line found in another encoding.
    private var checkUTF8From: Int?
    private var firstUTF8Line: Int?
    private var encodingProblem: Finding?
    /// The first bytes of a character cut off at the end of a chunk, already taken by the parser.
    private var utf8Carry: [UInt8] = []
    /// The line the current record starts on (1-based).
    public private(set) var line = 0
    private var currentLine = 1

    /// Opens `path` for reading; `name` is what messages call it. A workbook (`.xlsx`) is read
    /// as the CSV of `sheet`, else of its one sheet with data; `sheet` for a CSV file is refused.
    public init(path: String, name: String? = nil, sheet: String? = nil) throws(LubanError) {
        self.name = name ?? path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .file(path: self.name, reason: .cannotRead(errno)) }
        var st = stat()
        if fstat(fd, &st) == 0 { totalBytes = Int(st.st_size) }
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            fd = -1
            throw .file(path: self.name, reason: Phrase(zh: "是文件夹，不是 CSV 文件", en: "is a folder, not a CSV file"))
        }
        // A workbook is read as the CSV of its first sheet (see `WorkbookReader`).
        var head = [UInt8](repeating: 0, count: 8)
        let got = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 8, 0) }
        switch WorkbookReader.kind(of: Array(head.prefix(max(got, 0)))) {
        case .xlsx:
            close(fd)
            fd = -1
            (fd, self.sheet) = try WorkbookReader.csv(path: path, name: self.name, sheet: sheet)
            totalBytes = fstat(fd, &st) == 0 ? Int(st.st_size) : nil
        case .oldBinary:
            close(fd)
            fd = -1
            throw .file(
                path: self.name,
                reason: Phrase(
                    zh: "是旧式 .xls/.et 工作簿，luban 不读取；请另存为 Excel 工作簿（.xlsx），或另存为 → CSV UTF-8",
                    en:
                        "is an old-style .xls/.et workbook, which luban does not read; save it as an Excel workbook (.xlsx), or as CSV UTF-8 (另存为 → CSV UTF-8)"
                ))
        case .other:
            if let sheet {
                close(fd)
                fd = -1
                throw .file(
                    path: self.name,
                    reason: Phrase(
                        zh: "不是工作簿，没有可读的工作表“\(Visible.cell(sheet))”；CSV 文件请不要指定工作表",
                        en: "is not a workbook, so it has no sheet '\(Visible.cell(sheet))' to read; leave the sheet out for a CSV file"))
            }
        }
        try start()
    }

    /// Reads CSV held in memory (tests, generated data).
    public init(bytes: [UInt8], name: String) throws(LubanError) {
        self.name = name
        buffer = bytes
        atEOF = true
        try start()
    }

    deinit { if fd >= 0 { close(fd) } }

    // MARK: - Encoding

    private func start() throws(LubanError) {
        fill(minimum: 64 * 1024)
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            encoding = .utf8BOM
            position = 3
            return
        }
        let sample = buffer[position...]
        if Self.isUTF8Prefix(sample, complete: atEOF) {
            // UTF-8 so far: every later chunk is checked as it is read (`fill`), so that a
            // line in another encoding further down is refused, not garbled.
            let checked = buffer.count - Self.incompleteTail(buffer[position...])
            checkUTF8From = checked
            firstUTF8Line = Self.firstMultibyteLine(buffer[position..<checked], from: 1)
            return
        }
        // Not UTF-8: GB18030 is what Chinese Windows spreadsheets write. Convert the whole file,
        // unless some of its lines are UTF-8 Chinese: then it mixes two encodings.
        while !atEOF { fill(minimum: buffer.count + 1 << 20) }
        let (utf8Line, otherLine) = Self.classifyLines(buffer[position...])
        if let utf8Line, let otherLine {
            throw .fileRefused(
                file: name,
                findings: [Finding(file: name, sheet: sheet, line: otherLine, message: Self.mixedMessage(utf8Line: utf8Line, otherLine: otherLine))],
                total: 1)
        }
        guard let converted = GB18030.toUTF8(Array(buffer[position...])) else {
            let line = Self.lineOfFirstInvalidUTF8(buffer)
            throw .fileRefused(
                file: name,
                findings: [
                    Finding(
                        file: name, line: line,
                        message: Phrase(
                            zh: "有既非 UTF-8 也非 GB18030/GBK 文本的字节；请把文件另存为 CSV (UTF-8) 后重试",
                            en: "bytes that are neither UTF-8 nor GB18030/GBK text; save the file as CSV (UTF-8) and try again"))
                ], total: 1)
        }
        encoding = .gb18030
        buffer = converted
        position = 0
    }

    /// True when `bytes` is valid UTF-8, allowing a sequence cut off at the end of an incomplete sample.
    static func isUTF8Prefix(_ bytes: ArraySlice<UInt8>, complete: Bool) -> Bool {
        firstInvalidUTF8(bytes, complete: complete) == nil
    }

    /// The index of the first byte that makes `bytes` invalid UTF-8, or nil.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>, complete: Bool) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let n: Int
            switch b {
            case 0xC2...0xDF: n = 1
            case 0xE0...0xEF: n = 2
            case 0xF0...0xF4: n = 3
            default: return i
            }
            for k in 1...n {
                if i + k >= end { return complete ? i : nil }
                if bytes[i + k] & 0xC0 != 0x80 { return i }
            }
            i += n + 1
        }
        return nil
    }

    /// The message for a file with lines in two encodings.
    static func mixedMessage(utf8Line: Int, otherLine: Int) -> Phrase {
        Phrase(
            zh: "第 \(otherLine) 行不是 UTF-8（是 GBK？），而第 \(utf8Line) 行是：一个文件只能用一种编码；"
                + "请重新另存为 CSV UTF-8（Excel：另存为 → CSV UTF-8）后再导入",
            en: "line \(otherLine) is not UTF-8 (GBK?) but line \(utf8Line) is: a file must be in one encoding; "
                + "save it again as CSV UTF-8 (Excel: Save As, CSV UTF-8) and import it again")
    }

    static let notUTF8Further = Phrase(
        zh: "文件前面是 UTF-8，此处却有非 UTF-8 文本的字节；请把文件另存为 CSV (UTF-8) 后重试",
        en: "bytes that are not UTF-8 text, in a file whose first part is; save the file as CSV (UTF-8) and try again")

    /// How many bytes at the end of `bytes` are the start of a UTF-8 sequence cut off there.
    static func incompleteTail(_ bytes: ArraySlice<UInt8>) -> Int {
        var k = 0
        var i = bytes.endIndex
        while i > bytes.startIndex, k < 3 {
            i -= 1
            k += 1
            let b = bytes[i]
            if b & 0xC0 != 0x80 {
                let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return need > k ? k : 0
            }
        }
        return 0
    }

    /// The first line (counting from `from`) holding a multi-byte UTF-8 character, if any.
    static func firstMultibyteLine(_ bytes: ArraySlice<UInt8>, from first: Int) -> Int? {
        var line = first
        for b in bytes {
            if b == 0x0A { line += 1 } else if b >= 0x80 { return line }
        }
        return nil
    }

    /// The first line that is valid UTF-8 with a multi-byte character, and the first that is
    /// not valid UTF-8.
    static func classifyLines(_ bytes: ArraySlice<UInt8>) -> (utf8: Int?, other: Int?) {
        var utf8: Int?
        var other: Int?
        var line = 1
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i <= bytes.endIndex {
            if i == bytes.endIndex || bytes[i] == 0x0A {
                let l = bytes[start..<i]
                if l.contains(where: { $0 >= 0x80 }) {
                    if isUTF8Prefix(l, complete: true) { utf8 = utf8 ?? line } else { other = other ?? line }
                    if utf8 != nil && other != nil { break }
                }
                line += 1
                start = i + 1
            }
            i += 1
        }
        return (utf8, other)
    }

    /// Checks newly read bytes of a file being read as UTF-8 (from `checkUTF8From` on).
    private func checkNewBytes() {
        guard var from = checkUTF8From, encodingProblem == nil, from < buffer.count else { return }
        if !utf8Carry.isEmpty {
            let lead = utf8Carry[0]
            let need = (lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1) - utf8Carry.count
            guard need >= 0, buffer.count - from >= need || atEOF else { return }  // wait for the rest of the character
            let joined = utf8Carry + buffer[from..<min(from + need, buffer.count)]
            utf8Carry = []
            if Self.firstInvalidUTF8(joined[...], complete: true) != nil {
                encodingProblem = Finding(
                    file: name, line: currentLine,
                    message: firstUTF8Line.map { Self.mixedMessage(utf8Line: $0, otherLine: currentLine) }
                        ?? Self.notUTF8Further)
                return
            }
            from += need
            checkUTF8From = from
            guard from < buffer.count else { return }
        }
        let end = atEOF ? buffer.count : buffer.count - Self.incompleteTail(buffer[from...])
        let chunk = buffer[from..<end]
        if let bad = Self.firstInvalidUTF8(chunk, complete: true) {
            // The line of the first bad byte: the parser's line, plus the line breaks between
            // its position and that byte.
            let line = currentLine + buffer[min(position, bad)..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let message =
                firstUTF8Line.map { Self.mixedMessage(utf8Line: $0, otherLine: line) }
                ?? Self.notUTF8Further
            encodingProblem = Finding(file: name, sheet: sheet, line: line, message: message)
        } else if firstUTF8Line == nil, let k = Self.firstMultibyteLine(chunk, from: 0) {
            firstUTF8Line = currentLine + buffer[min(position, from)..<from].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + k
        }
        checkUTF8From = end
    }

    private static func lineOfFirstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if !isUTF8Prefix(bytes[start..<i], complete: true) { return line }
            line += 1
            start = i + 1
        }
        return line
    }

    // MARK: - Input

    /// Reads more of the file until `minimum` bytes are buffered or the file ends.
    private func fill(minimum: Int) {
        guard fd >= 0, !atEOF else {
            atEOF = true
            return
        }
        if position > 0 {
            bytesRead += position
            if let from = checkUTF8From {
                // The parser may have taken the start of a character cut off at the end of the
                // last chunk: keep those bytes to check with the rest of the character.
                if from < position { utf8Carry = Array(buffer[from..<position]) }
                checkUTF8From = max(0, from - position)
            }
            buffer.removeFirst(position)
            position = 0
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while buffer.count < minimum {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                atEOF = true
                break
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
        checkNewBytes()
    }

    // MARK: - Records

    /// Moves to the next record that is not blank; false at the end of the file.
    public func next() throws(LubanError) -> Bool {
        while true {
            if let problem = encodingProblem { throw .fileRefused(file: name, findings: [problem], total: 1) }
            guard try readRecord() else {
                if let problem = encodingProblem { throw .fileRefused(file: name, findings: [problem], total: 1) }
                return false
            }
            if !(fieldEnds.count == 1 && fieldEnds[0] == 0) { return true }
        }
    }

    /// The number of fields in the current record.
    public var count: Int { fieldEnds.count }

    /// Field `i` of the current record as text ("" past the end).
    public func field(_ i: Int) throws(LubanError) -> String { try text(i, trimmed: false) }

    /// Field `i` without surrounding spaces and tabs (trimmed as bytes, before the String is made).
    public func trimmedField(_ i: Int) throws(LubanError) -> String { try text(i, trimmed: true) }

    private func text(_ i: Int, trimmed: Bool) throws(LubanError) -> String {
        guard i < fieldEnds.count else { return "" }
        var start = i == 0 ? 0 : fieldEnds[i - 1]
        var end = fieldEnds[i]
        if trimmed {
            while start < end, recordBytes[start] == 0x20 || recordBytes[start] == 0x09 { start += 1 }
            while end > start, recordBytes[end - 1] == 0x20 || recordBytes[end - 1] == 0x09 { end -= 1 }
        }
        if start == end { return "" }
        let s: String? = recordBytes.withUnsafeBufferPointer { all in
            String(validating: UnsafeBufferPointer(rebasing: all[start..<end]), as: UTF8.self)
        }
        guard let s else {
            throw .fileRefused(
                file: name,
                findings: [
                    Finding(
                        file: name, line: line,
                        message: Phrase(
                            zh: "第 \(i + 1) 列有非 UTF-8 文本的字节；请把文件另存为 CSV (UTF-8) 后重试",
                            en: "field \(i + 1) holds bytes that are not UTF-8 text; save the file as CSV (UTF-8) and try again"))
                ], total: 1)
        }
        return s
    }

    /// True when field `i` is empty or only spaces, without making a String.
    public func isBlank(_ i: Int) -> Bool {
        guard i < fieldEnds.count else { return true }
        let start = i == 0 ? 0 : fieldEnds[i - 1]
        for k in start..<fieldEnds[i] where recordBytes[k] != 0x20 && recordBytes[k] != 0x09 { return false }
        return true
    }

    /// Calls `body` with the raw bytes of field `i` (no copy).
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = i == 0 || fieldEnds.isEmpty ? 0 : fieldEnds[min(i, fieldEnds.count) - 1]
        let end = i < fieldEnds.count ? fieldEnds[i] : start
        return try recordBytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    private func fail(_ line: Int, _ message: Phrase) -> LubanError {
        .fileRefused(file: name, findings: [Finding(file: name, sheet: sheet, line: line, message: message)], total: 1)
    }

    /// The common case, done on local pointers: a record with no quote, NUL or over-long cell
    /// that ends inside the buffer. Returns false, having changed nothing, for anything else.
    private func readPlainRecord() -> Bool {
        let start = position
        var fields: (ends: [Int], bytes: [UInt8]) = (fieldEnds, recordBytes)
        fieldEnds = []
        recordBytes = []
        defer { (fieldEnds, recordBytes) = fields }
        let next: Int? = buffer.withUnsafeBufferPointer { b in
            var i = start
            var fieldStart = start
            while i < b.count {
                switch b[i] {
                case 0x2C:
                    guard i - fieldStart <= Self.maxFieldBytes else { return nil }
                    fields.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[fieldStart..<i]))
                    fields.ends.append(fields.bytes.count)
                    fieldStart = i + 1
                case 0x0A, 0x0D:
                    // A lone CR at the end of the buffer may be the first half of CRLF.
                    if b[i] == 0x0D && i + 1 == b.count { return nil }
                    guard i - fieldStart <= Self.maxFieldBytes else { return nil }
                    fields.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[fieldStart..<i]))
                    fields.ends.append(fields.bytes.count)
                    return b[i] == 0x0D && b[i + 1] == 0x0A ? i + 2 : i + 1
                case 0x22, 0x00:
                    return nil
                default:
                    break
                }
                i += 1
            }
            return nil
        }
        guard let next else {
            fields.ends.removeAll(keepingCapacity: true)
            fields.bytes.removeAll(keepingCapacity: true)
            return false
        }
        position = next
        currentLine += 1
        return true
    }

    private func readRecord() throws(LubanError) -> Bool {
        recordBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        if position >= buffer.count { fill(minimum: 1) }
        if position >= buffer.count { return false }
        line = currentLine
        if readPlainRecord() { return true }
        var inQuotes = false
        var quotedField = false
        var fieldStart = 0
        var quoteLine = line
        while true {
            if position >= buffer.count {
                fill(minimum: 1)
                if position >= buffer.count {
                    if inQuotes {
                        throw fail(
                            quoteLine,
                            Phrase(zh: "带引号的字段从这里开始却没有结束；请补上结尾的 \"", en: "a quoted field starts here and is never closed; add the closing \""))
                    }
                    fieldEnds.append(recordBytes.count)
                    return true
                }
            }
            let b = buffer[position]
            position += 1
            if b == 0 {
                throw fail(
                    currentLine,
                    Phrase(
                        zh: "有 NUL 字节：这不是文本 CSV 文件（是电子表格文件吗？请另存为 CSV）",
                        en: "NUL byte: this is not a text CSV file (is it a spreadsheet file? save it as CSV)"))
            }
            if inQuotes {
                if b == 0x22 {
                    if position >= buffer.count { fill(minimum: 1) }
                    if position < buffer.count && buffer[position] == 0x22 {
                        recordBytes.append(0x22)
                        position += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == 0x0A { currentLine += 1 }
                    recordBytes.append(b)
                }
            } else {
                switch b {
                case 0x2C:
                    fieldEnds.append(recordBytes.count)
                    fieldStart = recordBytes.count
                    quotedField = false
                case 0x0A:
                    currentLine += 1
                    fieldEnds.append(recordBytes.count)
                    return true
                case 0x0D:
                    if position >= buffer.count { fill(minimum: 1) }
                    if position < buffer.count && buffer[position] == 0x0A { position += 1 }
                    currentLine += 1
                    fieldEnds.append(recordBytes.count)
                    return true
                case 0x22 where recordBytes.count == fieldStart && !quotedField:
                    inQuotes = true
                    quotedField = true
                    quoteLine = currentLine
                default:
                    recordBytes.append(b)
                }
            }
            if recordBytes.count - fieldStart > Self.maxFieldBytes {
                throw fail(
                    line,
                    Phrase(
                        zh: "有字段超过 \(Self.maxFieldBytes / 1024) KiB；是否缺了结尾的引号？",
                        en: "a field longer than \(Self.maxFieldBytes / 1024) KiB; is a closing quote missing?"))
            }
        }
    }
}

// MARK: - GB18030

/// Converts GB18030 (a superset of GBK and GB2312) to UTF-8 through the C library's iconv.
enum GB18030 {
    static func toUTF8(_ input: [UInt8]) -> [UInt8]? {
        if input.isEmpty { return [] }
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var source = input
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let written: Int? = source.withUnsafeMutableBytes { src in
            output.withUnsafeMutableBytes { dst in
                var inPtr = src.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = src.count
                var outPtr = dst.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = dst.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return r == -1 || inLeft != 0 ? nil : dst.count - outLeft
            }
        }
        guard let written else { return nil }
        output.removeSubrange(written...)
        return output
    }
}
