import Foundation
import GRDB

// MARK: - Attendance: a ledger, not an overwrite

/// How far a long import has come, for a progress line on a terminal.
public struct ImportProgress: Sendable {
    public var rows: Int
    public var bytesRead: Int
    public var totalBytes: Int?
}

extension LubanDatabase {
    /// Marks trainees at a session by hand. All or none.
    public func attend(session reference: String, trainees: [String], status: AttendanceStatus, note: String = "") throws(LubanError) -> ImportResult
    {
        try mark(session: reference, trainees: trainees, status: status, note: note).result
    }

    /// Marks trainees at a session by hand, all or none, and says who was marked (in the order
    /// given), so that the person at the keyboard sees the names, not only the codes typed.
    /// `status` nil takes their marks back: they are not marked again, and the ledger keeps
    /// both entries.
    public func mark(session reference: String, trainees: [String], status: AttendanceStatus?, note: String = "") throws(LubanError) -> (
        result: ImportResult, marked: [Trainee]
    ) {
        guard let sessionID = Bytes.integer(Array(reference.utf8)) else { throw .unknownSession(reference) }
        try FieldText.check(note, what: "note", lineBreaks: true)
        return try write(
            "attend",
            detailOf: { (r: (result: ImportResult, marked: [Trainee])) in
                let codes = r.marked.map(\.code).joined(separator: " ")
                let what = status.map { Phrase(zh: $0.chinese, en: $0.rawValue) } ?? Phrase(zh: "撤销（未点名）", en: "unmarked")
                return Phrase(zh: "课次 \(sessionID)：", en: "session \(sessionID): ").text() + "\(codes) \(what.text()): \(r.result.summary)"
            }
        ) { db in
            guard let session = try AttendanceWriter.facts(session: sessionID, db) else { throw LubanError.unknownSession(reference) }
            if let on = session.cancelledOn { throw LubanError.refused(Self.cancelledMessage(sessionID, on)) }
            var writer = try AttendanceWriter(
                db: db, user: user, source: "luban attend \(sessionID)" + (status == nil ? " --unmark" : note.isEmpty ? "" : " --note"),
                fewMarks: true)
            var result = ImportResult()
            var marked: [Trainee] = []
            for ref in trainees {
                let t = try Self.markable(ref, at: session, db)
                marked.append(t)
                let refusal =
                    try status.map { try writer.record(session: session, trainee: t.id!, status: $0, note: FieldText.note(note), into: &result) }
                    ?? writer.takeBack(session: session, trainee: t.id!, into: &result)
                if let refusal { throw refusal }
            }
            try writer.finish()
            return (result, marked)
        }
    }

    /// The trainee `reference` names, when they may be marked at `session`: enrolled in its
    /// cohort and not withdrawn before its date.
    static func markable(_ reference: String, at session: SessionFacts, _ db: Database) throws -> Trainee {
        guard let t = try Self.trainee(reference, db) else { throw LubanError.unknownTrainee(reference) }
        guard let withdrawn = try Self.enrolment(traineeID: t.id!, cohortID: session.cohortID, db) else {
            let cohort = try Cohort.fetchOne(db, key: session.cohortID)
            throw LubanError.notEnrolled(trainee: t.code, cohort: cohort?.code ?? "?")
        }
        if let on = withdrawn, session.date >= on {
            throw LubanError.refused(Self.withdrawnMessage(t.code, cohortID: session.cohortID, on: on, db))
        }
        return t
    }

