import Foundation
import GRDB

// MARK: - Every record as CSV

public enum Export {
    /// The tables written, in order, and what they hold.
    public static let tables: [(name: String, order: String)] = [
        ("curriculum", "id"), ("cohort", "id"), ("trainee", "id"), ("enrolment", "cohort_id, trainee_id"),
        ("session", "id"), ("attendance_batch", "id"), ("attendance_entry", "id"), ("attendance", "session_id, trainee_id"), ("signoff", "id"),
        ("certificate", "id"), ("trainee_change", "id"), ("expert", "id"), ("change_log", "id"),
    ]

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
                    let columns = try db.columns(in: table.name).map(\.name)
                    let masked = (table.name == "trainee" || table.name == "expert") && !showID
                    // The holder digest's salt would let anyone with a masked export try every
                    // birth date against the digest and recover the hidden ID digits.
                    let withheldSalt = table.name == "certificate" && !showID
                    try out.write(writer.header(columns))
                    let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.order)")
                    while let row = try rows.next() {
                        var cells: [String] = []
                        cells.reserveCapacity(columns.count)
                        for (i, column) in columns.enumerated() {
                            var text: String
                            switch (row[i] as DatabaseValue).storage {
                            case .null: text = ""
                            case .int64(let n): text = String(n)
                            case .double(let d): text = Hours.format(d)
                            case .string(let t): text = t
                            case .blob(let b): text = b.base64EncodedString()
                            }
                            if withheldSalt && column == "holder_salt" { text = "" }
                            if withheldSalt && column == "holder_id" && !text.isEmpty { text = Mask.idNumber(text) }
                            if masked && !text.isEmpty {
                                if column == "id_number" { text = Mask.idNumber(text) }
                                if column == "phone" { text = Mask.phone(text) }
                            }
                            cells.append(text)
                        }
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
}
