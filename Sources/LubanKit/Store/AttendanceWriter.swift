import GRDB
import GRDBSQLite

// MARK: - Writing marks fast, and keeping the roll-ups

/// What a mark needs to know about its session.
struct SessionFacts: Sendable {
    let id: Int64
    let cohortID: Int64
    let year: Int
    let hours: Double
}

/// Writes marks into the ledger, keeps the current status beside it, and gathers the roll-up
/// changes (attended sessions and hours per trainee and year, per enrolment, per trainee),
/// which `finish()` applies, all in the caller's transaction.
///
/// A mark equal to the current status (and bringing no new note) adds nothing, so a sheet
/// imported twice changes nothing; a different status is a correction: a new entry.
///
/// This is the hot path of a 5,000,000-row import: its two statements are bound and stepped
/// through SQLite's C API, and the current statuses of one session at a time are held in memory.
final class AttendanceWriter {
    let db: Database
    private let insertEntry: OpaquePointer
    private let insertCurrent: OpaquePointer
    private let updateCurrent: OpaquePointer
    private let statements: [Statement]
    private static let statusTexts: [[CChar]] = AttendanceStatus.allCases.map { Array($0.rawValue.utf8CString) }
    private static func statusText(_ s: AttendanceStatus) -> [CChar] {
        switch s {
        case .present: return statusTexts[0]
        case .late: return statusTexts[1]
        case .excused: return statusTexts[2]
        case .absent: return statusTexts[3]
        }
    }

    private var cachedSession: Int64 = -1
    private var current: [Int64: (status: AttendanceStatus, note: String)] = [:]

    private struct Pair: Hashable { let a: Int64; let b: Int64 }
    private var yearTrainee: [Pair: (sessions: Int, hours: Double)] = [:]
    private var enrolment: [Pair: Int] = [:]
    private var trainee: [Int64: Int] = [:]
    private var cohortYears: [Int64: Int] = [:]

    /// A writer whose marks form one batch (`source`: the file, or how they were entered).
    init(db: Database, user: String, source: String) throws {
        self.db = db
        let insert = try db.makeStatement(sql: """
            INSERT INTO attendance_entry (session_id, trainee_id, status, note, batch_id) VALUES (?, ?, ?, ?, ?)
            """)
        let firstMark = try db.makeStatement(sql: "INSERT INTO attendance (session_id, trainee_id, status, note, entry_id) VALUES (?, ?, ?, ?, ?)")
        let correction = try db.makeStatement(sql: "UPDATE attendance SET status = ?3, note = ?4, entry_id = ?5 WHERE session_id = ?1 AND trainee_id = ?2")
        statements = [insert, firstMark, correction]
        insertEntry = insert.sqliteStatement
        insertCurrent = firstMark.sqliteStatement
        updateCurrent = correction.sqliteStatement
        self.source = source
        self.user = user
    }

    private let source: String
    private let user: String
    /// The batch, made when the first mark is written (a file that changes nothing adds none).
    private var batch: Int64?

