import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Writing marks fast, and keeping the roll-ups

/// What a mark needs to know about its session.
struct SessionFacts: Sendable {
    let id: Int64
    let cohortID: Int64
    let year: Int
    let hours: Double
    /// When it was cancelled (no mark is taken for it), or nil.
    var cancelledOn: String? = nil
    /// Its date, `YYYY-MM-DD` (a withdrawn trainee is not marked from the withdrawal on).
    var date: String = ""
}

/// Writes marks into the ledger (the newest entry of a pair is its current status) and gathers
/// the roll-up changes (attended sessions and hours per trainee and year, per enrolment), which
/// `finish()` applies, all in the caller's transaction.
///
/// A mark equal to the current status (and bringing no new note) adds nothing, so a sheet
/// imported twice changes nothing; a different status is a correction: a new entry.
///
/// This is the hot path of a 5,000,000-row import. Marks are held until `rowsPerInsert` have
/// come, whatever their sessions, and written by one multi-row INSERT (SQLite then opens its
/// cursors and its statement journal once per INSERT instead of once per mark); statements
/// are bound and stepped through SQLite's C API.
/// A struct, so its hot state is checked for exclusive access at compile time, not per access.
struct AttendanceWriter {
    let db: Database
    private let user: String
    private let source: String
    /// The batch, made when the first mark is written (a file that changes nothing adds none),
    /// and the number its next entry takes.
    private var batch: Int64?
    private var firstEntry: Int64 = 0
    private var nextEntry: Int64 = 0

    /// The session being marked, and its current statuses.
    private var session: SessionFacts?
    /// `line`: where in this file the status was set (0: before this file; -1: in this file,
    /// on a line no longer known), so that one file cannot mark a trainee twice differently.
    private var current: [Int64: Current] = [:]
    /// The current statuses of the sessions met before, kept (up to `sessionsKept`) for a sheet
    /// whose rows go back and forth between sessions: reading them again at every switch made
    /// such a sheet quadratic in the session's history.
    private var earlier: [Int64: [Int64: Current]] = [:]
    /// A trainee's current status at the session (a struct, not a tuple: freeing a tuple goes
    /// through its generic value witness, once per mark when a session's statuses are dropped).
    private struct Current {
        var status: AttendanceStatus
        var note: String
        var line: Int32
    }
    private static let sessionsKept = 256
    /// The marks not yet written, and their sessions (each once, in order).
    private var pending: [Mark] = []
    private struct Mark {
        let session: Int64
        let trainee: Int64
        /// `AttendanceStatus.code`, or `takenBackCode`.
        let code: Int64
        let note: String
    }
    private var pendingSessions: [Int64] = []
    /// One prepared INSERT per number of rows (1 … `rowsPerInsert`).
    private var inserts: [Int: SQLiteStatement] = [:]
    private static let rowsPerInsert = 256

    /// Roll-up deltas: by year and trainee, by cohort and trainee (enrolments).
    private var yearTrainee = PairTable<(sessions: Int, hours: Double)>()
    private var enrolment = PairTable<Int>()
    private var cohortYears: [Int64: Int] = [:]

    private let currentStatuses: SQLiteStatement
    /// For a few marks (by hand, from a screen): each trainee's current status is read when the
    /// trainee is first met, instead of the whole session's at once, a sheet's way, which on a
    /// 2,000-trainee session read every entry of the session for each tap. Nil for a sheet.
    private let oneStatus: SQLiteStatement?
    /// The trainees of the current session already looked up with `oneStatus`.
    private var looked: Set<Int64> = []
    /// The holders of a valid certificate (read at the first mark that could need it).
    private var holders: Set<Int64>?

    /// A writer whose marks form one batch (`source`: the file, or how they were entered);
    /// `fewMarks` for marks by hand or from a screen.
    init(db: Database, user: String, source: String, fewMarks: Bool = false) throws {
        self.db = db
        currentStatuses = try SQLiteStatement(
            db, "SELECT trainee_id, status, note, id FROM attendance_entry WHERE session_id = ? ORDER BY trainee_id, id")
        oneStatus =
            fewMarks
            ? try SQLiteStatement(
                db, "SELECT status, note FROM attendance_entry WHERE session_id = ? AND trainee_id = ? ORDER BY id DESC LIMIT 1") : nil
        self.user = user
        self.source = source
        pending.reserveCapacity(Self.rowsPerInsert)
    }