    /// Reads a filled roll-call sheet back: parse each row, check it against the records, write
    /// the whole file in one transaction or nothing. The session comes from the `session`
    /// column, or from `session` for a sheet without one. A blank status is "not marked".
    ///
    /// Streams: rows are checked and written as they are read, and the transaction is rolled
    /// back at the end if any row was bad, so memory stays flat however long the file is.
    public func importAttendance(
        _ reader: CSVReader, session fixedSession: String? = nil,
        progress: ((ImportProgress) -> Void)? = nil
    ) throws(LubanError) -> ImportResult {
        let file = reader.name
        let columns = try CSVColumns(
            reader: reader, required: ["trainee", "status"], optional: ["session", "name", "note", "id_number", "employer"])
        var fixedID: Int64?
        if let fixedSession {
            guard let id = Bytes.integer(Array(fixedSession.utf8)) else { throw .unknownSession(fixedSession) }
            fixedID = id
        }
        guard fixedID != nil || columns.has("session") else {
            throw .fileRefused(
                file: file,
                findings: [
                    Finding(
                        file: file, sheet: reader.sheet, line: reader.line,
                        message: Phrase(zh: "表中没有课次列；请指明它属于哪一课次", en: "the sheet has no session column; name the session it is for"))
                ], total: 1)
        }
        return try write("attend", detailOf: { (r: ImportResult) in "\(file): \(r.summary)" }) { db in
            if let fixedID, try AttendanceWriter.facts(session: fixedID, db) == nil { throw LubanError.unknownSession(String(fixedID)) }
            var writer = try AttendanceWriter(db: db, user: user, source: file)
            var findings = Findings(reader)
            var result = ImportResult()
            var rows = 0
            func take(_ line: Int, _ outcome: SheetReader.Outcome) throws {
                rows += 1
                switch outcome {
                case .blank:
                    result.blank += 1
                case .bad(let message, let fix):
                    findings.add(line, message, fix: fix)
                case .mark(let session, let trainee, let status, let note):
                    // Once a row is bad the file is refused: keep checking, stop writing.
                    if findings.isEmpty,
                        let conflict = try writer.record(
                            session: session, trainee: trainee, status: status, note: note, line: Int32(clamping: line), into: &result)
                    {
                        findings.add(line, conflict.phrase)
                    }
                }
            }
            if let path {
                // A file: rows are read and checked on a second core while this one writes.
                // The checks read only what an attendance import never changes (sessions,
                // enrolments, trainees' names).
                let pipeline = RowPipeline<SheetReader.Outcome>(reader: reader, database: path) { db, reader in
                    var sheet = try SheetReader(db: db, reader: reader, columns: columns, fixedSession: fixedID)
                    return { try sheet.row() }
                }
                defer { pipeline.stop() }
                while let batch = try pipeline.next() {
                    let before = rows
                    for (line, outcome) in batch.rows { try take(line, outcome) }
                    if before / 50_000 != rows / 50_000, let progress {
                        progress(ImportProgress(rows: rows, bytesRead: batch.bytesRead, totalBytes: reader.totalBytes))
                    }
                }
            } else {
                var sheet = try SheetReader(db: db, reader: reader, columns: columns, fixedSession: fixedID)
                while try reader.next() {
                    try take(reader.line, try sheet.row())
                    if rows % 50_000 == 0, let progress {
                        progress(ImportProgress(rows: rows, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes))
                    }
                }
            }
            try findings.throwIfAny()
            try writer.finish()
            result.ignoredColumns = columns.ignored
            return result
        }
    }

    /// The ledger of a session, of one trainee at a session, or of one trainee at every
    /// session (`session` nil): every entry, corrections included, oldest first.
    public func attendanceHistory(session reference: String?, trainee: String? = nil) throws(LubanError) -> [(
        entry: AttendanceEntry, trainee: Trainee
    )] {
        let sessionID = try reference.map { r throws(LubanError) in try session(r).id! }
        let traineeID = try trainee.map { ref throws(LubanError) in try self.trainee(ref).id! }
        guard sessionID != nil || traineeID != nil else { throw .refused(zh: "请说明要列出谁的或哪一课次的考勤", en: "say whose or which session's marks to list") }
        return try read { db in
            let entries = try AttendanceEntry.fetchAll(
                db,
                sql: """
                    SELECT e.*, b.recorded_at, b.recorded_by, b.source FROM attendance_ledger e
                    JOIN attendance_batch b ON b.id = (SELECT id FROM attendance_batch WHERE first_entry <= e.id ORDER BY first_entry DESC, id DESC LIMIT 1)
                    WHERE (?1 IS NULL OR e.session_id = ?1) AND (?2 IS NULL OR e.trainee_id = ?2) ORDER BY e.id
                    """, arguments: [sessionID, traineeID])
            var people: [Int64: Trainee] = [:]
            return try entries.map { e in
                if people[e.traineeId] == nil { people[e.traineeId] = try Trainee.fetchOne(db, key: e.traineeId) }
                return (e, people[e.traineeId]!)
            }
        }
    }
}

// MARK: - Checking a sheet row against the records

