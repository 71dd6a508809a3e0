import GRDB

// MARK: - Sign-offs

extension LubanDatabase {
    /// Records an expert's verdict. A later verdict for the same trainee, cohort and technique
    /// supersedes the earlier one, which stays in the history; the same verdict again adds nothing.
    @discardableResult
    public func signOff(
        cohort code: String, trainee reference: String, technique: String, expert: String, result: SignOffResult,
        note: String = ""
    ) throws(LubanError) -> (result: ImportResult, trainee: String) {
        try write("signoff", detailOf: { (r: (ImportResult, String)) in "\(code) \(r.1) \(technique) \(result.rawValue)" }) { db in
            guard let cohort = try Self.cohort(code, db) else { throw LubanError.unknownCohort(code) }
            guard let trainee = try Self.trainee(reference, db) else { throw LubanError.unknownTrainee(reference) }
            let curriculum = try Self.curriculum(ofCohort: cohort.id!, db)
            var count = ImportResult()
            try Self.recordSignOff(
                cohort: cohort, trainee: (trainee.id!, trainee.code), technique: technique, expert: expert, result: result,
                note: note, curriculum: curriculum, user: user, db, into: &count)
            return (count, trainee.code)
        }
    }

    /// Imports verdicts (`trainee,technique,expert,result` plus optional `note`), all or none.
    /// With no `cohort`, each row names its own in a `cohort` column.
    public func importSignOffs(cohort code: String?, _ reader: CSVReader) throws(LubanError) -> ImportResult {
        var cohorts: CohortCache!
        var trainees: TraineeLookup!
        return try importFile(
            "signoff import", cohort: code, reader,
            required: ["trainee", "technique", "expert", "result"] + (code == nil ? ["cohort"] : []), optional: ["note", "cohort"],
            prepare: { db, _ in
                cohorts = CohortCache(db: db)
                trainees = TraineeLookup(db: db)
                if let code, try cohorts.cohort(code) == nil { throw LubanError.unknownCohort(code) }
            }
        ) { row, result, _ in
            let rowCohort = try code ?? row.value("cohort")
            guard let (cohort, curriculum) = try cohorts.cohort(rowCohort) else { throw LubanError.unknownCohort(rowCohort) }
            let ref = try row.value("trainee")
            let resultText = try row.value("result")
            guard let verdict = SignOffResult(word: resultText) else {
                throw LubanError.refused("result '\(excerpt(resultText))' is not pass or fail (通过, 不通过)")
            }
            guard let trainee = try trainees.trainee(ref) else { throw LubanError.unknownTrainee(ref) }
            try Self.recordSignOff(
                cohort: cohort, trainee: trainee, enrolled: try trainees.isEnrolled(trainee.id, in: cohort.id!),
                technique: try row.value("technique"), expert: try row.value("expert"), result: verdict,
                note: try row.value("note"), curriculum: curriculum, user: user, row.db, into: &result)
        }
    }

    /// Records one verdict for `trainee` (row id and code); `enrolled` is looked up when not given.
    static func recordSignOff(
        cohort: Cohort, trainee: (id: Int64, code: String), enrolled: Bool? = nil,
        technique rawTechnique: String, expert rawExpert: String, result: SignOffResult,
        note: String, curriculum: Curriculum, user: String, _ db: Database, into count: inout ImportResult
    ) throws {
        let technique = rawTechnique.trimmed
        let expert = try FieldText.oneLine(rawExpert, what: "expert").trimmed
        guard curriculum.techniques.contains(technique) else { throw LubanError.unknownTechnique(technique, known: curriculum.techniques) }
        guard !expert.isEmpty else {
            throw LubanError.invalidValue(what: "expert", text: expert, expected: "the name of the expert who judged the practice")
        }
        try FieldText.check(note, what: "note", lineBreaks: true)
        guard try enrolled ?? isEnrolled(traineeID: trainee.id, cohortID: cohort.id!, db) else {
            throw LubanError.notEnrolled(trainee: trainee.code, cohort: cohort.code)
        }
        let latest = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT result, expert, note FROM signoff WHERE trainee_id = ? AND cohort_id = ? AND technique = ? ORDER BY id DESC LIMIT 1
                    """), arguments: [trainee.id, cohort.id, technique])
        if let latest, latest[0] == result.rawValue, latest[1] == expert, note.isEmpty || latest[2] == note {
            count.unchanged += 1
            return
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO signoff (cohort_id, trainee_id, technique, expert, result, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [cohort.id, trainee.id, technique, expert, result.rawValue, note, Timestamp.now(), user])
        count.recorded += 1
        if latest != nil { count.corrected += 1 }
    }
}

/// Trainees and enrolments as one import meets them, kept for the rows that follow (a file lists
/// a trainee's verdicts together): bounded, whatever the file's size.
struct TraineeLookup {
    let db: Database
    private var byReference: [String: (id: Int64, code: String)?] = [:]
    private var enrolled: [Int64: Set<Int64>] = [:]

    init(db: Database) { self.db = db }

    /// The trainee a code or ID number names, or nil.
    mutating func trainee(_ reference: String) throws -> (id: Int64, code: String)? {
        if let known = byReference[reference] { return known }
        if byReference.count >= 10_000 { byReference.removeAll(keepingCapacity: true) }
        let found = try LubanDatabase.trainee(reference, db).map { ($0.id!, $0.code) }
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
