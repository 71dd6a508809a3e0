import GRDB

// MARK: - Sign-offs

extension LubanDatabase {
    /// Records an expert's verdict. A later verdict for the same trainee, cohort and technique
    /// supersedes the earlier one, which stays in the history; the same verdict again adds nothing.
    @discardableResult
    public func signOff(
        cohort code: String, trainee reference: String, technique: String, expert: String, result: SignOffResult,
        note: String = "", on date: CalendarDate = .today
    ) throws(LubanError) -> (result: ImportResult, trainee: String) {
        try write(
            "signoff",
            detailOf: { (r: (ImportResult, String)) in "\(code) \(r.1) \(technique) \(Phrase(zh: result.chinese, en: result.rawValue).text())" }
        ) {
            db in
            guard let cohort = try Self.cohort(code, db) else { throw LubanError.unknownCohort(code) }
            guard let trainee = try Self.trainee(reference, db) else { throw LubanError.unknownTrainee(reference) }
            let curriculum = try Self.curriculum(ofCohort: cohort.id!, db)
            var count = ImportResult()
            try Self.recordSignOff(
                cohort: cohort, trainee: (trainee.id!, trainee.code), technique: technique, expert: expert, result: result,
                note: note, on: date, curriculum: curriculum, user: user, db, into: &count)
            return (count, trainee.code)
        }
    }

    /// Imports verdicts (`trainee,technique,expert,result` plus optional `note`), all or none.
    /// With no `cohort`, each row names its own in a `cohort` column.
    /// An expert's name must be registered, unless `addExperts` (then a new name is registered).
    public func importSignOffs(cohort code: String?, _ reader: CSVReader, addExperts: Bool = false) throws(LubanError) -> ImportResult {
        var cohorts: CohortCache!
        var trainees: TraineeLookup!
        var statements: SignOffStatements!
        let experts = ExpertCache()
        return try importFile(
            "signoff import", cohort: code, reader,
            required: ["trainee", "technique", "expert", "result"] + (code == nil ? ["cohort"] : []), optional: ["note", "cohort", "assessed_on"],
            prepare: { db, _ in
                cohorts = CohortCache(db: db)
                trainees = try TraineeLookup(db: db)
                statements = try SignOffStatements(db)
                if let code, try cohorts.cohort(code) == nil { throw LubanError.unknownCohort(code) }
            }
        ) { row, result, _ in
            let rowCohort = code ?? row.value("cohort")
            guard let (cohort, curriculum) = try cohorts.cohort(rowCohort) else { throw LubanError.unknownCohort(rowCohort) }
            let ref = row.value("trainee")
            let resultText = row.value("result")
            guard let verdict = SignOffResult(word: resultText) else {
                throw LubanError.refused(
                    zh: "结果“\(excerpt(resultText))”不是“通过”或“不通过”（pass、fail）", en: "result '\(excerpt(resultText))' is not pass or fail (通过, 不通过)")
            }
            guard let trainee = try trainees.trainee(ref) else { throw LubanError.unknownTrainee(ref) }
            try Self.recordSignOff(
                cohort: cohort, trainee: trainee, enrolled: try trainees.isEnrolled(trainee.id, in: cohort.id!),
                technique: row.value("technique"), expert: row.value("expert"), result: verdict,
                note: row.value("note"), on: try Self.assessedOn(row.value("assessed_on")), addExpert: addExperts, curriculum: curriculum,
                user: user, experts: experts, statements: statements, row.db,
                into: &result)
        }
    }

