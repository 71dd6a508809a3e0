import Foundation
import GRDB

// MARK: - Every record as CSV

public enum Export {
    /// The tables written, in order, and what they hold.
    public static let tables: [(name: String, order: String)] = [
        ("curriculum", "id"), ("cohort", "id"), ("trainee", "id"), ("enrolment", "cohort_id, trainee_id"),
        ("session", "id"), ("attendance_batch", "id"), ("attendance_entry", "id"), ("attendance", "session_id, trainee_id"), ("signoff", "id"),
        ("certificate", "id"), ("trainee_change", "id"), ("expert", "id"), ("fee_rate", "id"), ("change_log", "id"),
    ]

    /// What a table's rows are read from: the ledger keeps each status as a number, and its
    /// export gives the word, as every other reading of it does.
    static func source(_ table: String) -> String {
        table == "attendance_entry" ? "attendance_ledger" : table
    }

    /// Writes one CSV per table into `folder` (ID and phone numbers masked unless `showID`);
    /// returns the files written with their row counts.
    public static func write(_ database: LubanDatabase, to folder: String, showID: Bool, excel: Bool) throws(LubanError) -> [(String, Int)] {
        try OutputFile.makeFolder(folder)
        let writer = CSVWriter(excel: excel)
        var written: [(String, Int)] = []
        try database.read { db in
            for table in tables {
                let path = (folder as NSString).appendingPathComponent(table.name + ".csv")
                // Row by row into a temporary file, renamed when complete: memory stays flat
                // however many marks the ledger holds, and no half-written file is left.
                let out = try OutputFile(path: path)
                var count = 0
                do {
                    let columns = try db.columns(in: source(table.name)).map(\.name)
                    try out.write(writer.header(columns))
                    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(source(table.name)) ORDER BY \(table.order)")
                    while let row = try rows.next() {
                        let cells = Self.cells(row, columns, table: table.name, showID: showID).map(\.plain)
                        try out.write(writer.line(cells))
                        count += 1
                    }
                    try out.commit()
                } catch {
                    out.discard()
                    throw error
                }
                written.append((path, count))
            }
        }
        return written
    }

    /// One exported row's cells, masked unless `showID`: ID and phone numbers of people and
    /// experts, and a certificate's holder ID; the holder digest's salt is withheld, since with
    /// it anyone could try every birth date against the digest and recover the hidden digits.
    static func cells(_ row: Row, _ columns: [String], table: String, showID: Bool) -> [Cell] {
        let masked = (table == "trainee" || table == "expert") && !showID
        let certificate = table == "certificate" && !showID
        return columns.enumerated().map { i, column in
            switch (row[i] as DatabaseValue).storage {
            case .null: return .empty
            case .int64(let n): return .int(Int(n))
            case .double(let d): return .hours(d)
            case .blob(let b): return .text(b.base64EncodedString())
            case .string(var text):
                if certificate && column == "holder_salt" { text = "" }
                if certificate && column == "holder_id" && !text.isEmpty { text = Mask.idNumber(text) }
                if masked && !text.isEmpty {
                    if column == "id_number" { text = Mask.idNumber(text) }
                    if column == "phone" { text = Mask.phone(text) }
                }
                return .text(text)
            }
        }
    }

    /// Every table in one Excel/WPS workbook, a sheet each (masked as `write` masks). A
    /// workbook is for an office's records: a table of more than `workbookRows` rows (a
    /// federation's ledger) is refused, to be exported as CSV.
    public static func workbook(_ database: LubanDatabase, to path: String, showID: Bool) throws(LubanError) -> [(String, Int)] {
        var sheets: [(name: String, table: Table, layout: Workbook.Layout)] = []
        try database.read { db in
            for table in tables {
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0
                guard count <= workbookRows else {
                    throw LubanError.refused(
                        zh: "表 \(table.name) 有 \(count) 行；工作簿用于办公室的记录（每表最多 \(workbookRows) 行）：请导出为 CSV",
                        en:
                            "table \(table.name) has \(count) rows; a workbook holds an office's records (at most \(workbookRows) rows a table): export as CSV"
                    )
                }
                let columns = try db.columns(in: source(table.name)).map(\.name)
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(source(table.name)) ORDER BY \(table.order)").map {
                    cells($0, columns, table: table.name, showID: showID)
                }
                sheets.append((table.name, Table(columns: columns.map { .init($0, $0) }, rows: rows), Workbook.Layout()))
            }
        }
        try Workbook.write(sheets, to: path)
        return sheets.map { (path + " [" + $0.name + "]", $0.table.rows.count) }
    }

    public static let workbookRows = 200_000
}
