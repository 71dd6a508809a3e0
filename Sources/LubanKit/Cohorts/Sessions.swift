import GRDB

// MARK: - Sessions

/// A session as typed or read from a schedule row, before it is checked against the cohort.
public struct SessionDraft: Sendable, Equatable {
    public var date: CalendarDate
    public var kind: SessionKind
    public var hours: Double
    public var course: String
    public var site: String
    public var expert: String
    public var title: String

    public init(date: CalendarDate, kind: SessionKind, hours: Double, course: String = "", site: String = "", expert: String = "", title: String = "")
    {
        self.date = date
        self.kind = kind
        self.hours = hours
        self.course = course.trimmed
        self.site = site.trimmed
        self.expert = expert.trimmed
        self.title = title.trimmed
    }
}

extension SessionDraft {
    /// A schedule row's draft, `cell` giving the text of each column by name.
    init(cell: (String) throws(LubanError) -> String) throws(LubanError) {
        self.init(
            date: try CalendarDate.parse(try cell("date"), what: "date"), kind: try SessionKind.parse(try cell("kind")),
            hours: try Hours.parse(try cell("hours")), course: try cell("course"), site: try cell("site"), expert: try cell("expert"),
            title: try cell("title"))
    }

    /// The draft with each text field checked and kept on one line.
    func oneLine() throws(LubanError) -> SessionDraft {
        var draft = self
        draft.course = try FieldText.oneLine(course, what: "course")
        draft.site = try FieldText.oneLine(site, what: "site")
        draft.expert = try FieldText.oneLine(expert, what: "expert")
        draft.title = try FieldText.oneLine(title, what: "title")
        return draft
    }
}

/// Cohorts and their curricula by code, looked up once per import.
struct CohortCache {
    let db: Database
    /// Each cohort met, with its curriculum, in an object of its own: a federation's schedule
    /// meets 16,000 cohorts, and a dictionary holding the pair inline spent the pair's size on
    /// every empty slot too.
    private final class Known {
        let cohort: Cohort
        let curriculum: Curriculum
        init(_ cohort: Cohort, _ curriculum: Curriculum) {
            self.cohort = cohort
            self.curriculum = curriculum
        }
    }
    private var known: [String: Known?] = [:]
    /// Curricula by id: thousands of cohorts share a few.
    private var curricula: [String: Curriculum] = [:]

    init(db: Database) { self.db = db }

    /// The cohort with `code` and its curriculum; nil when there is none; throws for a required one.
    mutating func cohort(_ code: String) throws -> (Cohort, Curriculum)? {
        if let hit = known[code] { return hit.map { ($0.cohort, $0.curriculum) } }
        var value: Known?
        if let c = try LubanDatabase.cohort(code, db) {
            let key = "\(c.curriculumId)#\(c.curriculumRevision ?? 0)"
            if curricula[key] == nil { curricula[key] = try LubanDatabase.curriculum(ofCohort: c.id!, db) }
            value = Known(c, curricula[key]!)
        }
        known[code] = .some(value)
        return value.map { ($0.cohort, $0.curriculum) }
    }
}

extension Hours {
    /// Parses session hours: more than 0, at most 12, in quarter hours (so sums stay exact).
    public static func parse(_ text: String) throws(LubanError) -> Double {
        let t = FieldText.halfWidth(text).trimmed
        guard let h = Double(t), h.isFinite, h > 0, h <= 12, (h * 4).rounded() == h * 4 else { throw .invalidHours(text) }
        return h
    }
}

extension SessionKind {
    /// Parses a kind word or says which words there are.
    public static func parse(_ text: String) throws(LubanError) -> SessionKind {
        guard let k = SessionKind(word: text) else {
            throw .invalidValue(
                what: "kind", text: text,
                expected: Phrase(zh: "课堂授课、实地教学或专家演示（classroom、field、demonstration）", en: "classroom, field or demonstration (课堂授课, 实地教学, 专家演示)"))
        }
        return k
    }
}

