import Foundation
import GRDB

// MARK: - Detail views that need the records

extension LubanDatabase {
    /// The default database: `$LUBAN_DB`, else `~/.local/share/luban/luban.sqlite` (XDG data home).
    public static func defaultPath() -> String {
        if let p = ProcessEnvironment.nonEmpty("LUBAN_DB") { return p }
        let home = ProcessEnvironment.nonEmpty("HOME") ?? NSHomeDirectory()
        let data = ProcessEnvironment.nonEmpty("XDG_DATA_HOME") ?? (home as NSString).appendingPathComponent(".local/share")
        return (data as NSString).appendingPathComponent("luban/luban.sqlite")
    }

    /// A session with its cohort, curriculum and roster: what a roll-call sheet prints.
    public func rollCall(session reference: String) throws(LubanError) -> (Session, Cohort, Curriculum, [Trainee]) {
        let session = try session(reference)
        if let on = session.cancelledOn { throw .refused(Self.cancelledMessage(session.id!, on.description)) }
        let cohort = try cohort(of: session)
        let curriculum = try read { db in try Self.curriculum(ofCohort: cohort.id!, db) }
        // Who is on the sheet: everyone enrolled, less those who withdrew by the session's day.
        let roster = try read { db in
            try Trainee.fetchAll(
                db,
                sql: """
                    SELECT t.* FROM trainee t JOIN enrolment e ON e.trainee_id = t.id
                    WHERE e.cohort_id = ? AND (e.withdrawn_on IS NULL OR e.withdrawn_on > ?) ORDER BY t.id
                    """, arguments: [cohort.id, session.date])
        }
        return (session, cohort, curriculum, roster)
    }

    /// Enrolment and session counts per cohort.
    public func cohortCounts() throws(LubanError) -> [Int64: (trainees: Int, sessions: Int)] {
        try read { db in
            var counts: [Int64: (Int, Int)] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, (SELECT count(*) FROM enrolment WHERE cohort_id = c.id), (SELECT count(*) FROM session WHERE cohort_id = c.id) FROM cohort c
                    """)
            { counts[row[0]] = (row[1], row[2]) }
            return counts
        }
    }

    /// `luban cohort show`: details, schedule summary, and the roster with each trainee's progress.
    public func cohortDetails(_ code: String, format: OutputFormat, showID: Bool) throws(LubanError) -> String {
        let cohort = try cohort(code)
        let roster = try roster(cohort)
        let (schedule, progress) = try read { db in
            try Self.cohortProgress(cohortID: cohort.id!, curriculum: try Self.curriculum(ofCohort: cohort.id!, db), includingWithdrawn: true, db)
        }
        var table = Views.trainees(roster, showID: showID)
        let p = Views.progress(
            roster.map { ($0.code, progress[$0.id!] ?? CohortProgress(traineeID: $0.id!, cohortID: cohort.id!)) },
            firstColumn: .init("trainee", "学员"))
        table.columns += p.columns.dropFirst()
        for i in table.rows.indices { table.rows[i] += p.rows[i].dropFirst() }
        if format == .xlsx || format == .pdf { throw .workbookIsForListings }
        if format != .text { return table.render(format) }
        var out = "期 Cohort \(cohort.label)\n"
        out +=
            "dates: \(cohort.startDate) to \(cohort.endDate)   site: \(Visible.text(cohort.site))   curriculum: \(cohort.curriculumId) revision \(cohort.curriculumRevision ?? 0)\n"
        out +=
            "scheduled: \(schedule.sessions.count) sessions; "
            + SessionKind.allCases.map { "\($0.rawValue) \(Hours.format(schedule.hours($0))) h" }.joined(separator: ", ") + "\n"
        out += "roster: \(roster.count) trainees\n\n"
        table.columns.removeSubrange(3...5)
        table.rows = table.rows.map {
            var r = $0
            r.removeSubrange(3...5)
            return r
        }
        return out + table.text()
    }

    /// `luban trainee show`: details, then per cohort what the trainee did, then certificates.
    public func traineeDetails(_ reference: String, format: OutputFormat, showID: Bool) throws(LubanError) -> String {
        let t = try transcript(reference)
        let progress = Views.progress(t.lines.map { ($0.cohort.code, $0.progress) }, firstColumn: .init("cohort", "期 cohort"))
        if format == .xlsx || format == .pdf { throw .workbookIsForListings }
        if format != .text {
            var table = progress
            table.columns.insert(.init("trainee", "学员"), at: 0)
            table.rows = table.rows.map { [.text(t.trainee.code)] + $0 }
            return table.render(format)
        }
        let p = t.trainee
        var out = "学员 \(p.label)\n"
        out +=
            "ID number: \(p.idNumberShown(showID))   employer: \(Visible.text(p.employer ?? ""))   craft: \(Visible.text(p.craft ?? ""))   phone: \(p.phoneShown(showID))\n"
        if let f = p.forgottenOn { out += "details erased on request on \(f)\n" }
        for c in try traineeChanges(p.code) {
            out += "corrected \(Timestamp.local(c.at)) by \(c.user): \(c.field) \(Visible.text(c.before)) → \(Visible.text(c.after))\n"
        }
        out += "\n" + progress.text()
        let certs = t.lines.flatMap(\.certificates)
        out +=
            "\ncertificates: "
            + (certs.isEmpty ? "none" : certs.map { "\($0.number) \($0.tier)\($0.status == .revoked ? " (revoked)" : "")" }.joined(separator: ", "))
            + "\n"
        return out
    }
}