    /// Records one verdict for `trainee` (row id and code); `enrolled` is looked up when not given.
    static func recordSignOff(
        cohort: Cohort, trainee: (id: Int64, code: String), enrolled: Bool? = nil,
        technique rawTechnique: String, expert rawExpert: String, result: SignOffResult,
        note: String, on date: CalendarDate = .today, addExpert: Bool = false, curriculum: Curriculum, user: String,
        experts: ExpertCache = ExpertCache(), statements: SignOffStatements? = nil, _ db: Database, into count: inout ImportResult
    ) throws {
        let technique = rawTechnique.trimmed
        let (expert, registered) = try experts.resolve(try FieldText.oneLine(rawExpert, what: "expert"), add: addExpert, db)
        guard curriculum.techniques.contains(technique) else { throw LubanError.unknownTechnique(technique, known: curriculum.techniques) }
        guard !expert.isEmpty else {
            throw LubanError.invalidValue(
                what: "expert", text: expert, expected: Phrase(zh: "评判该实操的专家姓名", en: "the name of the expert who judged the practice"))
        }
        if let e = registered, !e.techniqueList.isEmpty, !e.techniqueList.contains(technique) {
            throw LubanError.refused(
                zh: "专家 \(e.code) \(e.name) 考核的是 \(e.techniques)，不是 \(technique)；请记录实际考核的专家",
                en: "expert \(e.code) \(e.name) assesses \(e.techniques), not \(technique); record the expert who assessed it")
        }
        try FieldText.check(note, what: "note", lineBreaks: true)
        guard try enrolled ?? isEnrolled(traineeID: trainee.id, cohortID: cohort.id!, db) else {
            throw LubanError.notEnrolled(trainee: trainee.code, cohort: cohort.code)
        }
        let statements = try statements ?? SignOffStatements(db)
        var latest: (result: String, expert: String, note: String)?
        statements.latest.bind(3, technique)
        try statements.latest.forEachRow(trainee.id, cohort.id!) { row in latest = (row.text(0), row.text(1), row.text(2)) }
        if let latest, latest.result == result.rawValue, latest.expert == expert, note.isEmpty || latest.note == note {
            count.unchanged += 1
            return
        }
        let insert = statements.insert
        insert.bind(3, technique)
        insert.bind(4, expert)
        insert.bind(5, result.rawValue)
        insert.bind(6, note)
        insert.bind(7, Timestamp.now())
        insert.bind(8, user)
        insert.bind(9, date.description)
        try insert.run(cohort.id!, trainee.id)
        count.recorded += 1
        if latest != nil { count.corrected += 1 }
    }

    /// The `assessed_on` cell of a sign-off file: a date, or today when the column is absent or blank.
    static func assessedOn(_ cell: String) throws(LubanError) -> CalendarDate {
        cell.trimmed.isEmpty ? .today : try CalendarDate.parse(cell, what: "assessed_on")
    }

