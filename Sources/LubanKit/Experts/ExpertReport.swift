import GRDB

// MARK: - Each master's account

/// One row of `luban report experts`: an expert's teaching and assessing in a year (or month).
public struct ExpertRow: Sendable, Equatable {
    public var code: String
    public var name: String
    public var period: String
    public var sessions = 0
    public var hours: [SessionKind: Double] = [:]
    public var trainees = 0
    public var passes = 0
    public var fails = 0
    /// Per technique: verdicts given, passed and failed.
    public var byTechnique: [(technique: String, passes: Int, fails: Int)] = []
    /// What the office owes for the period, in fen: for teaching (each session's hours at the
    /// rate in force for its kind on its day) and for assessing (each verdict at the rate in
    /// force on its day); and how many sessions and verdicts had no rate to price them.
    public var teachingFee = 0
    public var assessmentFee = 0
    public var unpriced = 0
    public var fee: Int { teachingFee + assessmentFee }

    public static func == (a: ExpertRow, b: ExpertRow) -> Bool {
        a.code == b.code && a.period == b.period && a.sessions == b.sessions && a.hours == b.hours && a.trainees == b.trainees
            && a.passes == b.passes && a.fails == b.fails && a.teachingFee == b.teachingFee && a.assessmentFee == b.assessmentFee
            && a.unpriced == b.unpriced
            && a.byTechnique.map { "\($0.technique) \($0.passes)/\($0.fails)" }
                == b.byTechnique.map { "\($0.technique) \($0.passes)/\($0.fails)" }
    }
}

/// What the office pays experts by, and what a master reports to heritage bodies.
public enum ExpertReport {
    public static let definitions = Phrase(
        zh: """
            定义（统计期为公历年；用 --by month 时为月）：
            - 课次，课堂/实地/演示学时：由该专家主讲（课次的专家）、日期在统计期内、未取消的课次及其排定学时。
            - 人数：在这些课次中至少出勤（出勤或迟到）一次的不同学员。
            - 通过、未通过，按技艺：该专家给出、考核日期在统计期内（未填考核日期时按录入日）、未作废的考核结果。
            - 授课金额：上述每个课次的学时 × 该专家在课次当日适用的该形式每小时费率（专家本人的费率优先，
              否则为全部专家的费率），按课次四舍五入到分后相加；考核金额：上述每条考核结果 × 考核当日适用的
              每条考核费率；金额 = 两者之和（元）。未定费率：没有适用费率、未计入金额的课次与考核结果数
              （费率用 `luban expert rate` 设定）。
            每个数字都可以从 `luban export` 的导出重新算出（见 README“Recomputing the figures”）。
            """,
        en: """
            Definitions (a period is a calendar year, or a month with --by month):
            - sessions, classroom/field/demonstration hours: sessions the expert leads (the session's
              expert), dated in the period, not cancelled, and their scheduled hours.
            - trainees: distinct trainees who attended (present or late) at least one of those sessions.
            - passes, fails, by technique: verdicts the expert gave, assessed in the period (the day
              recorded when no assessment day was given), not voided.
            - teaching fee: for each of those sessions, its hours × the expert's hourly rate for its
              kind in force on its day (the expert's own rate first, else the rate for every
              expert), rounded to the fen per session, summed; assessment fee: each of those
              verdicts × the rate per verdict in force on its day; fee: the two together, in yuan.
              unpriced: the sessions and verdicts with no rate in force, left out of the amounts
              (rates are set with `luban expert rate`).
            Every figure can be recomputed from `luban export` (see README, "Recomputing the figures").
            """)