extension LubanDatabase {
    /// Schedules one session of a cohort; returns it with its id.
    @discardableResult
    public func addSession(cohort code: String, _ draft: SessionDraft) throws(LubanError) -> Session {
        try write("session add", detail: "\(code) \(draft.date) " + Phrase(zh: draft.kind.chinese, en: draft.kind.rawValue).text()) { db in
            guard let cohort = try Self.cohort(code, db) else { throw LubanError.unknownCohort(code) }
            let curriculum = try Self.curriculum(ofCohort: cohort.id!, db)
            var session = try Self.checked(draft, cohort: cohort, curriculum: curriculum)
            let writer = try SessionWriter(db)
            session.expert = try writer.expertName(session.expert, add: false)
            if let existing = try writer.same(as: session) {
                throw LubanError.refused(
                    zh: "期次 \(code) 在 \(draft.date) 已有该课次（id \(existing.id!)）；要再加一次，请换一个标题或地点",
                    en:
                        "cohort \(code) already has this session (id \(existing.id!)) on \(draft.date); give it another title or site to add a second one"
                )
            }
            return try writer.insert(session)
        }
    }

    /// Checks a draft against its cohort's dates and curriculum, its text kept on one line.
    static func checked(_ draft: SessionDraft, cohort: Cohort, curriculum: Curriculum) throws(LubanError) -> Session {
        guard draft.date >= cohort.startDate, draft.date <= cohort.endDate else {
            throw .sessionOutsideCohort(date: draft.date, cohort: cohort.code, start: cohort.startDate, end: cohort.endDate)
        }
        guard draft.hours > 0, draft.hours <= 12 else { throw .invalidHours(Hours.format(draft.hours)) }
        let draft = try draft.oneLine()
        var courseCode = draft.course
        if !courseCode.isEmpty {
            guard let course = curriculum.course(courseCode) ?? curriculum.courses.first(where: { $0.title == courseCode }) else {
                let known = curriculum.courses.map { "\($0.code) (\($0.title), \($0.kind.rawValue))" }.joined(separator: ", ")
                throw .course(
                    Phrase(
                        zh: "课程“\(courseCode)”不在培训方案 \(curriculum.id) 中；其课程有：\(known)",
                        en: "course '\(courseCode)' is not in curriculum \(curriculum.id); its courses: \(known)"))
            }
            guard course.kind == draft.kind else {
                throw .course(
                    Phrase(
                        zh: "课程 \(course.code)（\(course.title)）的授课形式是 \(course.kind.rawValue)，不是 \(draft.kind.rawValue)；请给课次用该形式，或换一门课程",
                        en:
                            "course \(course.code) (\(course.title)) is taught as \(course.kind.rawValue), not \(draft.kind.rawValue); give the session that kind, or another course"
                    ))
            }
            courseCode = course.code
        }
        return Session(
            id: nil, cohortId: cohort.id!, date: draft.date, kind: draft.kind, hours: draft.hours,
            course: courseCode, site: draft.site, expert: draft.expert, title: draft.title)
    }

    static func sameSession(_ s: Session, _ db: Database) throws -> Session? { try SessionWriter(db).same(as: s) }

    /// How a session is found and added, the statements prepared once so that a schedule
    /// import runs them for every row at the cost of the statements alone.
    final class SessionWriter {
        private let db: Database
        private let lookup: SQLiteStatement
        private let insertion: SQLiteStatement
        private let experts = ExpertCache()

        init(_ db: Database) throws {
            self.db = db
            lookup = try SQLiteStatement(
                db, "SELECT id FROM session WHERE cohort_id = ? AND date = ? AND kind = ? AND course = ? AND site = ? AND title = ?")
            insertion = try SQLiteStatement(
                db,
                """
                INSERT INTO session (cohort_id, date, kind, hours, course, site, expert, title, expert_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM expert WHERE name = ?7))
                ON CONFLICT (cohort_id, date, kind, course, site, title) DO NOTHING
                """)
        }

        /// The session already scheduled with the same cohort, date, kind, course, site and title.
        func same(as s: Session) throws -> Session? {
            lookup.bind(1, s.cohortId)
            lookup.bind(2, s.date.description)
            lookup.bind(3, s.kind.rawValue)
            lookup.bind(4, s.course)
            lookup.bind(5, s.site)
            guard let id = try lookup.firstInt64(s.title, at: 6) else { return nil }
            return try Session.fetchOne(db, key: id)
        }

