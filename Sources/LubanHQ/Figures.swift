import Foundation
import LubanKit

// MARK: - HQ's figures and the certificate check

extension Headquarters {
    /// The yearly totals (DOMAIN.md) of one centre, or (`office` nil) of the union: the sums over
    /// centres, except `trainees`, which counts distinct persons (one ID number, at whatever
    /// centre), and the total row's trainees over all years. Read from the roll-ups each apply
    /// keeps (`updateRollUps`): a few rows, however many marks HQ holds.
    public func yearly(office: String? = nil) throws(LubanError) -> [YearlyRow] {
        if let office, try pg.execute("SELECT 1 FROM office WHERE code = $1", [office]).isEmpty {
            throw .refused(zh: "没有登记中心 \(office)（luban hq office list）", en: "no centre \(office) is registered (luban hq office list)")
        }
        let sums = try pg.execute(
            """
            SELECT y.year, sum(cohorts), sum(sessions), sum(classroom_hours), sum(field_hours), sum(demonstration_hours), sum(person_times),
                   CASE WHEN $1::text IS NULL THEN (SELECT trainees FROM union_year u WHERE u.year = y.year) ELSE sum(trainees) END,
                   sum(attended_hours), sum(certificates)
            FROM office_year y WHERE $1::text IS NULL OR office = $1 GROUP BY y.year
            ORDER BY y.year = 'total', y.year
            """, [office])
        func int(_ s: String?) -> Int { Int(s ?? "0") ?? 0 }
        func hours(_ s: String?) -> Double { Double(s ?? "0") ?? 0 }
        var rows = sums.map { r in
            var row = YearlyRow(year: r[0] ?? "")
            row.cohorts = int(r[1])
            row.sessions = int(r[2])
            row.hours = [.classroom: hours(r[3]), .field: hours(r[4]), .demonstration: hours(r[5])]
            row.personTimes = int(r[6])
            row.trainees = int(r[7])
            row.attendedHours = hours(r[8])
            row.certificates = int(r[9])
            return row
        }
        if rows.last?.year != "total" { rows.append(YearlyRow(year: "total")) }
        return rows
    }

