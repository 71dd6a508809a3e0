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
        let revision =
            "\(cohort.curriculumId) \(Phrase(zh: "第 \(cohort.curriculumRevision ?? 0) 版", en: "revision \(cohort.curriculumRevision ?? 0)").text())"
        out +=
            Phrase(
                zh: "日期：\(cohort.startDate) 至 \(cohort.endDate)   地点：\(Visible.text(cohort.site))   培养方案：\(revision)",
                en: "dates: \(cohort.startDate) to \(cohort.endDate)   site: \(Visible.text(cohort.site))   curriculum: \(revision)"
            ).text() + "\n"
        let hours = SessionKind.allCases.map { ($0, Hours.format(schedule.hours($0))) }
        out +=
            Phrase(
                zh: "已排：\(schedule.sessions.count) 个课次；" + hours.map { "\($0.0.chinese) \($0.1) 学时" }.joined(separator: "，"),
                en: "scheduled: \(schedule.sessions.count) sessions; " + hours.map { "\($0.0.rawValue) \($0.1) h" }.joined(separator: ", ")
            ).text() + "\n"
        out += Phrase(zh: "学员：\(roster.count) 人", en: "roster: \(roster.count) trainees").text() + "\n\n"
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
            Phrase(
                zh:
                    "身份证号：\(p.idNumberShown(showID))   单位：\(Visible.text(p.employer ?? ""))   工种：\(Visible.text(p.craft ?? ""))   电话：\(p.phoneShown(showID))",
                en:
                    "ID number: \(p.idNumberShown(showID))   employer: \(Visible.text(p.employer ?? ""))   craft: \(Visible.text(p.craft ?? ""))   phone: \(p.phoneShown(showID))"
            ).text() + "\n"
        if let f = p.forgottenOn { out += Phrase(zh: "已应本人要求于 \(f) 删除个人信息", en: "details erased on request on \(f)").text() + "\n" }
        for c in try traineeChanges(p.code) {
            let change = "\(c.field) \(Visible.text(c.before)) → \(Visible.text(c.after))"
            out +=
                Phrase(zh: "\(Timestamp.local(c.at)) 由 \(c.user) 更正：\(change)", en: "corrected \(Timestamp.local(c.at)) by \(c.user): \(change)")
                .text() + "\n"
        }
        out += "\n" + progress.text()
        let certs = t.lines.flatMap(\.certificates)
        let titles = tierTitles()
        let listed = certs.map { c in
            "\(c.number) " + Phrase(zh: titles[c.tier] ?? c.tier, en: c.tier).text()
                + (c.status == .revoked ? Phrase(zh: "（已撤销）", en: " (revoked)").text() : "")
        }
        out +=
            "\n" + Phrase(zh: "证书：", en: "certificates: ").text()
            + (certs.isEmpty ? Phrase(zh: "无", en: "none").text() : listed.joined(separator: Phrase(zh: "，", en: ", ").text())) + "\n"
        return out
    }
}