        /// Inserts a checked session; returns it with its id.
        func insert(_ s: Session) throws -> Session {
            guard let inserted = try insertIfNew(s) else {
                throw LubanError.conflict(
                    zh: "该课次（\(s.date) \(s.kind.rawValue)）已排定；要再加一次，请换一个标题或地点",
                    en: "this session (\(s.date) \(s.kind.rawValue)) is already scheduled; give it another title or site to add a second one")
            }
            return inserted
        }

        /// Inserts a checked session unless the same one is already scheduled (then nil): one
        /// look into the session index instead of a look-up and an insert.
        func insertIfNew(_ s: Session) throws -> Session? {
            insertion.bind(1, s.cohortId)
            insertion.bind(2, s.date.description)
            insertion.bind(3, s.kind.rawValue)
            insertion.bind(4, s.hours)
            insertion.bind(5, s.course)
            insertion.bind(6, s.site)
            insertion.bind(7, s.expert)
            insertion.bind(8, s.title)
            try insertion.run()
            guard db.changesCount > 0 else { return nil }
            var inserted = s
            inserted.id = db.lastInsertedRowID
            return inserted
        }

        /// The registered name of the expert a row names (see `expertName`), looked up once a name.
        func expertName(_ raw: String, add: Bool) throws -> String { try experts.resolve(raw, add: add, db).name }
    }

    /// Writes `after` over `before` (one session), moving the roll-ups, in the caller's
    /// transaction; refused under issued certificates and onto another session's identity.
    static func replace(_ before: Session, with after: Session, cohort: Cohort, _ db: Database) throws {
        let moved = before.date != after.date || before.hours != after.hours || before.kind != after.kind
        if moved, let issued = try certificatesIssued(cohortID: cohort.id!, db).first {
            throw LubanError.restsOn(
                issued,
                zh: "期次 \(cohort.code) 已依据其考勤签发证书（\(issued) …）；课次的日期、学时或类别不能在此之下更改：请先撤销这些证书",
                en:
                    "cohort \(cohort.code) has certificates issued on its attendance (\(issued) …); a session's date, hours or kind cannot change under them: revoke them first"
            )
        }
        if let same = try sameSession(after, db), same.id != after.id {
            throw LubanError.conflict(
                zh: "期次 \(cohort.code) 已有这一课次（id \(same.id!)）；请换一个标题或地点",
                en: "cohort \(cohort.code) already has that session (id \(same.id!)); give it another title or site")
        }
        if before.cancelledOn == nil { try moveRollUps(from: before, to: after, db) }
        let expert = try expertName(after.expert, add: false, db)
        try db.execute(
            sql: """
                UPDATE session SET date = ?, kind = ?, hours = ?, course = ?, site = ?, expert = ?, title = ?,
                    expert_id = (SELECT id FROM expert WHERE name = ?) WHERE id = ?
                """,
            arguments: [after.date, after.kind, after.hours, after.course, after.site, expert, after.title, expert, after.id])
    }

    /// Cancels (or restores) one session in the caller's transaction.
    static func setCancelled(_ s: Session, cancelled: Bool, on date: CalendarDate, reason: String, cohort: Cohort, _ db: Database) throws {
        if let issued = try certificatesIssued(cohortID: cohort.id!, db).first {
            throw LubanError.restsOn(
                issued,
                zh: "期次 \(cohort.code) 已依据其考勤签发证书（\(issued) …）；其课次不能在此之下取消或恢复：请先撤销这些证书",
                en:
                    "cohort \(cohort.code) has certificates issued on its attendance (\(issued) …); its sessions cannot be cancelled or restored under them: revoke them first"
            )
        }
        try moveRollUps(from: cancelled ? s : nil, to: cancelled ? nil : s, db)
        // A cancelled session takes no roll: its link is closed with it.
        if cancelled { try RollCallLink.close(session: s.id!, db) }
        try db.execute(
            sql: "UPDATE session SET cancelled_on = ?, cancel_reason = ? WHERE id = ?",
            arguments: [cancelled ? date : nil, cancelled ? reason.trimmed : nil, s.id])
    }