    /// The figures of one centre as the definitions give them, from HQ's records, written into
    /// the roll-ups in the apply's transaction: the centre's rows of `office_year` (its total
    /// row included) and the persons who attended each year (`person_year`), recomputed from the
    /// centre's records; and the union's distinct persons a year and in all (`union_year`),
    /// moved by the persons the centre gained and lost, so that an apply costs what its centre
    /// holds, not what the union does.
    func updateRollUps(office: String) throws(LubanError) {
        let which: [String?] = [office]
        // The centre's marks read once: the hours each trainee attended in each cohort and year.
        // The plan is told, not left to the statistics: they lag behind an apply (a centre's
        // first marks are not in them yet, and a plan made for none looped over the sessions
        // for each mark, for minutes). The centre's sessions are hashed and its marks read once,
        // by the key (the centre's part of the table, not all of it).
        try pg.execute("CREATE TEMPORARY TABLE attended (year text, cohort_id bigint, trainee_id bigint, hours float8) ON COMMIT DROP")
        try pg.script("SET LOCAL enable_nestloop = off; SET LOCAL enable_sort = off; SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '64MB'")
        try pg.execute(
            """
            INSERT INTO attended SELECT substr(s.date, 1, 4), s.cohort_id, m.trainee_id, sum(s.hours)
            FROM mark m JOIN session s ON s.office = m.office AND s.id = m.session_id
            WHERE m.office = $1 AND m.status IN (0, 1) AND NOT s.cancelled
            GROUP BY 1, 2, 3
            """, which)
        try pg.script(
            "SET LOCAL enable_nestloop TO DEFAULT; SET LOCAL enable_sort TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL work_mem TO DEFAULT"
        )
        // The union's rows are moved by difference: two centres' applies take turns from here
        // (until commit), so that each counts what the other wrote.
        try pg.execute("SELECT pg_advisory_xact_lock(7708)")
        // Who attended each year, once (`now`; `was` as the last apply left it): both the
        // centre's and the union's `trainees` count them.
        try pg.execute("CREATE TEMPORARY TABLE was (year text, person text) ON COMMIT DROP")
        try pg.execute("WITH gone AS (DELETE FROM person_year WHERE office = $1 RETURNING year, person) INSERT INTO was SELECT * FROM gone", which)
        // In the order of `person_year`'s index by person, which the look-ups below walk and
        // the insert at the end writes: neighbours in the index one after another (a third less
        // time at 20 centres than in the order a hash gives them).
        try pg.execute(
            """
            CREATE TEMPORARY TABLE now ON COMMIT DROP AS SELECT DISTINCT a.year, coalesce(t.person, $1::text || ' ' || a.trainee_id) AS person
            FROM attended a LEFT JOIN trainee t ON t.office = $1::text AND t.id = a.trainee_id
            ORDER BY 2, 1
            """, which)
        // The union's change, while `person_year` holds only the other centres' persons: a
        // look-up that finds none of them reads the index alone. (`now` and `was` each hold a
        // (year, person) once.)
        try pg.execute(
            """
            WITH change AS (
                SELECT c.year, 1 AS n FROM now c
                WHERE NOT EXISTS (SELECT 1 FROM was w WHERE w.year = c.year AND w.person = c.person)
                  AND NOT EXISTS (SELECT 1 FROM person_year p WHERE p.person = c.person AND p.year = c.year)
                UNION ALL
                SELECT g.year, -1 FROM was g
                WHERE NOT EXISTS (SELECT 1 FROM now c WHERE c.year = g.year AND c.person = g.person)
                  AND NOT EXISTS (SELECT 1 FROM person_year p WHERE p.person = g.person AND p.year = g.year)
                UNION ALL
                SELECT 'total', 1 FROM (SELECT DISTINCT person FROM now) c
                WHERE NOT EXISTS (SELECT 1 FROM was w WHERE w.person = c.person)
                  AND NOT EXISTS (SELECT 1 FROM person_year p WHERE p.person = c.person)
                UNION ALL
                SELECT 'total', -1 FROM (SELECT DISTINCT person FROM was) g
                WHERE NOT EXISTS (SELECT 1 FROM now c WHERE c.person = g.person)
                  AND NOT EXISTS (SELECT 1 FROM person_year p WHERE p.person = g.person))
            INSERT INTO union_year SELECT year, sum(n) FROM change GROUP BY year
            ON CONFLICT (year) DO UPDATE SET trainees = union_year.trainees + excluded.trainees
            """)
        try pg.execute("DELETE FROM union_year WHERE trainees = 0")
        try pg.execute("INSERT INTO person_year SELECT $1, year, person FROM now ORDER BY person, year", which)
        // The centre's own rows.
        var rows: [String: YearlyRow] = [:]
        func add(_ sql: String, _ parameters: [String?]? = nil, _ apply: (inout YearlyRow, [String?]) -> Void) throws(LubanError) {
            for r in try pg.execute(sql, parameters ?? which) {
                let y = r[0] ?? ""
                apply(&rows[y, default: YearlyRow(year: y)], r)
            }
        }
        func int(_ s: String?) -> Int { Int(s ?? "0") ?? 0 }
        func hours(_ s: String?) -> Double { Double(s ?? "0") ?? 0 }
        try add("SELECT substr(start_date, 1, 4), count(*) FROM cohort WHERE office = $1 GROUP BY 1") {
            $0.cohorts = int($1[1])
        }
        try add(
            """
            SELECT substr(date, 1, 4), count(*), coalesce(sum(hours) FILTER (WHERE kind = 'classroom'), 0),
                   coalesce(sum(hours) FILTER (WHERE kind = 'field'), 0), coalesce(sum(hours) FILTER (WHERE kind = 'demonstration'), 0)
            FROM session WHERE NOT cancelled AND office = $1 GROUP BY 1
            """
        ) {
            $0.sessions = int($1[1])
            $0.hours = [.classroom: hours($1[2]), .field: hours($1[3]), .demonstration: hours($1[4])]
        }
        // Person-times: an enrolled trainee who attended a cohort, in the year it started
        // (counted by cohort first, so that each cohort's year is looked up once, not once a
        // trainee).
        try add(
            """
            SELECT substr(c.start_date, 1, 4), sum(n) FROM (
                SELECT a.cohort_id, count(*) AS n FROM (SELECT DISTINCT cohort_id, trainee_id FROM attended) a
                JOIN enrolment e ON e.office = $1 AND e.cohort_id = a.cohort_id AND e.trainee_id = a.trainee_id
                GROUP BY 1) x
            JOIN cohort c ON c.office = $1 AND c.id = x.cohort_id
            GROUP BY 1
            """
        ) { $0.personTimes = int($1[1]) }
        try add("SELECT year, sum(hours) FROM attended GROUP BY 1", []) { $0.attendedHours = hours($1[1]) }
        try add("SELECT year, count(*) FROM now GROUP BY 1", []) { $0.trainees = int($1[1]) }
        try add(
            "SELECT substr(issued_on, 1, 4), count(*) FROM certificate WHERE status = 'valid' AND office = $1 GROUP BY 1"
        ) { $0.certificates = int($1[1]) }
        let everyone = try pg.execute("SELECT count(DISTINCT person) FROM now")
        let years = rows.values.sorted { $0.year < $1.year }
        var total = YearlyTotals.sum(years)
        total.trainees = int(everyone.first?.first ?? nil)
        try pg.execute("DELETE FROM office_year WHERE office = $1", which)
        for r in years + [total] {
            try pg.execute(
                "INSERT INTO office_year VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                [
                    office, r.year, String(r.cohorts), String(r.sessions), String(r.hours[.classroom] ?? 0), String(r.hours[.field] ?? 0),
                    String(r.hours[.demonstration] ?? 0), String(r.personTimes), String(r.trainees), String(r.attendedHours), String(r.certificates),
                ])
        }
    }

    /// Each centre: its last bundle and its totals over all years.
    public func officesTable() throws(LubanError) -> Table {
        var rows: [[Cell]] = []
        for o in try offices() {
            let t = try yearly(office: o.code).last ?? YearlyRow(year: "total")
            rows.append([
                .text(o.code), .text(o.name), .text(o.retired.map { Phrase(zh: "停用 \($0)", en: "retired \($0)").text() } ?? ""), .int(o.lastNumber),
                .text(o.lastMade ?? ""), .text(o.lastApplied ?? ""), .int(t.cohorts), .int(t.sessions), .int(t.personTimes), .int(t.trainees),
                .hours(t.attendedHours), .int(t.certificates),
            ])
        }
        return Table(
            columns: [
                .init("office", "中心 office"), .init("name", "名称 name"), .init("key_retired", "密钥停用 key retired"),
                .init("last_bundle", "最后数据包 bundle"), .init("made", "制作 made"), .init("applied", "应用 applied"),
                .init("cohorts", "期数 cohorts"), .init("sessions", "课次 sessions"), .init("person_times", "人次 person-times"),
                .init("trainees", "人数 trainees"), .init("attended_hours", "学时 attended h"), .init("certificates", "证书 certificates"),
            ], rows: rows)
    }

    /// The answer to someone who checks a certificate by its number and the holder's name.
    public enum Check: Sendable, Equatable {
        case valid(number: String, tier: String, issued: String, office: String, officeName: String)
        case revoked(number: String, reason: String, office: String, officeName: String)
        /// No certificate with this number and this name: nothing more is said.
        case invalid(number: String)
    }

    /// Checks a certificate from any centre: the number and the holder's name must both match
    /// (a number alone says nothing about who holds it).
    /// A number that is not one (its form, or its check character: a mistyped digit) is refused
    /// with the reason, as the centre's own check refuses it.
    public func check(number text: String, name: String) throws(LubanError) -> Check {
        let number: String
        switch CertificateNumber.parse(text) {
        case .success(let parsed): number = parsed.description
        case .failure(let problem): throw .refused(problem.phrase)
        }
        let holder = key.digests.holder(name: name)
        let rows = try pg.execute(
            """
            SELECT c.tier, c.issued_on, c.status, c.public_reason, o.code, o.name FROM certificate c JOIN office o ON o.code = c.office
            WHERE c.number = $1 AND c.holder = $2
            """, [number, holder])
        guard let r = rows.first else { return .invalid(number: number) }
        if r[2] == "valid" { return .valid(number: number, tier: r[0] ?? "", issued: r[1] ?? "", office: r[4] ?? "", officeName: r[5] ?? "") }
        return .revoked(number: number, reason: r[3] ?? "", office: r[4] ?? "", officeName: r[5] ?? "")
    }
}
