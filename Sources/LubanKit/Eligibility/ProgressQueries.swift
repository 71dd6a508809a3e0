import GRDB

// MARK: - Reading progress

extension LubanDatabase {
    /// The schedule of a cohort and the record of each enrolled trainee in it.
    /// What each trainee of a cohort did there: the one definition of hours per enrolment and
    /// techniques passed, read by eligibility, certify and `check` (trainees still enrolled: a
    /// withdrawn trainee is not judged) and by the transcript, `trainee show` and `cohort show`
    /// (`includingWithdrawn`: what a withdrawn or transferred trainee attended before stays theirs).
    static func cohortProgress(cohortID: Int64, curriculum: Curriculum, includingWithdrawn: Bool = false, _ db: Database) throws -> (
        CohortSchedule, [Int64: CohortProgress]
    ) {
        // A cancelled session is in no rule.
        let sessions = try Session.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM session WHERE cohort_id = ? AND cancelled_on IS NULL ORDER BY date, id"), arguments: [cohortID])
        let schedule = CohortSchedule(sessions: sessions)
        var progress: [Int64: CohortProgress] = [:]
        for tid in try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT trainee_id FROM enrolment WHERE cohort_id = ?1 AND (?2 OR withdrawn_on IS NULL)"),
            arguments: [cohortID, includingWithdrawn])
        {
            progress[tid] = CohortProgress(traineeID: tid, cohortID: cohortID)
        }
        var attended: [Int64: Set<Int64>] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT a.trainee_id, a.session_id, s.kind, s.hours FROM attended a JOIN session s ON s.id = a.session_id
                    WHERE s.cohort_id = ?
                    """), arguments: [cohortID])
        while let row = try rows.next() {
            let tid: Int64 = row[0]
            guard progress[tid] != nil, let kind = SessionKind(rawValue: row[2]) else { continue }
            attended[tid, default: []].insert(row[1])
            progress[tid]!.hours[kind, default: 0] += row[3] as Double
            progress[tid]!.sessions[kind, default: 0] += 1
        }
        let passed = try latestPasses(cohortID: cohortID, db)
        for tid in progress.keys {
            let mine = attended[tid] ?? []
            progress[tid]!.missedFieldSessions = schedule.fieldSessions.filter { !mine.contains($0.id!) }
            let p = passed[tid] ?? []
            progress[tid]!.techniquesPassed = Self.ordered(p, by: curriculum)
        }
        return (schedule, progress)
    }

    /// Techniques whose newest verdict in the cohort is `pass`, per trainee.
    static func latestPasses(cohortID: Int64, _ db: Database) throws -> [Int64: Set<String>] {
        var passed: [Int64: Set<String>] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT s.trainee_id, s.technique FROM signoff s
                    WHERE s.cohort_id = ? AND s.result = 'pass'
                      AND s.voided_on IS NULL
                      AND s.id = (SELECT max(id) FROM signoff l WHERE l.cohort_id = s.cohort_id AND l.trainee_id = s.trainee_id AND l.technique = s.technique
                                  AND l.voided_on IS NULL)
                    """), arguments: [cohortID])
        while let row = try rows.next() { passed[row[0], default: []].insert(row[1]) }
        return passed
    }

    /// A trainee's record over all cohorts.
    static func cumulativeProgress(traineeID: Int64, curriculum: Curriculum, asOf: CalendarDate? = nil, _ db: Database) throws
        -> CumulativeProgress
    {
        // `asOf`: what the records gave on that day (sessions held and verdicts given by then),
        // as a certificate issued that day was given it.
        var hours: [SessionKind: Double] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT s.kind, sum(s.hours) FROM enrolment e JOIN session s ON s.cohort_id = e.cohort_id
                    JOIN attended a ON a.session_id = s.id AND a.trainee_id = e.trainee_id
                    WHERE e.trainee_id = ?1 AND (?2 IS NULL OR s.date <= ?2) GROUP BY s.kind
                    """), arguments: [traineeID, asOf?.description])
        {
            if let kind = SessionKind(rawValue: row[0]) { hours[kind] = row[1] }
        }
        let techniques = try String.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT DISTINCT s.technique FROM signoff s
                    WHERE s.trainee_id = ?1 AND s.result = 'pass'
                      AND s.voided_on IS NULL
                      AND s.id = (SELECT max(id) FROM signoff l WHERE l.cohort_id = s.cohort_id AND l.trainee_id = s.trainee_id AND l.technique = s.technique
                                  AND l.voided_on IS NULL AND (?2 IS NULL OR coalesce(l.assessed_on, substr(l.recorded_at, 1, 10)) <= ?2))
                    """), arguments: [traineeID, asOf?.description])
        var certificates: [String: Set<Int64>] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT tier, cohort_id FROM certificate WHERE trainee_id = ? AND status = 'valid'"), arguments: [traineeID])
        {
            certificates[row[0], default: []].insert(row[1])
        }
        return CumulativeProgress(hours: hours, techniquesPassed: ordered(Set(techniques), by: curriculum), certificateCohorts: certificates)
    }

    /// Techniques in the curriculum's order, any others after them by name.
    static func ordered(_ techniques: Set<String>, by curriculum: Curriculum) -> [String] {
        let known = curriculum.techniques.filter(techniques.contains)
        return known + techniques.subtracting(known).sorted()
    }
}
