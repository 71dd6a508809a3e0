import GRDB

// MARK: - Yearly totals for the union

/// One row of the yearly report (DOMAIN.md "Definitions the figures follow").
public struct YearlyRow: Sendable, Equatable {
    /// `2014`, or `total`.
    public var year: String
    public var cohorts = 0
    public var sessions = 0
    public var hours: [SessionKind: Double] = [.classroom: 0, .field: 0, .demonstration: 0]
    public var personTimes = 0
    public var trainees = 0
    public var attendedHours = 0.0
    public var certificates = 0

    public init(year: String) { self.year = year }

    /// One line of figures, for messages.
    public var summary: String {
        "\(year): \(cohorts)/\(sessions)/\(personTimes)/\(trainees)/\(Hours.format(attendedHours))/\(certificates)"
    }
}

/// Computes and renders the yearly totals.
public enum YearlyTotals {
    /// The definitions every report states, so that a reader can recompute the figures.
    public static let definitions = Phrase(
        zh: """
            定义（公历年 Y；出勤 = 出勤或迟到，以最新一次记录为准；已取消的课次不计；
            退出的学员按其实际出勤计）：
            - 期数：开始日期在 Y 年的期次。
            - 课次，课堂/实地/演示学时：日期在 Y 年、未取消的课次及其排定学时。
            - 人次 (person_times)：开始于 Y 年的期次中的报名（学员 × 期次），且该学员至少出勤一次。
            - 人数 (trainees)：在 Y 年日期的课次中至少出勤一次的不同学员。
            - 学时 (attended_hours)：对课次日期在 Y 年的每个出勤（课次，学员）对，累加该课次的学时。
            - 证书：Y 年签发且未撤销的证书。
            合计行为各年之和，人数除外：人数为所列各年中的不同学员。
            每个数字都可以从 `luban export` 的导出重新算出（见 README“Recomputing the figures”）。
            """,
        en: """
            Definitions (a calendar year Y; attended = present or late, the newest mark counts; a
            cancelled session counts for nothing; a withdrawn trainee counts for what they attended):
            - cohorts: cohorts whose start date is in Y.
            - sessions, classroom/field/demonstration hours: sessions dated in Y, not cancelled, and
              their scheduled hours.
            - person_times (人次): enrolments (trainee x cohort) in cohorts starting in Y in which the
              trainee attended at least one session.
            - trainees: distinct trainees who attended at least one session dated in Y.
            - attended_hours (学时): the sum, over attended (session, trainee) pairs with the session
              dated in Y, of the session's hours.
            - certificates: certificates issued in Y that are not revoked.
            The total row sums the years, except trainees: distinct trainees over all years shown.
            Every figure can be recomputed from `luban export` (see README, "Recomputing the figures").
            """)

    /// The rows for every year with any figure (or just `year`), and the total row, read from the
    /// roll-ups that every change keeps current: a few rows, whatever the size of the database.
    public static func rows(_ database: LubanDatabase, year: Int? = nil) throws(LubanError) -> [YearlyRow] {
        try database.read { db in try rows(db, year: year) }
    }

    static func rows(_ db: Database, year: Int?) throws -> [YearlyRow] {
        var years: [YearlyRow] = []
        var everyone = 0
        for row in try Row.fetchAll(db, sql: "SELECT * FROM yearly_totals ORDER BY year") {
            let y: Int = row["year"]
            if y == 0 {
                everyone = row["trainees"]
                continue
            }
            if let year, y != year { continue }
            var r = YearlyRow(year: String(y))
            r.cohorts = row["cohorts"]
            r.sessions = row["sessions"]
            r.hours = [.classroom: row["classroom_hours"], .field: row["field_hours"], .demonstration: row["demonstration_hours"]]
            r.personTimes = row["person_times"]
            r.trainees = row["trainees"]
            r.attendedHours = row["attended_hours"]
            r.certificates = row["certificates"]
            let any = r.cohorts + r.sessions + r.personTimes + r.trainees + r.certificates
            if any > 0 || r.attendedHours != 0 { years.append(r) }
        }
        var total = sum(years)
        total.trainees = year == nil ? everyone : (years.first?.trainees ?? 0)
        return years + [total]
    }

