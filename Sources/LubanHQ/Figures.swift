import Foundation
import LubanKit

// MARK: - HQ's figures and the certificate check

extension Headquarters {
    /// The yearly totals (DOMAIN.md) of one centre, or (`office` nil) of the union: the sums over
    /// centres, except `trainees`, which counts distinct persons (one ID number, at whatever
    /// centre), and the total row's trainees over all years. Computed from HQ's records as the
    /// centre computes its own from its records: for one centre, they are the centre's figures.
    public func yearly(office: String? = nil) throws(LubanError) -> [YearlyRow] {
        if let office, try pg.execute("SELECT 1 FROM office WHERE code = $1", [office]).isEmpty {
            throw .refused(zh: "没有登记中心 \(office)（luban hq office list）", en: "no centre \(office) is registered (luban hq office list)")
        }
        let which = [office]
        var rows: [String: YearlyRow] = [:]
        func add(_ sql: String, _ apply: (inout YearlyRow, [String?]) -> Void) throws(LubanError) {
            for r in try pg.execute(sql, which) {
                let y = r[0] ?? ""
                apply(&rows[y, default: YearlyRow(year: y)], r)
            }
        }
        func int(_ s: String?) -> Int { Int(s ?? "0") ?? 0 }
        func hours(_ s: String?) -> Double { Double(s ?? "0") ?? 0 }
        try add("SELECT substr(start_date, 1, 4), count(*) FROM cohort WHERE $1::text IS NULL OR office = $1 GROUP BY 1") {
            $0.cohorts = int($1[1])
        }
        try add(
            """
            SELECT substr(date, 1, 4), count(*), coalesce(sum(hours) FILTER (WHERE kind = 'classroom'), 0),
                   coalesce(sum(hours) FILTER (WHERE kind = 'field'), 0), coalesce(sum(hours) FILTER (WHERE kind = 'demonstration'), 0)
            FROM session WHERE NOT cancelled AND ($1::text IS NULL OR office = $1) GROUP BY 1
            """
        ) {
            $0.sessions = int($1[1])
            $0.hours = [.classroom: hours($1[2]), .field: hours($1[3]), .demonstration: hours($1[4])]
        }
        try add(
            """
            SELECT substr(c.start_date, 1, 4), count(*) FROM enrolment e JOIN cohort c ON c.office = e.office AND c.id = e.cohort_id
            WHERE ($1::text IS NULL OR e.office = $1)
              AND EXISTS (SELECT 1 FROM mark m JOIN session s ON s.office = m.office AND s.id = m.session_id
                          WHERE m.office = e.office AND m.trainee_id = e.trainee_id AND s.cohort_id = e.cohort_id
                            AND m.status IN (0, 1) AND NOT s.cancelled)
            GROUP BY 1
            """
        ) { $0.personTimes = int($1[1]) }
        // Attended marks: a person is their ID number's digest, or (none kept) the trainee.
        try add(
            """
            SELECT substr(s.date, 1, 4), count(DISTINCT coalesce(t.person, m.office || ' ' || m.trainee_id)), sum(s.hours)
            FROM mark m JOIN session s ON s.office = m.office AND s.id = m.session_id
            LEFT JOIN trainee t ON t.office = m.office AND t.id = m.trainee_id
            WHERE m.status IN (0, 1) AND NOT s.cancelled AND ($1::text IS NULL OR m.office = $1) GROUP BY 1
            """
        ) {
            $0.trainees = int($1[1])
            $0.attendedHours = hours($1[2])
        }
        try add(
            "SELECT substr(issued_on, 1, 4), count(*) FROM certificate WHERE status = 'valid' AND ($1::text IS NULL OR office = $1) GROUP BY 1"
        ) { $0.certificates = int($1[1]) }
        let everyone = try pg.execute(
            """
            SELECT count(DISTINCT coalesce(t.person, m.office || ' ' || m.trainee_id))
            FROM mark m JOIN session s ON s.office = m.office AND s.id = m.session_id
            LEFT JOIN trainee t ON t.office = m.office AND t.id = m.trainee_id
            WHERE m.status IN (0, 1) AND NOT s.cancelled AND ($1::text IS NULL OR m.office = $1)
            """, which)
        let years = rows.values.sorted { $0.year < $1.year }
        var total = YearlyRow(year: "total")
        for r in years {
            total.cohorts += r.cohorts
            total.sessions += r.sessions
            for k in SessionKind.allCases { total.hours[k, default: 0] += r.hours[k] ?? 0 }
            total.personTimes += r.personTimes
            total.attendedHours += r.attendedHours
            total.certificates += r.certificates
        }
        total.trainees = int(everyone.first?.first ?? nil)
        return years + [total]
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
                .init("office", "中心 office"), .init("name", "名称 name"), .init("key_retired", "密钥 key"),
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
    public func check(number: String, name: String) throws(LubanError) -> Check {
        let number = number.trimmingCharacters(in: .whitespaces).uppercased()
        let holder = key.holder(name: name)
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
