import GRDB

// MARK: - The current statuses, read once

/// What the recomputation of the yearly totals and `luban check` need from the ledger, gathered
/// in one pass over the current statuses (the `attendance` view) and their sessions: the ledger
/// is by far the largest table (5,000,000 marks at federation scale), and every query over it
/// reads all of it.
struct CurrentStatusPass {
    /// What one year's attended marks come to.
    struct Year {
        /// Distinct trainees who attended a session dated in the year.
        var trainees: TraineeSet
        /// The hours of those sessions, once for each trainee who attended.
        var hours = 0.0
    }

    /// Current statuses read: one for each (session, trainee) pair ever marked.
    private(set) var statuses = 0
    /// Of those, how many are of trainees not enrolled in the session's cohort (counted only
    /// when asked for).
    private(set) var strays = 0
    /// By year (`2014`) of the session: the attended marks, that is present or late at a session
    /// not cancelled.
    private(set) var years: [String: Year] = [:]
    /// Distinct trainees who attended in any year.
    private(set) var trainees: TraineeSet

    init(_ db: Database, countingStrays: Bool) throws {
        let highest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM trainee") ?? 0
        trainees = TraineeSet(upTo: highest)
        let enrolled =
            countingStrays ? "EXISTS (SELECT 1 FROM enrolment e WHERE e.cohort_id = s.cohort_id AND e.trainee_id = a.trainee_id)" : "1"
        let rows = try SQLiteStatement(
            db,
            """
            SELECT a.session_id, a.trainee_id, substr(s.date, 1, 4), s.hours,
                   s.cancelled_on IS NULL AND (a.status = 'present' OR a.status = 'late'), \(enrolled)
            FROM attendance a JOIN session s ON s.id = a.session_id
            """)
        // The rows come session by session: a session's year is looked up once.
        var session: Int64 = -1
        var year = Year(trainees: TraineeSet(upTo: highest))
        var yearKey = ""
        try rows.forEachRow { row in
            statuses += 1
            if row.int64(5) == 0 { strays += 1 }
            guard row.int64(4) != 0 else { return }
            if row.int64(0) != session {
                session = row.int64(0)
                let key = row.text(2)
                if key != yearKey {
                    if !yearKey.isEmpty { years[yearKey] = year }
                    yearKey = key
                    year = years.removeValue(forKey: key) ?? Year(trainees: TraineeSet(upTo: highest))
                }
            }
            let trainee = row.int64(1)
            year.trainees.insert(trainee)
            year.hours += row.double(3)
            trainees.insert(trainee)
        }
        if !yearKey.isEmpty { years[yearKey] = year }
    }
}

/// Distinct trainee ids: a bit for each id up to the highest in the roster (25 KiB for 200,000
/// people), a set for any other.
struct TraineeSet {
    private var bits: Bitmap
    private var others: Set<Int64> = []
    private(set) var count = 0

    /// Room for ids 0…`highest` in bits (at most 2^26 of them: 8 MiB).
    init(upTo highest: Int64) {
        bits = Bitmap(count: Int(min(max(highest, 0), 1 << 26)) + 1)
    }

    mutating func insert(_ id: Int64) {
        let new = id >= 0 && id < Int64(bits.count) ? bits.insert(Int(id)) : others.insert(id).inserted
        if new { count += 1 }
    }
}