    /// Whether trainee `tid` may hold a certificate a mark could rest under: for a few marks,
    /// always asked of the register (`CertificateGround`); for a file, from the set of holders of
    /// a valid certificate, read once, so that a sheet of millions of marks asks only for them.
    private mutating func restsOnCertificate(_ tid: Int64) throws -> Bool {
        if oneStatus != nil { return true }
        if holders == nil {
            holders = Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT trainee_id FROM certificate WHERE status = 'valid'"))
        }
        return holders!.contains(tid)
    }

    /// The facts of session `id`, or nil when there is no such session.
    static func facts(session id: Int64, _ db: Database) throws -> SessionFacts? {
        try facts(session: id, SQLiteStatement(db, factsSQL))
    }

    static let factsSQL = "SELECT cohort_id, hours, substr(date, 1, 4), cancelled_on, date FROM session WHERE id = ?"

    /// The facts of session `id` read with a statement prepared from `factsSQL`.
    static func facts(session id: Int64, _ statement: SQLiteStatement) throws -> SessionFacts? {
        var facts: SessionFacts?
        try statement.forEachRow(id) { row in
            facts = SessionFacts(
                id: id, cohortID: row.int64(0), year: Int(row.int64(2)), hours: row.double(1), cancelledOn: row.isNull(3) ? nil : row.text(3),
                date: row.text(4))
        }
        return facts
    }

    /// Records one mark (`line`: its line in the file, 0 for a mark by hand). Returns why it
    /// cannot be, when the same file already marked the trainee at the session differently.
    @discardableResult
    mutating func record(
        session facts: SessionFacts, trainee tid: Int64, status: AttendanceStatus, note: String, line: Int32 = 0, into result: inout ImportResult
    ) throws -> LubanError? {
        try record(session: facts, trainee: tid, marking: status, note: note, line: line, into: &result)
    }

    /// Takes trainee `tid`'s mark at the session back (by hand or from a screen): a new entry
    /// returns them to not marked, and the history keeps both. Nothing when they are not marked.
    @discardableResult
    mutating func takeBack(session facts: SessionFacts, trainee tid: Int64, into result: inout ImportResult) throws -> LubanError? {
        try record(session: facts, trainee: tid, marking: nil, note: "", line: 0, into: &result)
    }

    /// A mark (`status`), or a mark taken back (nil).
    private mutating func record(
        session facts: SessionFacts, trainee tid: Int64, marking status: AttendanceStatus?, note: String, line: Int32, into result: inout ImportResult
    ) throws -> LubanError? {
        if facts.id != session?.id, oneStatus != nil {
            try writePending()
            current = [:]
            looked = []
            session = facts
        } else if facts.id != session?.id {
            if let previous = session?.id {
                if earlier.count >= Self.sessionsKept { earlier.removeAll() }
                earlier[previous] = current
            }
            if let kept = earlier.removeValue(forKey: facts.id) {
                current = kept
            } else {
                current = Dictionary(minimumCapacity: 64)
                // The session's marks still pending are part of what is read.
                if pendingSessions.contains(facts.id) { try writePending() }
                // Key order: each trainee's entries oldest first, so the newest is the one left.
                try currentStatuses.forEachRow(facts.id) { row in
                    if let s = AttendanceStatus(code: row.int64(1)) {
                        current[row.int64(0)] = Current(status: s, note: row.text(2), line: batch != nil && row.int64(3) >= firstEntry ? -1 : 0)
                    } else {
                        current[row.int64(0)] = nil  // taken back: not marked
                    }
                }
            }
            session = facts
        }
        if let oneStatus, !looked.contains(tid) {
            looked.insert(tid)
            try oneStatus.forEachRow(facts.id, tid) { row in
                current[tid] = AttendanceStatus(code: row.int64(0)).map { Current(status: $0, note: row.text(1), line: 0) }
            }
        }
        let old = current[tid]
        if line != 0, let old, old.line != 0, let status, old.status != status || old.note != note {
            let code = Trainee.code(for: tid)
            let note = old.note.isEmpty ? "" : " (\(old.note))"
            return .refused(
                zh: "学员 \(code) 的课次 \(facts.id) 也出现在\(old.line > 0 ? "第 \(old.line) 行" : "本文件前面")，为 \(old.status.chinese)\(note)；每名学员每个课次只留一行",
                en:
                    "trainee \(code) is also \(old.line > 0 ? "on line \(old.line)" : "earlier in this file") for session \(facts.id), as \(old.status.chinese) \(old.status.rawValue)"
                    + note + "; keep one row per trainee and session")
        }
        if old == nil && status == nil {
            result.unchanged += 1  // nothing to take back
            return nil
        }
        if let old, old.status == status && (note.isEmpty || note == old.note) {
            // A row of a file that matches the records still names the pair: a later row of the
            // same file that says otherwise is a conflict, not a correction.
            if line != 0 { current[tid] = Current(status: old.status, note: note, line: line) }
            result.unchanged += 1
            return nil
        }
        // Whether the trainee attended moves an issued certificate's figures.
        let attends = status?.isAttended == true
        if attends != (old?.status.isAttended == true), try restsOnCertificate(tid),
            let refusal = try CertificateGround.refusal(markOf: tid, at: facts, db)
        {
            return refusal
        }
        if let old, old.status != status { result.corrected += 1 }
        current[tid] = status.map { Current(status: $0, note: note, line: line) }
        if pendingSessions.last != facts.id { pendingSessions.append(facts.id) }
        pending.append(Mark(session: facts.id, trainee: tid, code: AttendanceStatus.code(status), note: note))
        if pending.count == Self.rowsPerInsert { try writePending() }
        result.recorded += 1
        // Roll-ups: only a change between attended and not attended moves a figure.
        try shift(facts, trainee: tid, by: (attends ? 1 : 0) - (old?.status.isAttended == true ? 1 : 0))
        return nil
    }

