import GRDB

// MARK: - The one shape of every import

/// What an import (or a mark by hand) did: one type for every kind of file, so that every
/// command reports, logs and tests its counts the same way.
public struct ImportResult: Sendable, Equatable {
    /// Records written: new ones and corrections (a changed mark, a new verdict, changed details).
    public var recorded = 0
    /// Of those, the ones that changed an earlier record.
    public var corrected = 0
    /// Rows that repeat what is already recorded (nothing written).
    public var unchanged = 0
    /// Rows left blank (a sheet row not marked).
    public var blank = 0
    /// Trainees newly enrolled in a cohort.
    public var enrolled = 0
    /// The ids of the sessions a schedule added or found, in the file's order.
    public var ids: [Int64] = []
    /// The file's columns that no import reads, as the file names them.
    public var ignoredColumns: [String] = []

    public init(recorded: Int = 0, corrected: Int = 0, unchanged: Int = 0, blank: Int = 0, enrolled: Int = 0) {
        self.recorded = recorded
        self.corrected = corrected
        self.unchanged = unchanged
        self.blank = blank
        self.enrolled = enrolled
    }

    /// New records (recorded, less the corrections).
    public var added: Int { recorded - corrected }

    /// The counts as the change log keeps them.
    var summary: String {
        var parts = ["\(recorded) recorded"]
        if corrected > 0 { parts.append("\(corrected) corrected") }
        if unchanged > 0 { parts.append("\(unchanged) unchanged") }
        if blank > 0 { parts.append("\(blank) blank") }
        if enrolled > 0 { parts.append("\(enrolled) enrolled") }
        return parts.joined(separator: ", ")
    }
}

/// One row of a file being imported: where it is, its cells by column name, and whether the
/// import may still write (once a row has failed, the rest are only checked).
struct ImportRow {
    let db: Database
    let reader: CSVReader
    let columns: CSVColumns
    let line: Int
    let mayWrite: Bool

    /// The cell of `column` ("" when the file has no such column).
    func value(_ column: String) throws(LubanError) -> String { try reader.value(column, in: columns) }
}

extension LubanDatabase {
    /// Imports a file the one way every import does: the header (with its required columns),
    /// then each row checked by `row`, which records what it may and throws what is wrong with
    /// the row (its message becomes a finding at the row's line); at the end, every finding
    /// listed and nothing kept, or all of it kept in one audited transaction whose log entry
    /// names the file and the counts.
    func importFile(
        _ action: String, cohort: String? = nil, _ reader: CSVReader, required: [String], optional: [String] = [],
        prepare: (Database, CSVColumns) throws -> Void = { _, _ in },
        row: (ImportRow, inout ImportResult, inout Findings) throws -> Void
    ) throws(LubanError) -> ImportResult {
        let file = reader.name
        let columns = try CSVColumns(reader: reader, required: required, optional: optional)
        return try write(action, detailOf: { (r: ImportResult) in "\(cohort.map { $0 + ": " } ?? "")\(file): \(r.summary)" }) { db in
            try prepare(db, columns)
            var findings = Findings(reader)
            var result = ImportResult()
            while try reader.next() {
                let line = reader.line
                do {
                    try row(ImportRow(db: db, reader: reader, columns: columns, line: line, mayWrite: findings.isEmpty), &result, &findings)
                } catch let error as LubanError {
                    switch error {
                    case .fileRefused: throw error
                    case .notEnrolled(let trainee, let cohort): findings.add(line, error.phrase, fix: .enrol(cohort: cohort, trainee: trainee))
                    default: findings.add(line, error.phrase)
                    }
                }
            }
            try findings.throwIfAny()
            result.ignoredColumns = columns.ignored
            return result
        }
    }
}
