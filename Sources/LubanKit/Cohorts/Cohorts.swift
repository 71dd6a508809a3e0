import GRDB

// MARK: - Cohorts

extension LubanDatabase {
    /// Adds a cohort. With no `curriculumID`, the one loaded curriculum is used.
    @discardableResult
    public func addCohort(code: String, start: CalendarDate, end: CalendarDate, site: String, title: String? = nil, curriculumID: String? = nil)
        throws(LubanError) -> Cohort
    {
        var cohort = try Self.checkedCohort(
            code: code, start: start, end: end, site: site, title: title, curriculumID: try resolveCurriculumID(curriculumID))
        return try write("cohort add", detail: cohort.code) { db in
            if try Self.cohort(cohort.code, db) != nil { throw LubanError.cohortExists(cohort.code) }
            try cohort.insert(db)
            return cohort
        }
    }

    /// A cohort whose code, dates and site are checked (not yet stored).
    static func checkedCohort(code rawCode: String, start: CalendarDate, end: CalendarDate, site: String, title: String?, curriculumID: String)
        throws(LubanError) -> Cohort
    {
        let code = rawCode.trimmed
        guard !code.isEmpty, !code.contains(where: { $0.isWhitespace || $0 == "," }) else {
            throw .invalidValue(
                what: "cohort code", text: code,
                expected: Phrase(zh: "不含空格和逗号的简短编号，例如 2014-1", en: "a short code without spaces or commas, e.g. 2014-1"))
        }
        if let problem = FieldText.cohortCodeProblem(code) { throw .refused(problem) }
        guard end >= start else { throw .cohortDates(code: code, start: start, end: end) }
        let site = try FieldText.oneLine(site, what: "site").trimmed
        let title = try title.map { t throws(LubanError) in try FieldText.oneLine(t, what: "title") }
        guard !site.isEmpty else {
            throw .invalidValue(what: "site", text: site, expected: Phrase(zh: "本期举办地点，例如 承德", en: "the place the cohort is held, e.g. 承德"))
        }
        return Cohort(id: nil, code: code, title: title?.nilIfBlank, curriculumId: curriculumID, startDate: start, endDate: end, site: site)
    }

    /// Imports cohorts (`code,start,end,site` plus optional `title,curriculum`), all or none; a
    /// cohort already there with the same details is not added again.
    public func importCohorts(_ reader: CSVReader) throws(LubanError) -> ImportResult {
        let loaded = try curricula().map(\.curriculum.id)
        return try importFile("cohort import", reader, required: ["code", "start", "end", "site"], optional: ["title", "curriculum"]) {
            row, result, _ in
            var curriculum = row.value("curriculum")
            if curriculum.isEmpty {
                guard loaded.count == 1 else { throw loaded.isEmpty ? LubanError.noCurriculum : LubanError.ambiguousCurriculum(loaded) }
                curriculum = loaded[0]
            }
            guard loaded.contains(curriculum) else { throw LubanError.unknownCurriculum(curriculum) }
            var cohort = try Self.checkedCohort(
                code: row.value("code"),
                start: try CalendarDate.parse(row.value("start"), what: "start"),
                end: try CalendarDate.parse(row.value("end"), what: "end"),
                site: row.value("site"), title: row.value("title"), curriculumID: curriculum)
            if var existing = try Self.cohort(cohort.code, row.db) {
                existing.id = nil
                existing.curriculumRevision = nil
                guard existing == cohort else {
                    throw LubanError.conflict(
                        zh: "期次编号 \(cohort.code) 已用于另一组信息；请换一个编号",
                        en: "cohort code \(cohort.code) is already used with other details; choose another code")
                }
                result.unchanged += 1
                return
            }
            if row.mayWrite { try cohort.insert(row.db) }
            result.recorded += 1
        }
    }

    /// The given curriculum (checked), or the only one loaded.
    func resolveCurriculumID(_ id: String?) throws(LubanError) -> String {
        let loaded = try curricula().map(\.curriculum.id)
        if let id {
            guard loaded.contains(id) else { throw .unknownCurriculum(id) }
            return id
        }
        guard let only = loaded.first else { throw .noCurriculum }
        guard loaded.count == 1 else { throw .ambiguousCurriculum(loaded) }
        return only
    }

    /// All cohorts, oldest first.
    public func cohorts() throws(LubanError) -> [Cohort] {
        try read { db in try Cohort.order(Cohort.Columns.startDate, Cohort.Columns.code).fetchAll(db) }
    }

    /// The cohort with `code`, or an error that says how to find or add it.
    public func cohort(_ code: String) throws(LubanError) -> Cohort {
        guard let cohort = try read({ db in try Self.cohort(code, db) }) else { throw .unknownCohort(code) }
        return cohort
    }

    static func cohort(_ code: String, _ db: Database) throws -> Cohort? {
        try Cohort.fetchOne(db.cachedStatement(sql: "SELECT * FROM cohort WHERE code = ?"), arguments: [code.trimmed])
    }

    /// The trainees enrolled in `cohort`, by code.
    public func roster(_ cohort: Cohort) throws(LubanError) -> [Trainee] {
        try read { db in
            try Trainee.fetchAll(
                db,
                sql: """
                    SELECT t.* FROM trainee t JOIN enrolment e ON e.trainee_id = t.id
                    WHERE e.cohort_id = ? ORDER BY t.id
                    """, arguments: [cohort.id])
        }
    }
}

extension String {
    /// nil for an empty or all-space string.
    public var nilIfBlank: String? {
        trimmed.isEmpty ? nil : self
    }
}

// MARK: - Writing the cohort table (its owner)

extension Cohort {
    /// Puts a cohort under one revision of its curriculum, in the caller's transaction.
    static func pin(cohortID: Int64, toRevision revision: Int, _ db: Database) throws {
        try db.execute(sql: "UPDATE cohort SET curriculum_revision = ? WHERE id = ?", arguments: [revision, cohortID])
    }
}