    /// The rows for every expert with anything in a period: one year (`year`), all years, or the
    /// months of the year(s) (`byMonth`); one expert only when `expert` is given.
    public static func rows(_ database: LubanDatabase, year: Int? = nil, byMonth: Bool = false, expert: String? = nil) throws(LubanError)
        -> [ExpertRow]
    {
        let only = try expert.map { e throws(LubanError) in try database.expert(e).id! }
        let width = byMonth ? 7 : 4
        return try database.read { db in
            var rows: [String: ExpertRow] = [:]
            func key(_ code: String, _ period: String) -> String { code + " " + period }
            func filter(_ dateColumn: String) -> String {
                "(?1 IS NULL OR substr(\(dateColumn), 1, 4) = ?1) AND (?2 IS NULL OR e.id = ?2)"
            }
            let args: StatementArguments = [year.map(String.init), only]
            func row(_ r: Row) -> ExpertRow {
                let k = key(r[0], r[2])
                return rows[k] ?? ExpertRow(code: r[0], name: r[1], period: r[2])
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.code, e.name, substr(s.date, 1, \(width)), count(*), total(CASE s.kind WHEN 'classroom' THEN s.hours END),
                           total(CASE s.kind WHEN 'field' THEN s.hours END), total(CASE s.kind WHEN 'demonstration' THEN s.hours END),
                           sum(CAST(coalesce(round(s.hours * s.rate), 0) AS INTEGER)), sum(s.rate IS NULL)
                    FROM (SELECT *, \(LubanDatabase.feeRateSQL(kind: "session.kind", expert: "session.expert_id", date: "session.date")) AS rate FROM session) s
                    JOIN expert e ON e.id = s.expert_id
                    WHERE s.cancelled_on IS NULL AND \(filter("s.date")) GROUP BY e.id, 3
                    """, arguments: args)
            {
                var x = row(r)
                x.sessions = r[3]
                x.hours = [.classroom: r[4], .field: r[5], .demonstration: r[6]]
                x.teachingFee = r[7]
                x.unpriced += r[8]
                rows[key(r[0], r[2])] = x
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.code, e.name, substr(s.date, 1, \(width)), count(DISTINCT a.trainee_id)
                    FROM attended a JOIN session s ON s.id = a.session_id JOIN expert e ON e.id = s.expert_id
                    WHERE \(filter("s.date")) GROUP BY e.id, 3
                    """, arguments: args)
            {
                var x = row(r)
                x.trainees = r[3]
                rows[key(r[0], r[2])] = x
            }
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT e.code, e.name, substr(coalesce(v.assessed_on, v.recorded_at), 1, \(width)), v.technique,
                           sum(v.result = 'pass'), sum(v.result = 'fail'), sum(coalesce(v.rate, 0)), sum(v.rate IS NULL)
                    FROM (SELECT *, \(LubanDatabase.feeRateSQL(kind: "'assessment'", expert: "signoff.expert_id", date: "substr(coalesce(signoff.assessed_on, signoff.recorded_at), 1, 10)"))
                          AS rate FROM signoff) v
                    JOIN expert e ON e.id = v.expert_id
                    WHERE v.voided_on IS NULL AND \(filter("coalesce(v.assessed_on, v.recorded_at)")) GROUP BY e.id, 3, v.technique ORDER BY e.id, 3, v.technique
                    """, arguments: args)
            {
                var x = row(r)
                x.passes += r[4]
                x.fails += r[5]
                x.byTechnique.append((r[3], r[4], r[5]))
                x.assessmentFee += r[6]
                x.unpriced += r[7]
                rows[key(r[0], r[2])] = x
            }
            return rows.values.sorted { ($0.code, $0.period) < ($1.code, $1.period) }
        }
    }

    public static func table(_ rows: [ExpertRow]) -> Table {
        Table(
            columns: [
                .init("expert", "专家 expert"), .init("name", "姓名 name"), .init("period", "期间 period"), .init("sessions", "课次 sessions"),
                .init("classroom_hours", "课堂 h"), .init("field_hours", "实地 h"), .init("demonstration_hours", "演示 h"),
                .init("trainees", "学员 trainees"), .init("passes", "通过 passes"), .init("fails", "未通过 fails"),
                .init("by_technique", "技艺 by technique (pass/fail)"), .init("teaching_fee", "授课金额 teaching fee"),
                .init("assessment_fee", "考核金额 assessment fee"), .init("fee", "金额（元）fee"), .init("unpriced", "未定费率 unpriced"),
            ],
            rows: rows.map { r in
                [
                    .text(r.code), .text(r.name), .text(r.period), .int(r.sessions), .hours(r.hours[.classroom] ?? 0), .hours(r.hours[.field] ?? 0),
                    .hours(r.hours[.demonstration] ?? 0), .int(r.trainees), .int(r.passes), .int(r.fails),
                    .text(r.byTechnique.map { "\($0.technique) \($0.passes)/\($0.fails)" }.joined(separator: "、")), .money(r.teachingFee),
                    .money(r.assessmentFee), .money(r.fee), .int(r.unpriced),
                ]
            })
    }

    public static func text(_ rows: [ExpertRow]) -> String {
        "专家年度统计 Experts' account\n\n" + table(rows).text() + "\n" + definitions.text() + "\n"
    }
}

extension Views {
    /// The registered experts (phone numbers masked unless `showID`).
    public static func experts(_ list: [Expert], showID: Bool) -> Table {
        Table(
            columns: [
                .init("expert", "专家 expert"), .init("name", "姓名 name"), .init("title", "职称 title"), .init("craft", "工种 craft"),
                .init("affiliation", "单位 affiliation"), .init("phone", "电话 phone"), .init("techniques", "考核技艺 techniques"),
            ],
            rows: list.map { e in
                [
                    .text(e.code), .text(e.name), .text(e.title ?? ""), .text(e.craft ?? ""), .text(e.affiliation ?? ""),
                    .text(e.phone.map { showID ? $0 : Mask.phone($0) } ?? ""), .text(e.techniques),
                ]
            })
    }
}