    /// Moves the roll-ups of one (session, trainee) pair by `delta` attended sessions: +1 as
    /// if the trainee had just attended, -1 as if the mark were taken back. Marks use it, and so
    /// do a cancelled, restored or moved session (its attendees, taken out and put back).
    mutating func shift(_ facts: SessionFacts, trainee tid: Int64, by delta: Int) throws {
        guard delta != 0 else { return }
        yearTrainee.update(Int64(facts.year), tid, from: (0, 0)) {
            $0.sessions += delta
            $0.hours += Double(delta) * facts.hours
        }
        enrolment.update(facts.cohortID, tid, from: 0) { $0 += delta }
        if yearTrainee.count + enrolment.count > 20_000 { try applyRollUps() }
    }

    /// Writes the pending marks as ledger entries, in one statement.
    private mutating func writePending() throws {
        guard !pending.isEmpty else { return }
        if batch == nil {
            // Entries are numbered on from the newest batch's last one.
            nextEntry = try Int64.fetchOne(db, sql: "SELECT last_entry FROM attendance_batch ORDER BY id DESC LIMIT 1").map { $0 + 1 } ?? 1
            firstEntry = nextEntry
            try db.execute(
                sql: "INSERT INTO attendance_batch (recorded_at, recorded_by, source, first_entry, last_entry) VALUES (?, ?, ?, ?, ?)",
                arguments: [Timestamp.now(), user, source, nextEntry, nextEntry - 1])
            batch = db.lastInsertedRowID
        }
        let insert = try statement(rows: pending.count)
        for (i, mark) in pending.enumerated() {
            let column = Int32(i * 5)
            insert.bind(column + 1, nextEntry)
            insert.bind(column + 2, mark.session)
            insert.bind(column + 3, mark.trainee)
            insert.bind(column + 4, mark.code)
            insert.bind(column + 5, mark.note)
            nextEntry += 1
        }
        try insert.run()
        pending.removeAll(keepingCapacity: true)
        pendingSessions.removeAll(keepingCapacity: true)
    }

