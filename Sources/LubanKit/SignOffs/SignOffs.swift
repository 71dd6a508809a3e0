import GRDB

// MARK: - Sign-offs

/// What recording verdicts did.
public struct SignOffResultCount: Sendable, Equatable {
    public var recorded = 0
    public var unchanged = 0
}

extension LubanDatabase {
    /// Records an expert's verdict. A later verdict for the same trainee, cohort and technique
    /// supersedes the earlier one, which stays in the history; the same verdict again adds nothing.
    @discardableResult
    public func signOff(cohort code: String, trainee reference: String, technique: String, expert: String, result: SignOffResult, note: String = "") throws(LubanError) -> SignOffResultCount {
        try write("signoff", detailOf: { (r: (SignOffResultCount, String)) in "\(code) \(r.1) \(technique) \(result.rawValue)" }) { db in
            guard let cohort = try Self.cohort(code, db) else { throw LubanError.unknownCohort(code) }
            guard let trainee = try Self.trainee(reference, db) else { throw LubanError.unknownTrainee(reference) }
            let curriculum = try Self.curriculum(ofCohort: cohort.id!, db)
            var count = SignOffResultCount()
            try Self.recordSignOff(cohort: cohort, trainee: (trainee.id!, trainee.code), technique: technique, expert: expert, result: result,
                                   note: note, curriculum: curriculum, user: user, db, into: &count)
            return (count, trainee.code)
        }.0
    }

    /// Imports verdicts (`trainee,technique,expert,result` plus optional `note`), all or none.
    /// With no `cohort`, each row names its own in a `cohort` column.
    public func importSignOffs(cohort code: String?, _ reader: CSVReader) throws(LubanError) -> SignOffResultCount {
        let file = reader.name
        let columns = try CSVColumns(reader: reader, required: ["trainee", "technique", "expert", "result"] + (code == nil ? ["cohort"] : []),
                                     optional: ["note", "cohort"])
        return try write("signoff import", detail: "\(code ?? "cohorts in file"): \(file)") { db in
            var cohorts = CohortCache(db: db)
            if let code, try cohorts.cohort(code) == nil { throw LubanError.unknownCohort(code) }
            var findings = Findings(file: file)
            var count = SignOffResultCount()
            var trainees = TraineeLookup(db: db)
            while try reader.next() {
                let line = reader.line
                let rowCohort = try code ?? reader.value("cohort", in: columns)
                guard let (cohort, curriculum) = try cohorts.cohort(rowCohort) else {
                    findings.add(line, "no cohort '\(rowCohort)'")
                    continue
                }
                let ref = try reader.value("trainee", in: columns)
                let resultText = try reader.value("result", in: columns)
                guard let result = SignOffResult(word: resultText) else {
                    findings.add(line, "result '\(resultText)' is not pass or fail (通过, 不通过)")
                    continue
                }
                guard let trainee = try trainees.trainee(ref) else {
                    findings.add(line, "no trainee '\(ref)'; use the trainee code (T00042) or ID number")
                    continue
                }
                do {
                    try Self.recordSignOff(cohort: cohort, trainee: trainee, enrolled: try trainees.isEnrolled(trainee.id, in: cohort.id!),
                                           technique: try reader.value("technique", in: columns),
                                           expert: try reader.value("expert", in: columns), result: result,
                                           note: try reader.value("note", in: columns), curriculum: curriculum, user: user, db, into: &count)
                } catch let error as LubanError {
                    if case .fileRefused = error { throw error }
                    findings.add(line, error.errorDescription ?? "\(error)")
                }
            }
            try findings.throwIfAny()
            return count
        }
    }

    /// Records one verdict for `trainee` (row id and code); `enrolled` is looked up when not given.
    static func recordSignOff(cohort: Cohort, trainee: (id: Int64, code: String), enrolled: Bool? = nil,
                              technique rawTechnique: String, expert rawExpert: String, result: SignOffResult,
                              note: String, curriculum: Curriculum, user: String, _ db: Database, into count: inout SignOffResultCount) throws {
        let technique = rawTechnique.trimmed
        let expert = try FieldText.oneLine(rawExpert, what: "expert").trimmed
        guard curriculum.techniques.contains(technique) else { throw LubanError.unknownTechnique(technique, known: curriculum.techniques) }
        guard !expert.isEmpty else { throw LubanError.invalidValue(what: "expert", text: expert, expected: "the name of the expert who judged the practice") }
        try FieldText.check(note, what: "note", lineBreaks: true)
        guard try enrolled ?? isEnrolled(traineeID: trainee.id, cohortID: cohort.id!, db) else {
            throw LubanError.notEnrolled(trainee: trainee.code, cohort: cohort.code)
        }
        let latest = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT result, expert, note FROM signoff WHERE trainee_id = ? AND cohort_id = ? AND technique = ? ORDER BY id DESC LIMIT 1
            """), arguments: [trainee.id, cohort.id, technique])
        if let latest, latest[0] == result.rawValue, latest[1] == expert, (note.isEmpty || latest[2] == note) {
            count.unchanged += 1
            return
        }
        try db.cachedStatement(sql: """
            INSERT INTO signoff (cohort_id, trainee_id, technique, expert, result, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [cohort.id, trainee.id, technique, expert, result.rawValue, note, Timestamp.now(), user])
        count.recorded += 1
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