    /// Imports a schedule CSV (`date,kind,hours` plus optional `course,site,expert,title`), all
    /// rows or none; a session already scheduled with the same details is not added again. With
    /// no `cohort`, each row names its own in a `cohort` column (a federation's whole schedule).
    /// An expert's name must be registered, unless `addExperts` (then a new name is registered).
    public func importSchedule(cohort code: String?, _ reader: CSVReader, addExperts: Bool = false) throws(LubanError) -> ImportResult {
        var cohorts: CohortCache!
        var writer: SessionWriter?
        var rollUps: SessionRollUpsInBulk?
        return try importFile(
            "session import", cohort: code, reader, required: ["date", "kind", "hours"] + (code == nil ? ["cohort"] : []),
            optional: ["course", "site", "expert", "title", "cohort"], passedOver: Session.listingColumns,
            prepare: { db, _ in
                cohorts = CohortCache(db: db)
                if let code { _ = try cohorts.cohort(code) }
                writer = try SessionWriter(db)
                rollUps = try SessionRollUpsInBulk(lifting: db)
            },
            check: { row throws(LubanError) in
                try SessionDraft { column throws(LubanError) in row.value(column) }
            }
        ) { draft, row, result, _ in
            guard let writer else { return }
            let rowCohort = code ?? row.value("cohort")
            guard let (cohort, curriculum) = try cohorts.cohort(rowCohort) else { throw LubanError.unknownCohort(rowCohort) }
            var session = try Self.checked(draft, cohort: cohort, curriculum: curriculum)
            session.expert = try writer.expertName(session.expert, add: addExperts)
            if row.mayWrite, let inserted = try writer.insertIfNew(session) {
                rollUps?.add(inserted)
                if code != nil { result.ids.append(inserted.id!) }
                result.recorded += 1
                return
            }
            if let existing = try writer.same(as: session) {
                guard existing.hours == session.hours && existing.expert == session.expert else {
                    throw LubanError.refused(
                        zh:
                            "该课次（\(draft.date) \(draft.kind.rawValue)）已排为 id \(existing.id!)，\(Hours.format(existing.hours)) 学时，专家“\(existing.expert)”；要再加一次，请换一个标题",
                        en:
                            "this session (\(draft.date) \(draft.kind.rawValue)) is already scheduled as id \(existing.id!) with \(Hours.format(existing.hours)) h by '\(existing.expert)'; give it another title to add a second one"
                    )
                }
                result.unchanged += 1
                if code != nil { result.ids.append(existing.id!) }
                return
            }
            result.recorded += 1
        } finish: { db in
            try rollUps?.restore(db)
        }
    }

    /// The sessions of a cohort, by date.
    public func sessions(cohort code: String) throws(LubanError) -> [Session] {
        let cohort = try cohort(code)
        return try read { db in
            try Session.fetchAll(db, sql: "SELECT * FROM session WHERE cohort_id = ? ORDER BY date, id", arguments: [cohort.id])
        }
    }

    /// The session with `id`.
    public func session(_ reference: String) throws(LubanError) -> Session {
        guard let id = Bytes.integer(Array(reference.utf8)),
            let s = try read({ db in try Session.fetchOne(db, key: id) })
        else { throw .unknownSession(reference) }
        return s
    }

    /// The cohort a session belongs to.
    public func cohort(of session: Session) throws(LubanError) -> Cohort {
        guard let c = try read({ db in try Cohort.fetchOne(db, key: session.cohortId) }) else { throw .unknownSession(String(session.id ?? 0)) }
        return c
    }
}

// MARK: - Writing the session table (its owner: `SessionWriter` adds, `replace` and `setCancelled` correct)

extension Session {
    /// Carries an expert's corrected name to every session they teach, in the caller's transaction.
    static func renameExpert(_ expertID: Int64, to name: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE session SET expert = ? WHERE expert_id = ?", arguments: [name, expertID])
    }
}
