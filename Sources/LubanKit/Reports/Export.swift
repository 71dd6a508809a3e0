import Foundation
import GRDB

// MARK: - Every record as CSV

public enum Export {
    /// The tables written, in order, and what they hold.
    public static let tables: [(name: String, order: String)] = [
        ("curriculum", "id"), ("cohort", "id"), ("trainee", "id"), ("enrolment", "cohort_id, trainee_id"),
        ("session", "id"), ("attendance_batch", "id"), ("attendance_entry", "id"), ("attendance", "session_id, trainee_id"), ("signoff", "id"),
        ("certificate", "id"), ("change_log", "id"),
    ]

    /// Writes one CSV per table into `folder` (ID and phone numbers masked unless `showID`);
    /// returns the files written with their row counts.
    public static func write(_ database: LubanDatabase, to folder: String, showID: Bool, excel: Bool) throws(LubanError) -> [(String, Int)] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .file(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let writer = CSVWriter(excel: excel)
        let documents: [(String, String, Int)] = try database.read { db in
            try tables.map { table in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.order)")
                let columns = try db.columns(in: table.name).map(\.name)
                let cells: [[String]] = rows.map { row in
                    columns.map { col in
                        let value = row[col] as DatabaseValue
                        var text: String
                        switch value.storage {
                        case .null: text = ""
                        case .int64(let i): text = String(i)
                        case .double(let d): text = Hours.format(d)
                        case .string(let s): text = s
                        case .blob(let b): text = b.base64EncodedString()
                        }
                        if table.name == "trainee" && !showID {
                            if col == "id_number" && !text.isEmpty { text = Mask.idNumber(text) }
                            if col == "phone" && !text.isEmpty { text = Mask.phone(text) }
                        }
                        return text
                    }
                }
                return (table.name + ".csv", writer.document(header: columns, rows: cells), rows.count)
            }
        }
        var written: [(String, Int)] = []
        for (file, text, count) in documents {
            let path = (folder as NSString).appendingPathComponent(file)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
            catch { throw .file(path: path, reason: "cannot be written (\(error.localizedDescription))") }
            written.append((path, count))
        }
        return written
    }
}