/// Turns one sheet row into a mark, a blank, or the reason it is bad, reading the cells as bytes
/// and keeping what it looked up (sessions; the current cohort's enrolment and names).
struct SheetReader {
    enum Outcome: Sendable {
        case blank
        case bad(Phrase, Finding.Fix? = nil)
        case mark(session: SessionFacts, trainee: Int64, status: AttendanceStatus, note: String)
    }

    let db: Database
    let reader: CSVReader
    let status: Int
    let trainee: Int
    let session: Int?
    let name: Int?
    let note: Int?
    let fixedSession: Int64?
    private var sessions: [Int64: SessionFacts?] = [:]
    private var cohortID: Int64 = -1
    /// The current cohort's enrolled trainees: their names (nil once erased on request) and
    /// the day they withdrew, if they did.
    private var enrolled: [Int64: ([UInt8]?, String?)] = [:]
    private var byIDNumber: [String: Int64] = [:]

    private let sessionFacts: SQLiteStatement
    private let enrolment: SQLiteStatement

    init(db: Database, reader: CSVReader, columns: CSVColumns, fixedSession: Int64?) throws {
        self.db = db
        sessionFacts = try SQLiteStatement(db, AttendanceWriter.factsSQL)
        enrolment = try SQLiteStatement(
            db,
            """
            SELECT t.id, t.name, t.forgotten_on, e.withdrawn_on FROM enrolment e JOIN trainee t ON t.id = e.trainee_id WHERE e.cohort_id = ?
            """)
        self.reader = reader
        status = columns["status"]!
        trainee = columns["trainee"]!
        session = columns["session"]
        name = columns["name"]
        note = columns["note"]
        self.fixedSession = fixedSession
    }

    mutating func row() throws -> Outcome {
        // Parse.
        let parsedStatus = reader.withField(status) { Bytes.status($0) }
        guard let parsedStatus else {
            let text = try reader.field(status).trimmed
            return .bad(
                Phrase(
                    zh: "考勤“\(text)”不是以下之一：\(AttendanceStatus.acceptedWords.zh)",
                    en: "status '\(text)' is not one of \(AttendanceStatus.acceptedWords.en)"))
        }
        guard let status = parsedStatus else { return .blank }
        var sessionID = fixedSession
        if let session, !reader.isBlank(session) {
            guard let id = reader.withField(session, { Bytes.integer($0) }) else {
                let text = try reader.field(session)
                return .bad(
                    Phrase(
                        zh: "课次“\(text)”不是课次编号（表上印的数字）", en: "session '\(text)' is not a session id (a number, as printed on the sheet)"))
            }
            if let fixedSession, id != fixedSession {
                return .bad(
                    Phrase(
                        zh: "此行属于课次 \(id)，而命令指定的是课次 \(fixedSession)；导入时请不要指定课次",
                        en: "this row is for session \(id), but the command names session \(fixedSession); import it without naming a session"))
            }
            sessionID = id
        }
        guard let sessionID else { return .bad(Phrase(zh: "课次一格为空；请填上课次编号", en: "the session cell is empty; fill it with the session id")) }
        // Validate against the records.
        if sessions[sessionID] == nil {
            if sessions.count > 10_000 { sessions.removeAll(keepingCapacity: true) }  // bounded, whatever the file's size
            sessions[sessionID] = .some(try AttendanceWriter.facts(session: sessionID, sessionFacts))
        }
        guard let facts = sessions[sessionID]! else { return .bad(Phrase(zh: "没有课次 \(sessionID)", en: "no session \(sessionID)")) }
        if let on = facts.cancelledOn { return .bad(LubanDatabase.cancelledMessage(sessionID, on)) }
        if facts.cohortID != cohortID { try load(cohort: facts.cohortID) }
        if reader.isBlank(trainee) { return .bad(Phrase(zh: "学员一格为空；请填上学员编号", en: "the trainee cell is empty; fill it with the trainee code")) }
        var tid = reader.withField(trainee) { Bytes.traineeCode($0) }
        if tid == nil {
            let text = try reader.field(trainee).trimmed
            if byIDNumber[text] == nil, let t = try LubanDatabase.trainee(text, db) { byIDNumber[text] = t.id }
            tid = byIDNumber[text]
            if tid == nil { return .bad(.noTraineeOnSheet(Mask.reference(text))) }
        }
        let traineeID = tid!
        guard let (stored, withdrawn) = enrolled[traineeID] else { return try notEnrolled(traineeID, cohort: facts.cohortID) }
        if let on = withdrawn, facts.date >= on {
            return .bad(LubanDatabase.withdrawnMessage(Trainee.code(for: traineeID), cohortID: facts.cohortID, on: on, db))
        }
        if let name, let storedName = stored, !reader.isBlank(name) {
            // (A name luban printed with its formula guard, `'=…`, is the name without the `'`.)
            let same = reader.withField(name) { field in
                let cell = Bytes.trimmed(field)
                return cell.elementsEqual(storedName) || (cell.first == UInt8(ascii: "'") && cell.dropFirst().elementsEqual(storedName))
            }
            if !same {
                let (code, recorded, onSheet) = (
                    Trainee.code(for: traineeID), String(decoding: storedName, as: UTF8.self), try reader.field(name).trimmed
                )
                return .bad(
                    Phrase(
                        zh: "学员 \(code) 在记录中是 \(recorded)，表上却是 \(onSheet)；请检查该行是否错位",
                        en: "trainee \(code) is \(recorded) in the records but \(onSheet) on the sheet; check that the row was not shifted"))
            }
        }
        let noteText = note.map { reader.isBlank($0) } == false ? FieldText.note(try reader.field(note!)) : ""
        if let problem = FieldText.problem(noteText, what: "note", lineBreaks: true) { return .bad(problem) }
        return .mark(session: facts, trainee: traineeID, status: status, note: noteText)
    }

