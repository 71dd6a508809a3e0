// MARK: - Problems found in an input file

/// Collects every bad row of a file, so that one attempt shows them all; the import then
/// refuses the whole file.
public struct Findings: Sendable {
    public let file: String
    public let sheet: String?
    public private(set) var shown: [Finding] = []
    public private(set) var total = 0
    /// How many findings a message lists before it says "… and N more".
    public static let shownLimit = 50

    public init(file: String, sheet: String? = nil) {
        self.file = file
        self.sheet = sheet
    }

    /// Findings about the file `reader` reads (its sheet, when it is a workbook).
    public init(_ reader: CSVReader) { self.init(file: reader.name, sheet: reader.sheet) }

    public mutating func add(_ line: Int, _ message: Phrase, fix: Finding.Fix? = nil) {
        total += 1
        if shown.count < Self.shownLimit { shown.append(Finding(file: file, sheet: sheet, line: line, message: message, fix: fix)) }
    }

    public var isEmpty: Bool { total == 0 }

    /// Throws the refusal of the whole file when anything was found.
    public func throwIfAny() throws(LubanError) {
        if total > 0 { throw .fileRefused(file: file, findings: shown, total: total) }
    }
}

/// A line number for each row id an import has met: 4 bytes a row id, in pages of 4,096 made as
/// the ids are met (row ids are dense), where a dictionary took about 32 bytes an entry (the
/// roster import's peak memory grew from 32 to 74 MiB between 40,000 and 800,000 people).
struct LinesByRowID {
    private var pages: [Int64: [Int32]] = [:]

    subscript(id: Int64) -> Int? {
        get {
            guard let line = pages[id >> 12]?[Int(id & 4095)], line != 0 else { return nil }
            return Int(line)
        }
        set {
            pages[id >> 12, default: [Int32](repeating: 0, count: 4096)][Int(id & 4095)] = Int32(clamping: newValue ?? 0)
        }
    }
}
