import GRDB

// MARK: - Counts per employer (工作单位), what the union asks of its member enterprises

/// One employer's figures for one year.
public struct EmployerRow: Sendable, Equatable {
    public var year: String
    /// The trainee's employer as recorded now (empty when none is recorded or it was erased).
    public var employer: String
    public var personTimes = 0
    public var trainees = 0
    public var attendedHours = 0.0
    public var certificates = 0
}

/// The yearly figures split by the trainees' employer: the same definitions as the yearly
/// totals, so that each year's rows add up to that year's totals.
public enum EmployerTotals {
    public static let definitions = Phrase(
        zh: """
            定义（公历年 Y；单位为学员当前登记的工作单位，未登记或已删除者记为“（未登记）”；其余与年度统计相同）：
            - 人次：开始于 Y 年的期次中的报名，且该学员至少出勤一次，按学员的单位计。
            - 人数：在 Y 年日期的课次中至少出勤一次的不同学员。
            - 学时：课次日期在 Y 年的每个出勤（课次，学员）对的学时之和。
            - 证书：Y 年签发且未撤销的证书。
            每一年各单位之和等于该年的年度统计（luban report yearly）。
            """,
        en: """
            Definitions (a calendar year Y; the employer is the one recorded for the trainee now, "(none)"
            when none is recorded or it was erased; otherwise as in the yearly totals):
            - person_times: enrolments in cohorts starting in Y in which the trainee attended at least
              one session, counted under the trainee's employer.
            - trainees: distinct trainees who attended at least one session dated in Y.
            - attended_hours: the hours of every attended (session, trainee) pair dated in Y.
            - certificates: certificates issued in Y that are not revoked.
            Each year's employers add up to that year's yearly totals (luban report yearly).
            """)

    public static func rows(_ database: LubanDatabase, year: Int? = nil) throws(LubanError) -> [EmployerRow] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH employer AS (SELECT id, coalesce(employer, '') AS name FROM trainee)
                    SELECT y, name, sum(pt), sum(tr), total(h), sum(ce) FROM (
                        SELECT substr(c.start_date, 1, 4) AS y, employer.name, count(*) AS pt, 0 AS tr, 0.0 AS h, 0 AS ce
                        FROM enrolment e JOIN cohort c ON c.id = e.cohort_id JOIN employer ON employer.id = e.trainee_id
                        WHERE EXISTS (SELECT 1 FROM attended a JOIN session s ON s.id = a.session_id
                                      WHERE s.cohort_id = e.cohort_id AND a.trainee_id = e.trainee_id)
                        GROUP BY 1, 2
                        UNION ALL
                        SELECT substr(s.date, 1, 4), employer.name, 0, count(DISTINCT a.trainee_id), total(s.hours), 0
                        FROM attended a JOIN session s ON s.id = a.session_id JOIN employer ON employer.id = a.trainee_id
                        GROUP BY 1, 2
                        UNION ALL
                        SELECT substr(issued_on, 1, 4), employer.name, 0, 0, 0.0, count(*)
                        FROM certificate JOIN employer ON employer.id = certificate.trainee_id WHERE status = 'valid'
                        GROUP BY 1, 2
                    ) WHERE ?1 IS NULL OR y = ?1 GROUP BY 1, 2 ORDER BY 1, 2
                    """, arguments: [year.map(String.init)]
            ).map { r in
                EmployerRow(year: r[0], employer: r[1], personTimes: r[2], trainees: r[3], attendedHours: r[4], certificates: r[5])
            }
        }
    }

    /// The table (csv columns are the stable names scripts read).
    public static func table(_ rows: [EmployerRow]) -> Table {
        let none = Phrase(zh: "（未登记）", en: "(none)").text()
        return Table(
            columns: [
                .init("year", "年度 year"), .init("employer", "工作单位 employer"), .init("person_times", "人次 person-times"),
                .init("trainees", "人数 trainees"), .init("attended_hours", "学时 attended h"), .init("certificates", "证书 certificates"),
            ],
            rows: rows.map { r in
                [
                    .text(r.year), .text(r.employer.isEmpty ? none : r.employer), .int(r.personTimes), .int(r.trainees),
                    .hours(r.attendedHours), .int(r.certificates),
                ]
            })
    }

    /// The text report: title, table, definitions.
    public static func text(_ rows: [EmployerRow]) -> String {
        "各单位统计 Counts per employer\n\n" + table(rows).text() + "\n" + definitions.text() + "\n"
    }
}