    /// The total row of `years`: their sums (its `trainees` is the caller's: distinct people).
    public static func sum(_ years: [YearlyRow]) -> YearlyRow {
        var total = YearlyRow(year: "total")
        for r in years {
            total.cohorts += r.cohorts
            total.sessions += r.sessions
            for k in SessionKind.allCases { total.hours[k, default: 0] += r.hours[k] ?? 0 }
            total.personTimes += r.personTimes
            total.attendedHours += r.attendedHours
            total.certificates += r.certificates
        }
        return total
    }

    /// The same rows computed from the records themselves: the definitions as SQL, and the
    /// attended trainees and hours from one pass over the current statuses. Tests and `luban
    /// check` compare this with `rows`; the benchmark compares the report with its own SQL.
    public static func recompute(_ database: LubanDatabase, year: Int? = nil) throws(LubanError) -> [YearlyRow] {
        try database.read { db in try recompute(db, year: year) }
    }

    /// `pass`: the current statuses already read, or nil to read them here.
    static func recompute(_ db: Database, year only: Int?, pass: CurrentStatusPass? = nil) throws -> [YearlyRow] {
        var rows: [String: YearlyRow] = [:]
        func add(_ sql: String, _ apply: (inout YearlyRow, Row) -> Void) throws {
            for row in try Row.fetchAll(db, sql: sql) {
                let y: String = row[0]
                if let only, y != String(only) { continue }
                apply(&rows[y, default: YearlyRow(year: y)], row)
            }
        }
        try add("SELECT substr(start_date, 1, 4), count(*) FROM cohort GROUP BY 1") { $0.cohorts = $1[1] }
        try add(
            """
            SELECT substr(date, 1, 4), count(*),
                   total(CASE kind WHEN 'classroom' THEN hours END), total(CASE kind WHEN 'field' THEN hours END),
                   total(CASE kind WHEN 'demonstration' THEN hours END)
            FROM session WHERE cancelled_on IS NULL GROUP BY 1
            """
        ) {
            $0.sessions = $1[1]
            $0.hours = [.classroom: $1[2], .field: $1[3], .demonstration: $1[4]]
        }
        try add(
            """
            SELECT substr(c.start_date, 1, 4), count(*) FROM enrolment e JOIN cohort c ON c.id = e.cohort_id
            WHERE EXISTS (SELECT 1 FROM attended a JOIN session s ON s.id = a.session_id
                          WHERE s.cohort_id = e.cohort_id AND a.trainee_id = e.trainee_id)
            GROUP BY 1
            """
        ) { $0.personTimes = $1[1] }
        // Trainees and hours attended: from the one pass over the ledger.
        let pass = try pass ?? CurrentStatusPass(db, countingStrays: false)
        for (y, attended) in pass.years where only.map({ y == String($0) }) ?? true {
            rows[y, default: YearlyRow(year: y)].trainees = attended.trainees.count
            rows[y, default: YearlyRow(year: y)].attendedHours = attended.hours
        }
        try add("SELECT substr(issued_on, 1, 4), count(*) FROM certificate WHERE status = 'valid' GROUP BY 1") { $0.certificates = $1[1] }
        let years = rows.values.sorted { $0.year < $1.year }
        var total = sum(years)
        total.trainees = only.map { pass.years[String($0)]?.trainees.count ?? 0 } ?? pass.trainees.count
        return years + [total]
    }

    /// The table (csv columns are the stable names the union's scripts read).
    public static func table(_ rows: [YearlyRow]) -> Table {
        Table(
            columns: [
                .init("year", "年度 year"), .init("cohorts", "期数 cohorts"), .init("sessions", "课次 sessions"),
                .init("classroom_hours", "课堂 h"), .init("field_hours", "实地 h"), .init("demonstration_hours", "演示 h"),
                .init("person_times", "人次 person-times"), .init("trainees", "人数 trainees"),
                .init("attended_hours", "学时 attended h"), .init("certificates", "证书 certificates"),
            ],
            rows: rows.map { r in
                [
                    .text(r.year), .int(r.cohorts), .int(r.sessions), .hours(r.hours[.classroom] ?? 0), .hours(r.hours[.field] ?? 0),
                    .hours(r.hours[.demonstration] ?? 0), .int(r.personTimes), .int(r.trainees), .hours(r.attendedHours), .int(r.certificates),
                ]
            })
    }

    /// What the report is about: the one program loaded, or every program.
    public static func program(_ database: LubanDatabase) throws(LubanError) -> String {
        let loaded = try database.curricula()
        return loaded.count == 1 ? loaded[0].curriculum.title : "all programmes (\(loaded.map(\.curriculum.id).joined(separator: ", ")))"
    }