    /// Voids the verdict in force for a trainee's technique in a cohort, entered by mistake: it
    /// then counts as never given (the one before it, if any, is in force again) and stays in
    /// the history with the reason. Refused while the trainee holds a certificate of that cohort.
    public func voidSignOff(cohort code: String, trainee reference: String, technique: String, reason: String, on date: CalendarDate = .today)
        throws(LubanError) -> SignOff
    {
        guard !reason.trimmed.isEmpty else {
            throw .invalidValue(
                what: "reason", text: reason,
                expected: Phrase(zh: "作废原因，例如“录错了学员”", en: "why the verdict is void, e.g. \"entered for the wrong trainee\""))
        }
        try FieldText.check(reason, what: "reason")
        let cohort = try cohort(code)
        let t = try trainee(reference)
        return try write("signoff void", detail: "\(cohort.code) \(t.code) \(technique.trimmed): \(reason.trimmed)") { db in
            guard
                let verdict = try SignOff.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM signoff WHERE cohort_id = ? AND trainee_id = ? AND technique = ? AND voided_on IS NULL ORDER BY id DESC LIMIT 1
                        """, arguments: [cohort.id, t.id, technique.trimmed])
            else {
                throw LubanError.refused(
                    zh: "学员 \(t.code) 在期次 \(cohort.code) 中没有有效的“\(technique.trimmed)”考核结果",
                    en: "trainee \(t.code) has no verdict in force for \(technique.trimmed) in cohort \(cohort.code)")
            }
            if let issued = try Self.certificatesIssued(cohortID: cohort.id!, traineeID: t.id!, db).first {
                throw LubanError.restsOn(
                    issued,
                    zh: "学员 \(t.code) 持有期次 \(cohort.code) 的证书 \(issued)，它可能以此考核结果为依据；请先撤销该证书",
                    en: "trainee \(t.code) holds certificate \(issued) of cohort \(cohort.code), which may rest on this verdict; revoke it first")
            }
            try db.execute(sql: "UPDATE signoff SET voided_on = ?, void_reason = ? WHERE id = ?", arguments: [date, reason.trimmed, verdict.id])
            return try SignOff.fetchOne(db, key: verdict.id)!
        }
    }

    /// Every verdict of a cohort (or of one trainee in it), oldest first, voided ones included.
    public func signOffHistory(cohort code: String, trainee reference: String? = nil) throws(LubanError) -> [(SignOff, Trainee)] {
        let cohort = try cohort(code)
        let tid = try reference.map { r throws(LubanError) in try trainee(r).id! }
        return try read { db in
            let verdicts = try SignOff.fetchAll(
                db, sql: "SELECT * FROM signoff WHERE cohort_id = ?1 AND (?2 IS NULL OR trainee_id = ?2) ORDER BY id", arguments: [cohort.id, tid])
            var people: [Int64: Trainee] = [:]
            return try verdicts.map { v in
                if people[v.traineeId] == nil { people[v.traineeId] = try Trainee.fetchOne(db, key: v.traineeId) }
                return (v, people[v.traineeId]!)
            }
        }
    }
}

/// The two statements a verdict runs (the verdict in force, the new one), prepared once per
/// import on SQLite's API: through GRDB's argument arrays they cost more than the insert.
struct SignOffStatements {
    let latest: SQLiteStatement
    let insert: SQLiteStatement

    init(_ db: Database) throws {
        latest = try SQLiteStatement(
            db,
            """
            SELECT result, expert, note FROM signoff WHERE trainee_id = ?1 AND cohort_id = ?2 AND technique = ?3 AND voided_on IS NULL
            ORDER BY id DESC LIMIT 1
            """)
        insert = try SQLiteStatement(
            db,
            """
            INSERT INTO signoff (cohort_id, trainee_id, technique, expert, result, note, recorded_at, recorded_by, assessed_on, expert_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT id FROM expert WHERE name = ?4))
            """)
    }
}

/// Trainees and enrolments as one import meets them, kept for the rows that follow (a file lists
/// a trainee's verdicts together): bounded, whatever the file's size.
struct TraineeLookup {
    let db: Database
    private var byReference: [String: (id: Int64, code: String)?] = [:]
    private var enrolled: [Int64: Set<Int64>] = [:]
    private let exists: SQLiteStatement

    init(db: Database) throws {
        self.db = db
        exists = try SQLiteStatement(db, "SELECT 1 FROM trainee WHERE id = ?")
    }

    /// The trainee a code or ID number names, or nil.
    mutating func trainee(_ reference: String) throws -> (id: Int64, code: String)? {
        if let known = byReference[reference] { return known }
        if byReference.count >= 10_000 { byReference.removeAll(keepingCapacity: true) }
        let found: (id: Int64, code: String)?
        if let id = Bytes.traineeCode(Array(reference.utf8)) {
            // A code is its row's id: only whether the row exists needs reading, not the person.
            found = try exists.exists(id) ? (id, Trainee.code(for: id)) : nil
        } else {
            found = try LubanDatabase.trainee(reference, db).map { ($0.id!, $0.code) }
        }
        byReference[reference] = .some(found)
        return found
    }

    /// Whether the trainee is enrolled in the cohort (its enrolment read once).
    mutating func isEnrolled(_ trainee: Int64, in cohort: Int64) throws -> Bool {
        if let members = enrolled[cohort] { return members.contains(trainee) }
        if enrolled.count >= 1_000 { enrolled.removeAll(keepingCapacity: true) }
        let members = Set(try Int64.fetchAll(db.cachedStatement(sql: "SELECT trainee_id FROM enrolment WHERE cohort_id = ?"), arguments: [cohort]))
        enrolled[cohort] = members
        return members.contains(trainee)
    }

}

extension Views {
    /// Verdicts, with when the expert assessed and whether one was voided.
    public static func signOffs(_ rows: [(SignOff, Trainee)]) -> Table {
        Table(
            columns: [
                .init("trainee", "学员 trainee"), .init("name", "姓名 name"), .init("technique", "技艺 technique"), .init("result", "结果 result"),
                .init("expert", "专家 expert"), .init("assessed_on", "考核日期 assessed"), .init("note", "备注 note"),
                .init("voided", "作废 voided"),
            ],
            rows: rows.map { v, t in
                [
                    .text(t.code), .text(t.name), .text(v.technique), .word(v.result.rawValue, zh: v.result.chinese), .text(v.expert),
                    .text(v.assessedOn?.description ?? String(v.recordedAt.prefix(10))), .text(v.note),
                    .text(v.voidedOn.map { "\($0): \(v.voidReason ?? "")" } ?? ""),
                ]
            })
    }
}

// MARK: - Writing the signoff table (its owner)

extension SignOff {
    /// Carries an expert's corrected name to every verdict they gave, in the caller's transaction.
    static func renameExpert(_ expertID: Int64, to name: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE signoff SET expert = ? WHERE expert_id = ?", arguments: [name, expertID])
    }
}
