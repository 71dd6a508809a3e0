import GRDB

// MARK: - Attendance: a ledger, not an overwrite

/// What recording marks did.
public struct AttendanceResult: Sendable, Equatable {
    /// New ledger entries (first marks and corrections).
    public var recorded = 0
    /// Of those, the ones that changed an earlier status.
    public var corrected = 0
    /// Marks that repeat the status already recorded (nothing added).
    public var unchanged = 0
    /// Sheet rows left blank ("not marked").
    public var unmarked = 0
}

extension LubanDatabase {
    /// Marks trainees at a session by hand. All or none.
    public func attend(session reference: String, trainees: [String], status: AttendanceStatus, note: String = "") throws(LubanError) -> AttendanceResult {
        let session = try session(reference)
        return try write("attend", detail: "session \(session.id!): \(trainees.count) \(status.rawValue)") { db in
            var recorder = AttendanceRecorder(db: db, user: user)
            var result = AttendanceResult()
            for ref in trainees {
                guard let t = try Self.trainee(ref, db) else { throw LubanError.unknownTrainee(ref) }
                guard try Self.isEnrolled(traineeID: t.id!, cohortID: session.cohortId, db) else {
                    let cohort = try Cohort.fetchOne(db, key: session.cohortId)
                    throw LubanError.notEnrolled(trainee: t.code, cohort: cohort?.code ?? "?")
                }
                try recorder.record(session: session.id!, trainee: t.id!, status: status, note: note, into: &result)
            }
            return result
        }
    }

    /// Reads a filled roll-call sheet back: parse each row, check it against the records, write
    /// the whole file in one transaction or nothing. The session comes from the `session`
    /// column, or from `session` for a sheet without one. A blank status is "not marked".
    public func importAttendance(_ reader: CSVReader, session fixedSession: String? = nil) throws(LubanError) -> AttendanceResult {
        let file = reader.name
        let columns = try CSVColumns(reader: reader, required: ["trainee", "status"], optional: ["session", "name", "note"])
        var fixed: Session?
        if let fixedSession { fixed = try session(fixedSession) }
        guard fixed != nil || columns.has("session") else {
            throw .fileRefused(file: file, findings: [Finding(file: file, line: reader.line, message: "the sheet has no session column; name the session: luban attend SESSION --csv \(file)")], total: 1)
        }
        return try write("attend", detail: file) { db in
            var findings = Findings(file: file)
            var recorder = AttendanceRecorder(db: db, user: user)
            var result = AttendanceResult()
            var sessions: [Int64: (cohortID: Int64, cohortCode: String)] = [:]
            var trainees: [String: (id: Int64, code: String, name: String, forgotten: Bool)] = [:]
            while try reader.next() {
                let line = reader.line
                // Parse.
                let statusText = try reader.value("status", in: columns)
                if statusText.isEmpty { result.unmarked += 1; continue }
                guard let status = AttendanceStatus(word: statusText) else {
                    findings.add(line, "status '\(statusText)' is not one of \(AttendanceStatus.accepted)")
                    continue
                }
                let sessionText = columns.has("session") ? try reader.value("session", in: columns) : ""
                let traineeText = try reader.value("trainee", in: columns)
                let note = try reader.value("note", in: columns)
                // Validate against the records.
                let sessionID: Int64
                if !sessionText.isEmpty {
                    guard let id = Int64(sessionText) else { findings.add(line, "session '\(sessionText)' is not a session id (a number; see: luban session list COHORT)"); continue }
                    sessionID = id
                } else if let fixed {
                    sessionID = fixed.id!
                } else {
                    findings.add(line, "the session cell is empty; fill it with the session id")
                    continue
                }
                if let fixed, sessionID != fixed.id! {
                    findings.add(line, "this row is for session \(sessionID), but the command names session \(fixed.id!); import it without naming a session")
                    continue
                }
                if sessions[sessionID] == nil {
                    guard let row = try Row.fetchOne(db, sql: "SELECT s.cohort_id, c.code FROM session s JOIN cohort c ON c.id = s.cohort_id WHERE s.id = ?", arguments: [sessionID]) else {
                        findings.add(line, "no session \(sessionID); see: luban session list COHORT")
                        continue
                    }
                    sessions[sessionID] = (row[0], row[1])
                }
                let (cohortID, cohortCode) = sessions[sessionID]!
                if traineeText.isEmpty { findings.add(line, "the trainee cell is empty; fill it with the trainee code"); continue }
                if trainees[traineeText] == nil, let t = try Self.trainee(traineeText, db) {
                    trainees[traineeText] = (t.id!, t.code, t.name, t.forgottenOn != nil)
                }
                guard let trainee = trainees[traineeText] else {
                    findings.add(line, "no trainee '\(traineeText)'; use the trainee code printed on the sheet")
                    continue
                }
                if columns.has("name"), !trainee.forgotten {
                    let name = try reader.value("name", in: columns)
                    if !name.isEmpty && name != trainee.name {
                        findings.add(line, "trainee \(trainee.code) is \(trainee.name) in the records but \(name) on the sheet; check that the row was not shifted")
                        continue
                    }
                }
                guard try Self.isEnrolled(traineeID: trainee.id, cohortID: cohortID, db) else {
                    findings.add(line, "trainee \(trainee.code) is not enrolled in cohort \(cohortCode); enrol first: luban enroll \(cohortCode) \(trainee.code)")
                    continue
                }
                // Write (rolled back below if any row was bad).
                if findings.isEmpty {
                    try recorder.record(session: sessionID, trainee: trainee.id, status: status, note: note, into: &result)
                }
            }
            try findings.throwIfAny()
            return result
        }
    }

