import Foundation
import GRDB
import Testing

@testable import LubanKit

@Suite struct YearlyTotalsTests {
    /// Two cohorts across a year end; a correction; an excused trainee; a revoked certificate.
    func data() throws -> LubanDatabase {
        let db = try scenario(trainees: 3)
        try db.addCohort(code: "2014-2", start: CalendarDate("2014-12-28")!, end: CalendarDate("2015-01-05")!, site: "承德")
        try db.enroll(cohort: "2014-2", trainees: ["T00001", "T00003"])
        let a = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 8, course: "GJ"))
        let b = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-12")!, kind: .field, hours: 4, course: "SD"))
        let c = try db.addSession(cohort: "2014-2", SessionDraft(date: CalendarDate("2014-12-29")!, kind: .classroom, hours: 6, course: "GJ"))
        let d = try db.addSession(cohort: "2014-2", SessionDraft(date: CalendarDate("2015-01-03")!, kind: .demonstration, hours: 2.5, course: "YS"))
        _ = try db.attend(session: String(a.id!), trainees: ["T00001", "T00002"], status: .present)
        _ = try db.attend(session: String(a.id!), trainees: ["T00003"], status: .excused)
        _ = try db.attend(session: String(b.id!), trainees: ["T00001"], status: .late)
        _ = try db.attend(session: String(b.id!), trainees: ["T00002"], status: .present)
        _ = try db.attend(session: String(b.id!), trainees: ["T00002"], status: .absent)  // correction
        _ = try db.attend(session: String(c.id!), trainees: ["T00001"], status: .present)
        _ = try db.attend(session: String(d.id!), trainees: ["T00003"], status: .present)
        for t in ["榫卯", "彩画"] { try db.signOff(cohort: "2014-1", trainee: "T00001", technique: t, expert: "王", result: .pass) }
        let issued = try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey).issued
        #expect(issued.count == 1)
        return db
    }

    @Test func figuresFollowTheDefinitions() throws {
        let rows = try YearlyTotals.rows(try data())
        #expect(rows.map(\.year) == ["2014", "2015", "total"])
        let y2014 = rows[0]
        let y2015 = rows[1]
        let total = rows[2]
        #expect(y2014.cohorts == 2 && y2015.cohorts == 0)
        #expect(y2014.sessions == 3 && y2015.sessions == 1)
        #expect(y2014.hours[.classroom] == 14 && y2014.hours[.field] == 4 && y2015.hours[.demonstration] == 2.5)
        // 2014-1: T00001, T00002 attended (T00003 only excused); 2014-2 (starts 2014): T00001, T00003.
        #expect(y2014.personTimes == 4)
        #expect(y2014.trainees == 2 && y2015.trainees == 1)
        #expect(y2014.attendedHours == 8 + 8 + 4 + 6)
        #expect(y2015.attendedHours == 2.5)
        #expect(y2014.certificates == 1)
        #expect(total.trainees == 3 && total.personTimes == 4 && total.attendedHours == 28.5)
    }

    /// The recomputation from the records agrees with the roll-ups, year by year and for one
    /// year; and `check` finds roll-ups changed by hand, in the attended trainees and hours that
    /// the one pass over the ledger counts.
    @Test func theRecomputationAgreesAndCheckFindsRollUpsChangedByHand() throws {
        let db = try data()
        #expect(try YearlyTotals.recompute(db) == YearlyTotals.rows(db))
        #expect(try YearlyTotals.recompute(db, year: 2015) == YearlyTotals.rows(db, year: 2015))
        #expect(try YearlyTotals.recompute(db, year: 2015).map(\.trainees) == [1, 1])
        #expect(try db.check(publicKey: testKey.publicKey).problems == [])
        for change in [
            "UPDATE yearly_totals SET trainees = trainees + 1 WHERE year = 2014", "UPDATE yearly_totals SET attended_hours = 0 WHERE year = 2015",
        ] {
            let changed = try LubanDatabase(copyOf: db)
            try changed.writer.write { try $0.execute(sql: change) }
            let result = try changed.check(publicKey: testKey.publicKey)
            #expect(result.problems.map(\.en).contains { $0.hasPrefix("yearly totals: the roll-ups differ from a recomputation") }, "\(change)")
            #expect(result.checked.map(\.en).contains("yearly totals: roll-ups DIFFER FROM a full recomputation"))
        }
    }

    /// Distinct trainee ids, inside the bits and outside them (an id above the roster's highest,
    /// a negative one), each counted once.
    @Test func aTraineeSetCountsEachIdOnce() {
        var set = TraineeSet(upTo: 100)
        for id: Int64 in [0, 5, 5, 63, 64, 100, 100, 101, 5_000_000, 5_000_000, -1, -1] { set.insert(id) }
        #expect(set.count == 8)
        var empty = TraineeSet(upTo: 0)
        empty.insert(0)
        empty.insert(64)
        #expect(empty.count == 2)
    }

    @Test func aRevokedCertificateIsNotCounted() throws {
        let db = try data()
        let number = try #require(try db.register(cohort: nil).first?.certificate.number)
        _ = try db.revoke(number: number, reason: "x", key: testKey)
        #expect(try YearlyTotals.rows(db)[0].certificates == 0)
    }

    @Test func theReportAgreesWithIndependentSQLOverTheExport() throws {
        let db = try data()
        let (report, expected) = try Self.reportAndExportRecomputation(db, years: ["2014", "2015"])
        #expect(report == expected)
    }

    /// The report's rows for `years`, and the same figures recomputed by the README's SQL from
    /// `luban export` loaded into plain tables (cells as text, NULL as an empty cell).
    static func reportAndExportRecomputation(_ db: LubanDatabase, years: [String]) throws -> ([[String]], [[String]]) {
        let check = try exportedTables(db, ["cohort", "session", "enrolment", "attendance", "certificate"])
        let expected = try years.map { y in
            try check.read { d in
                let r = try Row.fetchOne(
                    d,
                    sql: """
                        WITH att AS (SELECT a.trainee_id t, s.cohort_id c, s.date dt, CAST(s.hours AS REAL) h FROM attendance a JOIN session s ON s.id = a.session_id
                                     WHERE a.status IN ('present', 'late') AND coalesce(s.cancelled_on, '') = '')
                        SELECT
                          (SELECT count(*) FROM cohort WHERE substr(start_date, 1, 4) = :y),
                          (SELECT count(*) FROM session WHERE substr(date, 1, 4) = :y AND coalesce(cancelled_on, '') = ''),
                          (SELECT count(*) FROM enrolment e JOIN cohort c ON c.id = e.cohort_id WHERE substr(c.start_date, 1, 4) = :y
                              AND EXISTS (SELECT 1 FROM att WHERE att.c = e.cohort_id AND att.t = e.trainee_id)),
                          (SELECT count(DISTINCT t) FROM att WHERE substr(dt, 1, 4) = :y),
                          (SELECT total(h) FROM att WHERE substr(dt, 1, 4) = :y),
                          (SELECT count(*) FROM certificate WHERE substr(issued_on, 1, 4) = :y AND status = 'valid')
                        """, arguments: ["y": y])!
                return [
                    y, String(r[0] as Int), String(r[1] as Int), String(r[2] as Int), String(r[3] as Int), Hours.format(r[4]), String(r[5] as Int),
                ]
            }
        }
        let rows = try YearlyTotals.rows(db)
        let report = years.map { y in
            rows.first { $0.year == y }.map { r in
                [
                    r.year, String(r.cohorts), String(r.sessions), String(r.personTimes), String(r.trainees), Hours.format(r.attendedHours),
                    String(r.certificates),
                ]
            } ?? [y, "0", "0", "0", "0", "0", "0"]
        }
        return (report, expected)
    }
}
