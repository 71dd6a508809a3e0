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
