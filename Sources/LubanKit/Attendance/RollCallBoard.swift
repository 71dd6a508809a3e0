import GRDB

// MARK: - Roll call on a screen: who is on the list, what each is marked, and marks one by one

/// One session's roll call as a screen shows it: every trainee who belongs on its sheet (enrolled
/// and not withdrawn before its date), with their current status.
public struct RollCallBoard: Sendable {
    public struct Row: Sendable {
        public let code: String
        public let name: String
        /// nil: not marked yet.
        public let status: AttendanceStatus?
        public let note: String
    }

    public let session: Session
    public let cohort: Cohort
    public let rows: [Row]

    public var marked: Int { rows.count { $0.status != nil } }
    public var unmarked: Int { rows.count - marked }
}

/// A mark made on a screen: who made it (`by`, for the ledger's batch) and from where
/// (`source`), so that a ledger entry says `web`, the account or link, and the device's address.
public struct ScreenMark: Sendable {
    public let session: Int64
    public let trainee: String
    /// nil: the trainee's mark taken back (an undo of a first mark).
    public let status: AttendanceStatus?
    public let note: String
    public let by: String
    public let source: String

    public init(session: Int64, trainee: String, status: AttendanceStatus?, note: String = "", by: String, source: String) {
        self.session = session
        self.trainee = trainee
        self.status = status
        self.note = note
        self.by = by
        self.source = source
    }
}

/// A `ScreenMark` recorded: `changed` false when it was already the trainee's status (nothing
/// was added); the status it replaced (for undo); and the session's counts after it, which the
/// screen shows.
public struct RecordedMark: Sendable, Equatable {
    public let code: String
    public let name: String
    public let previous: AttendanceStatus?
    public let changed: Bool
    public var marked = 0
    public var total = 0
}

/// What became of one `ScreenMark`.
public enum ScreenMarkOutcome: Sendable, Equatable {
    case recorded(RecordedMark)
    /// Refused, and why (not enrolled, withdrawn, a cancelled session, a bad note).
    case refused(LubanError)
}

extension LubanDatabase {
    /// The roll call of session `id` as it stands.
    public func rollCallBoard(session id: Int64) throws(LubanError) -> RollCallBoard {
        let session = try session(String(id))
        let cohort = try cohort(of: session)
        return try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.code, t.name, a.status, a.note FROM enrolment e JOIN trainee t ON t.id = e.trainee_id
                    LEFT JOIN attendance a ON a.session_id = ? AND a.trainee_id = t.id
                    WHERE e.cohort_id = ? AND (e.withdrawn_on IS NULL OR e.withdrawn_on > ?) ORDER BY t.id
                    """, arguments: [id, cohort.id, session.date.description]
            ).map { row in
                RollCallBoard.Row(
                    code: row[0], name: row[1], status: (row[2] as String?).flatMap(AttendanceStatus.init(rawValue:)), note: row[3] ?? "")
            }
            return RollCallBoard(session: session, cohort: cohort, rows: rows)
        }
    }

    /// How many of session `id`'s trainees are marked, and how many belong on its sheet: the
    /// counts a screen shows after each mark, without reading the whole board.
    static func rollCallCounts(session id: Int64, _ db: Database) throws -> (marked: Int, total: Int) {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT count(*), sum(EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.trainee_id = e.trainee_id))
                    FROM session s JOIN enrolment e ON e.cohort_id = s.cohort_id
                    WHERE s.id = ? AND (e.withdrawn_on IS NULL OR e.withdrawn_on > s.date)
                    """), arguments: [id])
        return (row?[1] ?? 0, row?[0] ?? 0)
    }

    /// Records marks made on screens, each checked as a hand mark is, in one transaction: a
    /// server gathers the marks that arrive while the previous transaction commits, so that 50
    /// phones cost one disk sync, not 50. A refused mark is answered and the others still count.
    public func recordMarks(_ marks: [ScreenMark]) throws(LubanError) -> [ScreenMarkOutcome] {
        try write(
            "attend",
            detailOf: { (outcomes: [ScreenMarkOutcome]) in
                let changed = outcomes.count { if case .recorded(let r) = $0 { r.changed } else { false } }
                let sessions = Set(marks.map(\.session)).sorted().map(String.init).joined(separator: " ")
                return Phrase(
                    zh: "网页，课次 \(sessions)：\(marks.count) 条中记录 \(changed) 条", en: "web, session \(sessions): \(changed) recorded of \(marks.count)"
                ).text()
            }
        ) { db in
            // One ledger batch per account or link and device, written one after the other (a
            // batch's entries are numbered on from the one before).
            var order: [String: [Int]] = [:]
            var keys: [String] = []
            for (i, mark) in marks.enumerated() {
                let key = mark.by + "\u{0}" + mark.source
                if order[key] == nil { keys.append(key) }
                order[key, default: []].append(i)
            }
            var facts: [Int64: SessionFacts] = [:]
            var latest: [String: AttendanceStatus?] = [:]
            var outcomes = [ScreenMarkOutcome](repeating: .refused(.refused(Phrase(verbatim: ""))), count: marks.count)
            for key in keys {
                let first = marks[order[key]![0]]
                var writer = try AttendanceWriter(db: db, user: first.by, source: first.source, fewMarks: true)
                for i in order[key]! {
                    let mark = marks[i]
                    do {
                        try FieldText.check(mark.note, what: "note", lineBreaks: true)
                        // A screen names trainees by code only: an ID number tried here would
                        // tell whoever holds the link whether that person is enrolled.
                        guard Bytes.traineeCode(Array(mark.trainee.utf8)) != nil else { throw LubanError.notOnRollCall(mark.trainee) }
                        guard let session = try facts[mark.session] ?? AttendanceWriter.facts(session: mark.session, db) else {
                            throw LubanError.unknownSession(String(mark.session))
                        }
                        facts[mark.session] = session
                        if let on = session.cancelledOn { throw LubanError.refused(Self.cancelledMessage(mark.session, on)) }
                        let t = try Self.markable(mark.trainee, at: session, db)
                        let pair = "\(session.id) \(t.id!)"
                        let previous =
                            try latest[pair]
                            ?? String.fetchOne(
                                db.cachedStatement(sql: "SELECT status FROM attendance WHERE session_id = ? AND trainee_id = ?"),
                                arguments: [session.id, t.id]
                            ).flatMap(AttendanceStatus.init(rawValue:))
                        var result = ImportResult()
                        let refusal =
                            try mark.status.map {
                                try writer.record(session: session, trainee: t.id!, status: $0, note: FieldText.note(mark.note), into: &result)
                            } ?? writer.takeBack(session: session, trainee: t.id!, into: &result)
                        if let refusal { throw refusal }
                        latest[pair] = mark.status
                        outcomes[i] = .recorded(RecordedMark(code: t.code, name: t.name, previous: previous, changed: result.recorded > 0))
                    } catch let error as LubanError {
                        outcomes[i] = .refused(error)
                    }
                }
                try writer.finish()
            }
            // The counts once per session (not once per mark): a screen shows them after each tap.
            var counts: [Int64: (marked: Int, total: Int)] = [:]
            for (i, mark) in marks.enumerated() {
                guard case .recorded(var r) = outcomes[i] else { continue }
                if counts[mark.session] == nil { counts[mark.session] = try Self.rollCallCounts(session: mark.session, db) }
                (r.marked, r.total) = counts[mark.session]!
                outcomes[i] = .recorded(r)
            }
            return outcomes
        }
    }
}