    /// The ledger of a session (optionally one trainee), oldest first.
    public func attendanceHistory(session reference: String, trainee: String? = nil) throws(LubanError) -> [(entry: AttendanceEntry, trainee: Trainee)] {
        let session = try session(reference)
        let traineeID = try trainee.map { ref throws(LubanError) in try self.trainee(ref).id! }
        return try read { db in
            let entries = try AttendanceEntry.fetchAll(db, sql: """
                SELECT * FROM attendance_entry WHERE session_id = ? AND (? IS NULL OR trainee_id = ?) ORDER BY id
                """, arguments: [session.id, traineeID, traineeID])
            var people: [Int64: Trainee] = [:]
            return try entries.map { e in
                if people[e.traineeId] == nil { people[e.traineeId] = try Trainee.fetchOne(db, key: e.traineeId) }
                return (e, people[e.traineeId]!)
            }
        }
    }
}

/// Writes marks into the ledger and keeps the current status beside it, in the caller's
/// transaction. A mark equal to the current status (and bringing no new note) adds nothing, so
/// a sheet imported twice changes nothing; a different status is a correction: a new entry.
struct AttendanceRecorder {
    let db: Database
    let user: String
    let now = Timestamp.now()

    init(db: Database, user: String) {
        self.db = db
        self.user = user
    }

    mutating func record(session: Int64, trainee: Int64, status: AttendanceStatus, note: String, into result: inout AttendanceResult) throws {
        let current = try db.cachedStatement(sql: "SELECT status, note FROM attendance WHERE session_id = ? AND trainee_id = ?")
        let row = try Row.fetchOne(current, arguments: [session, trainee])
        if let row {
            let old: String = row[0]
            let oldNote: String = row[1]
            if old == status.rawValue && (note.isEmpty || note == oldNote) {
                result.unchanged += 1
                return
            }
            if old != status.rawValue { result.corrected += 1 }
        }
        try db.cachedStatement(sql: """
            INSERT INTO attendance_entry (session_id, trainee_id, status, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [session, trainee, status.rawValue, note, now, user])
        let entry = db.lastInsertedRowID
        try db.cachedStatement(sql: """
            INSERT INTO attendance (session_id, trainee_id, status, note, entry_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (session_id, trainee_id) DO UPDATE SET status = excluded.status, note = excluded.note, entry_id = excluded.entry_id
            """).execute(arguments: [session, trainee, status.rawValue, note, entry])
        result.recorded += 1
    }
}
