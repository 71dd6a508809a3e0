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
    /// The ids of the sessions a schedule of one cohort added or found, in the file's order
    /// (not kept for a federation's schedule, which names each row's cohort).
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
        var parts = [Phrase(zh: "记录 \(recorded)", en: "\(recorded) recorded")]
        if corrected > 0 { parts.append(Phrase(zh: "更正 \(corrected)", en: "\(corrected) corrected")) }
        if unchanged > 0 { parts.append(Phrase(zh: "未变 \(unchanged)", en: "\(unchanged) unchanged")) }
        if blank > 0 { parts.append(Phrase(zh: "留空 \(blank)", en: "\(blank) blank")) }
        if enrolled > 0 { parts.append(Phrase(zh: "报名 \(enrolled)", en: "\(enrolled) enrolled")) }
        return parts.map { $0.text() }.joined(separator: Phrase(zh: "，", en: ", ").text())
    }
}

/// One row's cells as text without surrounding spaces, by column name ("" for a column the
/// file does not have), read on the pipeline's thread.
struct RowCells: Sendable {
    let names: [String]
    let values: [String]

    func value(_ column: String) -> String { names.firstIndex(of: column).map { values[$0] } ?? "" }
}

/// One row of a file being imported: where it is, its cells, and whether the import may still
/// write (once a row has failed, the rest are only checked).
struct ImportRow {
    let db: Database
    let cells: RowCells
    let line: Int
    let mayWrite: Bool

    /// The cell of `column` ("" when the file has no such column).
    func value(_ column: String) -> String { cells.value(column) }
}

extension LubanDatabase {
    /// Imports a file the one way every import does: the header (with its required columns),
    /// then each row checked by `row`, which records what it may and throws what is wrong with
    /// the row (its message becomes a finding at the row's line); at the end, every finding
    /// listed and nothing kept, or all of it kept in one audited transaction whose log entry
    /// names the file and the counts.
    func importFile(
        _ action: String, cohort: String? = nil, _ reader: CSVReader, required: [String], optional: [String] = [], passedOver: [String] = [],
        prepare: (Database, CSVColumns) throws -> Void = { _, _ in },
        row: (ImportRow, inout ImportResult, inout Findings) throws -> Void
    ) throws(LubanError) -> ImportResult {
        try importFile(
            action, cohort: cohort, reader, required: required, optional: optional, passedOver: passedOver, prepare: prepare, check: { _ in () },
            row: { _, r, result, findings in try row(r, &result, &findings) })
    }

    /// Imports a file as above, with what can be checked in a row alone (no records needed)
    /// done by `check`, on a second core while this one writes: its result, or what it threw,
    /// goes to `row` in the file's order. `finish` runs after the last row, when every row was
    /// good, in the same transaction.
    func importFile<Checked: Sendable>(
        _ action: String, cohort: String? = nil, _ reader: CSVReader, required: [String], optional: [String] = [], passedOver: [String] = [],
        prepare: (Database, CSVColumns) throws -> Void = { _, _ in },
        check: @escaping @Sendable (RowCells) throws(LubanError) -> Checked,
        row: (Checked, ImportRow, inout ImportResult, inout Findings) throws -> Void,
        finish: (Database) throws -> Void = { _ in }
    ) throws(LubanError) -> ImportResult {
        let file = reader.name
        let columns = try CSVColumns(reader: reader, required: required, optional: optional, passedOver: passedOver)
        let names = required + optional
        return try write(action, detailOf: { (r: ImportResult) in "\(cohort.map { $0 + ": " } ?? "")\(file): \(r.summary)" }) { db in
            try prepare(db, columns)
            let pipeline = RowPipeline<(RowCells, Result<Checked, LubanError>)>(reader: reader) { reader in
                {
                    let cells = RowCells(names: names, values: try names.map { name throws(LubanError) in try reader.value(name, in: columns) })
                    do throws(LubanError) {
                        return (cells, .success(try check(cells)))
                    } catch {
                        if case .fileRefused = error { throw error }
                        return (cells, .failure(error))
                    }
                }
            }
            defer { pipeline.stop() }
            var findings = Findings(reader)
            var result = ImportResult()
            while let batch = try pipeline.next() {
                for (line, (cells, checked)) in batch.rows {
                    do {
                        let r = ImportRow(db: db, cells: cells, line: line, mayWrite: findings.isEmpty)
                        try row(try checked.get(), r, &result, &findings)
                    } catch let error as LubanError {
                        switch error {
                        case .fileRefused: throw error
                        case .notEnrolled(let trainee, let cohort):
                            findings.add(line, error.phrase, fix: .enrol(cohort: cohort, trainee: trainee))
                        default: findings.add(line, error.phrase)
                        }
                    }
                }
            }
            try findings.throwIfAny()
            result.ignoredColumns = columns.ignored
            try finish(db)
            return result
        }
    }
}