    /// The facts of session `id`, or nil when there is no such session.
    static func facts(session id: Int64, _ db: Database) throws -> SessionFacts? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT cohort_id, date, hours FROM session WHERE id = ?"), arguments: [id]) else { return nil }
        let date: String = row[1]
        return SessionFacts(id: id, cohortID: row[0], year: Int(date.prefix(4)) ?? 0, hours: row[2])
    }

    func record(session: SessionFacts, trainee tid: Int64, status: AttendanceStatus, note: String, into result: inout AttendanceResult) throws {
        if session.id != cachedSession {
            current.removeAll(keepingCapacity: true)
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT trainee_id, status, note FROM attendance WHERE session_id = ?"), arguments: [session.id]) {
                if let s = AttendanceStatus(rawValue: row[1]) { current[row[0]] = (s, row[2]) }
            }
            cachedSession = session.id
        }
        let old = current[tid]
        if let old, old.status == status && (note.isEmpty || note == old.note) {
            result.unchanged += 1
            return
        }
        if let old, old.status != status { result.corrected += 1 }
        let statusText = Self.statusText(status)
        if batch == nil {
            try db.execute(sql: "INSERT INTO attendance_batch (recorded_at, recorded_by, source) VALUES (?, ?, ?)",
                           arguments: [Timestamp.now(), user, source])
            batch = db.lastInsertedRowID
        }
        // The ledger entry.
        sqlite3_bind_int64(insertEntry, 1, session.id)
        sqlite3_bind_int64(insertEntry, 2, tid)
        try bind(insertEntry, 3, statusText)
        try bindNote(insertEntry, 4, note)
        sqlite3_bind_int64(insertEntry, 5, batch!)
        try step(insertEntry)
        let entry = sqlite3_last_insert_rowid(db.sqliteConnection)
        // The current status: a first mark, or a correction of the one there.
        let statement = old == nil ? insertCurrent : updateCurrent
        sqlite3_bind_int64(statement, 1, session.id)
        sqlite3_bind_int64(statement, 2, tid)
        try bind(statement, 3, statusText)
        try bindNote(statement, 4, note)
        sqlite3_bind_int64(statement, 5, entry)
        try step(statement)
        current[tid] = (status, note)
        result.recorded += 1
        // Roll-ups: only a change between attended and not attended moves a figure.
        let delta = (status.isAttended ? 1 : 0) - (old?.status.isAttended == true ? 1 : 0)
        guard delta != 0 else { return }
        let key = Pair(a: Int64(session.year), b: tid)
        let yt = yearTrainee[key] ?? (0, 0)
        yearTrainee[key] = (yt.sessions + delta, yt.hours + Double(delta) * session.hours)
        enrolment[Pair(a: session.cohortID, b: tid), default: 0] += delta
        trainee[tid, default: 0] += delta
        if yearTrainee.count + enrolment.count > 20_000 { try finish() }
    }

    private func bind(_ stmt: OpaquePointer, _ index: Int32, _ text: [CChar]) throws {
        let rc = text.withUnsafeBufferPointer { sqlite3_bind_text(stmt, index, $0.baseAddress, Int32($0.count - 1), SQLITE_TRANSIENT_VALUE) }
        guard rc == SQLITE_OK else { throw failure(rc) }
    }

    private static let emptyText: [CChar] = [0]

    private func bindNote(_ stmt: OpaquePointer, _ index: Int32, _ note: String) throws {
        if note.isEmpty { return try bind(stmt, index, Self.emptyText) }
        try bind(stmt, index, Array(note.utf8CString))
    }

    private func step(_ stmt: OpaquePointer) throws {
        let rc = sqlite3_step(stmt)
        sqlite3_reset(stmt)
        guard rc == SQLITE_DONE else { throw failure(rc) }
    }

    private func failure(_ rc: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    /// Applies the gathered roll-up changes: per trainee and year, per enrolment, per trainee,
    /// and the yearly totals whose counts of distinct trainees and person-times they move.
    func finish() throws {
        var totals: [Int: (trainees: Int, personTimes: Int, hours: Double)] = [:]
        let readYT = try db.cachedStatement(sql: "SELECT sessions FROM yearly_trainee WHERE year = ? AND trainee_id = ?")
        let writeYT = try db.cachedStatement(sql: """
            INSERT INTO yearly_trainee (year, trainee_id, sessions, hours) VALUES (?, ?, ?, ?)
            ON CONFLICT (year, trainee_id) DO UPDATE SET sessions = sessions + excluded.sessions, hours = hours + excluded.hours
            """)
        for (key, d) in yearTrainee where d.sessions != 0 || d.hours != 0 {
            let old = try Int.fetchOne(readYT, arguments: [key.a, key.b]) ?? 0
            try writeYT.execute(arguments: [key.a, key.b, d.sessions, d.hours])
            let year = Int(key.a)
            var t = totals[year] ?? (0, 0, 0)
            t.trainees += Self.crossing(old, old + d.sessions)
            t.hours += d.hours
            totals[year] = t
        }
        let bumpEnrolment = try db.cachedStatement(sql: """
            UPDATE enrolment SET attended_sessions = attended_sessions + ? WHERE cohort_id = ? AND trainee_id = ? RETURNING attended_sessions
            """)
        for (key, d) in enrolment where d != 0 {
            let new = try Int.fetchOne(bumpEnrolment, arguments: [d, key.a, key.b]) ?? d
            if cohortYears[key.a] == nil {
                let start = try String.fetchOne(db, sql: "SELECT start_date FROM cohort WHERE id = ?", arguments: [key.a]) ?? "0"
                cohortYears[key.a] = Int(start.prefix(4)) ?? 0
            }
            let year = cohortYears[key.a]!
            var t = totals[year] ?? (0, 0, 0)
            t.personTimes += Self.crossing(new - d, new)
            totals[year] = t
        }
        let bumpTrainee = try db.cachedStatement(sql: "UPDATE trainee SET attended_sessions = attended_sessions + ? WHERE id = ? RETURNING attended_sessions")
        var everyone = 0
        for (tid, d) in trainee where d != 0 {
            let new = try Int.fetchOne(bumpTrainee, arguments: [d, tid]) ?? d
            everyone += Self.crossing(new - d, new)
        }
        if everyone != 0 { totals[0, default: (0, 0, 0)].trainees += everyone }
        let writeTotals = try db.cachedStatement(sql: """
            INSERT INTO yearly_totals (year, trainees, person_times, attended_hours) VALUES (?, ?, ?, ?)
            ON CONFLICT (year) DO UPDATE SET trainees = trainees + excluded.trainees, person_times = person_times + excluded.person_times,
                attended_hours = attended_hours + excluded.attended_hours
            """)
        for (year, t) in totals { try writeTotals.execute(arguments: [year, t.trainees, t.personTimes, t.hours]) }
        yearTrainee.removeAll(keepingCapacity: true)
        enrolment.removeAll(keepingCapacity: true)
        trainee.removeAll(keepingCapacity: true)
    }

    /// +1 when a count goes from zero to more, -1 when it goes back to zero.
    static func crossing(_ old: Int, _ new: Int) -> Int {
        (new > 0 ? 1 : 0) - (old > 0 ? 1 : 0)
    }
}

/// SQLite's "copy the bytes now" destructor.
let SQLITE_TRANSIENT_VALUE = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)