    /// The text report: title, table, definitions.
    public static func text(_ rows: [YearlyRow], program: String) -> String {
        "年度统计 Yearly totals — \(program)\n\n" + table(rows).text() + "\n" + definitions.text() + "\n"
    }
}

// MARK: - Sessions added in bulk

/// The per-row roll-up trigger of sessions, lifted while an import adds many (it was about a
/// fifth of the cost of each inserted session): the import tells `add` each session it
/// inserted, and `restore` adds them to the yearly totals, one statement a year, and puts the
/// trigger back word for word, in the same transaction. The figures are those the trigger
/// would have kept (tested against a full recomputation).
struct SessionRollUpsInBulk {
    private let trigger: String?
    private var years: [Int: (sessions: Int, classroom: Double, field: Double, demonstration: Double)] = [:]

    /// Lifts the trigger, in the caller's transaction.
    init(lifting db: Database) throws {
        trigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'session_rollup'")
        if trigger != nil { try db.execute(sql: "DROP TRIGGER session_rollup") }
    }

    /// Counts a session just inserted.
    mutating func add(_ session: Session) {
        var year = years[session.date.year] ?? (0, 0, 0, 0)
        year.sessions += 1
        switch session.kind {
        case .classroom: year.classroom += session.hours
        case .field: year.field += session.hours
        case .demonstration: year.demonstration += session.hours
        }
        years[session.date.year] = year
    }

    /// Adds the sessions counted to the yearly totals and puts the trigger back.
    func restore(_ db: Database) throws {
        guard let trigger else { return }
        for (year, t) in years {
            try YearlyTotals.addSessions(year: year, sessions: t.sessions, classroom: t.classroom, field: t.field, demonstration: t.demonstration, db)
        }
        try db.execute(sql: trigger)
    }
}

// MARK: - Writing the roll-ups (their owner: every write of `yearly_totals` and `yearly_trainee`
// outside the migrations' triggers)

extension YearlyTotals {
    /// Adds sessions and their hours by kind to a year (negative figures take them out), in the
    /// caller's transaction.
    static func addSessions(year: Int, sessions: Int, classroom: Double, field: Double, demonstration: Double, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO yearly_totals (year, sessions, classroom_hours, field_hours, demonstration_hours) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (year) DO UPDATE SET sessions = sessions + excluded.sessions,
                    classroom_hours = classroom_hours + excluded.classroom_hours, field_hours = field_hours + excluded.field_hours,
                    demonstration_hours = demonstration_hours + excluded.demonstration_hours
                """
        ).execute(arguments: [year, sessions, classroom, field, demonstration])
    }

    /// Adds trainees who attended, person-times and attended hours to a year (year 0 counts
    /// trainees over all years), in the caller's transaction.
    static func addAttendance(year: Int, trainees: Int, personTimes: Int, hours: Double, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO yearly_totals (year, trainees, person_times, attended_hours) VALUES (?, ?, ?, ?)
                ON CONFLICT (year) DO UPDATE SET trainees = trainees + excluded.trainees, person_times = person_times + excluded.person_times,
                    attended_hours = attended_hours + excluded.attended_hours
                """
        ).execute(arguments: [year, trainees, personTimes, hours])
    }

    /// The statements that keep one trainee's sessions and hours in a year (`yearly_trainee`),
    /// for `AttendanceWriter`'s counters: `insert` adds a row if there is none (?1 year, ?2
    /// trainee, ?3 sessions, ?4 hours); `at` adds ?3 sessions and ?5 hours only where the row
    /// counts exactly ?4 sessions; `anyway` adds them whatever it counts.
    static func traineeYearStatements(_ db: Database) throws -> (insert: SQLiteStatement, at: SQLiteStatement, anyway: SQLiteStatement) {
        (
            try SQLiteStatement(
                db, "INSERT INTO yearly_trainee (year, trainee_id, sessions, hours) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING"),
            try SQLiteStatement(
                db,
                "UPDATE yearly_trainee SET sessions = sessions + ?3, hours = hours + ?5 WHERE year = ?1 AND trainee_id = ?2 AND sessions = ?4"),
            try SQLiteStatement(db, "UPDATE yearly_trainee SET sessions = sessions + ?3, hours = hours + ?5 WHERE year = ?1 AND trainee_id = ?2")
        )
    }
}
