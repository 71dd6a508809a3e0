import GRDB

// MARK: - Cohorts

extension LubanDatabase {
    /// Adds a cohort. With no `curriculumID`, the one loaded curriculum is used.
    @discardableResult
    public func addCohort(code: String, start: CalendarDate, end: CalendarDate, site: String, title: String? = nil, curriculumID: String? = nil) throws(LubanError) -> Cohort {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, !code.contains(where: { $0.isWhitespace || $0 == "," }) else {
            throw .invalidValue(what: "cohort code", text: code, expected: "a short code without spaces or commas, e.g. 2014-1")
        }
        guard end >= start else { throw .cohortDates(code: code, start: start, end: end) }
        guard !site.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidValue(what: "site", text: site, expected: "the place the cohort is held, e.g. 承德")
        }
        let curriculumID = try resolveCurriculumID(curriculumID)
        return try write("cohort add", detail: code) { db in
            if try Cohort.filter(Cohort.Columns.code == code).fetchCount(db) > 0 { throw LubanError.cohortExists(code) }
            var cohort = Cohort(id: nil, code: code, title: title?.nilIfBlank, curriculumId: curriculumID, startDate: start, endDate: end, site: site)
            try cohort.insert(db)
            return cohort
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
        try Cohort.filter(Cohort.Columns.code == code.trimmingCharacters(in: .whitespaces)).fetchOne(db)
    }

    /// The trainees enrolled in `cohort`, by code.
    public func roster(_ cohort: Cohort) throws(LubanError) -> [Trainee] {
        try read { db in
            try Trainee.fetchAll(db, sql: """
                SELECT t.* FROM trainee t JOIN enrolment e ON e.trainee_id = t.id
                WHERE e.cohort_id = ? ORDER BY t.id
                """, arguments: [cohort.id])
        }
    }
}

extension String {
    /// nil for an empty or all-space string.
    public var nilIfBlank: String? {
        trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self
    }
}
