import GRDB

// MARK: - Checking the ledger's entry numbers against its batches

/// Whether the ledger's entry numbers are what its batches say: each batch's range follows the
/// previous one's, and holds exactly one entry for each of its numbers. An entry belongs to the
/// batch whose range holds its number (the ledger keeps no batch column), so an entry outside
/// every range, or two entries under one number, is a fault of the ledger.
///
/// One pass over the entry numbers: each is found among the ranges by binary search and marked
/// in a bitmap, one bit per number the ranges hold (625 KiB for 5,000,000 marks).
struct LedgerNumbering {
    private struct Batch {
        let id: Int64
        let first: Int64
        let last: Int64
        /// Where the batch's numbers start in the bitmap.
        let offset: Int
        var entries = 0
        var different = 0
    }

    /// What is wrong, in the order of the batches; empty when all is well.
    static func problems(_ db: Database) throws -> [Phrase] {
        var problems: [Phrase] = []
        var batches: [Batch] = []
        var previousLast: Int64 = 0
        var numbers = 0
        for row in try Row.fetchAll(db, sql: "SELECT id, first_entry, last_entry FROM attendance_batch ORDER BY id") {
            let (id, first, last): (Int64, Int64, Int64) = (row[0], row[1], row[2])
            guard first > previousLast, last >= first else {
                problems.append(
                    Phrase(
                        zh: "考勤批次 \(id)：其记录号 \(first)…\(last) 未接续上一批次（到 \(previousLast)）",
                        en: "attendance batch \(id): its entry numbers \(first)…\(last) do not follow the previous batch's (up to \(previousLast))"))
                previousLast = max(previousLast, last)
                continue
            }
            // A range no import could have filled (it would also make the bitmap huge).
            guard last - first < Int64(Int32.max) else {
                problems.append(
                    Phrase(
                        zh: "考勤批次 \(id)：其记录号范围 \(first)…\(last) 大得不可能",
                        en: "attendance batch \(id): its range of entry numbers \(first)…\(last) is larger than any batch can be"))
                previousLast = last
                continue
            }
            batches.append(Batch(id: id, first: first, last: last, offset: numbers))
            numbers += Int(last - first + 1)
            previousLast = last
        }
        var seen = Bitmap(count: numbers)
        var outside = 0
        var firstOutside: Int64 = 0
        let entries = try SQLiteStatement(db, "SELECT id FROM attendance_entry")
        try entries.forEachRow { row in
            let number = row.int64(0)
            // The last batch whose range starts at or before the number.
            var low = 0
            var high = batches.count
            while low < high {
                let middle = (low + high) / 2
                if batches[middle].first <= number { low = middle + 1 } else { high = middle }
            }
            guard low > 0, number <= batches[low - 1].last else {
                if outside == 0 { firstOutside = number }
                outside += 1
                return
            }
            let bit = batches[low - 1].offset + Int(number - batches[low - 1].first)
            batches[low - 1].entries += 1
            if seen.insert(bit) { batches[low - 1].different += 1 }
        }
        for b in batches where b.entries != b.different || b.entries != Int(b.last - b.first + 1) {
            problems.append(
                Phrase(
                    zh: "考勤批次 \(b.id)：有 \(b.entries) 条记录（\(b.different) 个不同编号），而其范围 \(b.first)…\(b.last) 应为 \(b.last - b.first + 1) 条",
                    en:
                        "attendance batch \(b.id): holds \(b.entries) entries (\(b.different) different numbers) where its range \(b.first)…\(b.last) says \(b.last - b.first + 1)"
                ))
        }
        if outside > 0 {
            problems.append(
                Phrase(
                    zh: "考勤台账：\(outside) 条记录的编号（如 \(firstOutside)）不属于任何批次",
                    en: outside == 1
                        ? "attendance ledger: entry \(firstOutside) is numbered outside every batch"
                        : "attendance ledger: \(outside) entries are numbered outside every batch (\(firstOutside), for one)"))
        }
        return problems
    }
}