    private mutating func load(cohort: Int64) throws {
        enrolled.removeAll(keepingCapacity: true)
        try enrolment.forEachRow(cohort) { row in
            enrolled[row.int64(0)] = (row.isNull(2) ? Array(row.bytes(1)) : nil, row.isNull(3) ? nil : row.text(3))
        }
        cohortID = cohort
    }

    private func notEnrolled(_ traineeID: Int64, cohort: Int64) throws -> Outcome {
        let code = try String.fetchOne(db, sql: "SELECT code FROM trainee WHERE id = ?", arguments: [traineeID])
        guard let code else { return .bad(.noTraineeOnSheet(Trainee.code(for: traineeID))) }
        let cohortCode = try String.fetchOne(db, sql: "SELECT code FROM cohort WHERE id = ?", arguments: [cohort]) ?? "?"
        return .bad(LubanError.notEnrolled(trainee: code, cohort: cohortCode).phrase, .enrol(cohort: cohortCode, trainee: code))
    }
}

// MARK: - The grid of a cohort

/// A cohort's attendance at a glance: its sessions (cancelled ones left out), and each
/// enrolled trainee's current status at each (nil: not marked).
public struct AttendanceGrid: Sendable {
    public var sessions: [Session]
    public var rows: [(trainee: Trainee, statuses: [AttendanceStatus?], withdrawnOn: String?)]
}

extension LubanDatabase {
    public func attendanceGrid(cohort code: String) throws(LubanError) -> AttendanceGrid {
        let cohort = try cohort(code)
        return try read { db in
            let sessions = try Session.fetchAll(
                db, sql: "SELECT * FROM session WHERE cohort_id = ? AND cancelled_on IS NULL ORDER BY date, id", arguments: [cohort.id])
            let column = Dictionary(uniqueKeysWithValues: sessions.enumerated().map { ($1.id!, $0) })
            var rows: [(trainee: Trainee, statuses: [AttendanceStatus?], withdrawnOn: String?)] = []
            var index: [Int64: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT t.*, e.withdrawn_on FROM trainee t JOIN enrolment e ON e.trainee_id = t.id WHERE e.cohort_id = ? ORDER BY t.id",
                arguments: [cohort.id])
            {
                index[row["id"]] = rows.count
                rows.append((try Trainee(row: row), Array(repeating: nil, count: sessions.count), row["withdrawn_on"]))
            }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT a.session_id, a.trainee_id, a.status FROM attendance a JOIN session s ON s.id = a.session_id WHERE s.cohort_id = ?",
                arguments: [cohort.id])
            {
                guard let c = column[row[0]], let r = index[row[1]] else { continue }
                rows[r].statuses[c] = AttendanceStatus(rawValue: row[2])
            }
            return AttendanceGrid(sessions: sessions, rows: rows)
        }
    }
}