    private mutating func statement(rows: Int) throws -> SQLiteStatement {
        if let made = inserts[rows] { return made }
        let values = repeatElement("(?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        let made = try SQLiteStatement(db, "INSERT INTO attendance_entry (id, session_id, trainee_id, status, note) VALUES \(values)")
        inserts[rows] = made
        return made
    }

    /// Writes what is pending, closes the batch's range of entry numbers and applies the
    /// gathered roll-up changes. Call once, at the end.
    mutating func finish() throws {
        try writePending()
        if let batch {
            try db.execute(sql: "UPDATE attendance_batch SET last_entry = ? WHERE id = ?", arguments: [nextEntry - 1, batch])
        }
        try applyRollUps()
    }

    /// Applies the gathered roll-up changes: per trainee and year, per enrolment, and the yearly
    /// totals whose counts of distinct trainees and person-times they move. In the order of
    /// their keys: the rows changed one after another are then neighbours in their tables.
    private mutating func applyRollUps() throws {
        if yearTrainee.isEmpty && enrolment.isEmpty { return }
        var totals: [Int: (trainees: Int, personTimes: Int, hours: Double)] = [:]
        // Per trainee and year: a new row, or a change to the one there.
        let statements = try YearlyTotals.traineeYearStatements(db)
        let newYT = statements.insert
        let yearly = Counter(at: statements.at, anyway: statements.anyway)
        for (year, tid, d) in yearTrainee.inKeyOrder() where d.sessions != 0 || d.hours != 0 {
            newYT.bind(4, d.hours)
            let crossed: Int
            if try newYT.changes(year, tid, Int64(d.sessions)) == 1 {
                crossed = Self.crossing(0, d.sessions)
            } else {
                yearly.at.bind(5, d.hours)
                yearly.anyway.bind(5, d.hours)
                crossed = try yearly.add(d.sessions, year, tid)
            }
            var t = totals[Int(year)] ?? (0, 0, 0)
            t.trainees += crossed
            t.hours += d.hours
            totals[Int(year)] = t
        }
        // Per enrolment (person-times of the cohort's year).
        let counters = try Enrolment.attendedStatements(db)
        let enrolments = Counter(at: counters.at, anyway: counters.anyway)
        // Whether a trainee ever attended is whether any of their enrolments counts a session:
        // when one crosses zero, the trainee does if no other enrolment counts one.
        let attendedElsewhere = try SQLiteStatement(
            db, "SELECT 1 FROM enrolment WHERE trainee_id = ?1 AND cohort_id <> ?2 AND attended_sessions > 0 LIMIT 1")
        var everyone = 0
        for (cohort, tid, d) in enrolment.inKeyOrder() where d != 0 {
            let crossed = try enrolments.add(d, cohort, tid)
            if crossed != 0, try !attendedElsewhere.exists(tid, cohort) { everyone += crossed }
            if cohortYears[cohort] == nil {
                let start = try String.fetchOne(db, sql: "SELECT start_date FROM cohort WHERE id = ?", arguments: [cohort]) ?? "0"
                cohortYears[cohort] = Int(start.prefix(4)) ?? 0
            }
            totals[cohortYears[cohort]!, default: (0, 0, 0)].personTimes += crossed
        }
        if everyone != 0 { totals[0, default: (0, 0, 0)].trainees += everyone }
        for (year, t) in totals { try YearlyTotals.addAttendance(year: year, trainees: t.trainees, personTimes: t.personTimes, hours: t.hours, db) }
        yearTrainee.removeAll(keepingCapacity: true)
        enrolment.removeAll(keepingCapacity: true)
    }

    /// A count that is never negative, changed by a delta, telling whether it crossed zero —
    /// in one statement when it did (the usual case of an import's first marks), without
    /// reading it first: `at` changes the row only if the count is where the delta makes it
    /// cross (0 going up, or exactly the delta going down); `anyway` changes it otherwise.
    /// Both take the row's keys first, then the delta, then (`at`) the value to cross at;
    /// other parameters come after those and are bound by the caller.
    private struct Counter {
        let at: SQLiteStatement
        let anyway: SQLiteStatement

        /// Adds `delta` to the row with `keys`; +1 if it went from 0 to more, -1 if back to 0.
        func add(_ delta: Int, _ keys: Int64...) throws -> Int {
            let crossingValue = delta > 0 ? 0 : Int64(-delta)
            if delta != 0, try at.changes(keys + [Int64(delta), crossingValue]) == 1 { return delta > 0 ? 1 : -1 }
            _ = try anyway.changes(keys + [Int64(delta)])
            return 0
        }
    }

    /// +1 when a count goes from zero to more, -1 when it goes back to zero.
    static func crossing(_ old: Int, _ new: Int) -> Int {
        (new > 0 ? 1 : 0) - (old > 0 ? 1 : 0)
    }
}
