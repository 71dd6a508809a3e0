import Foundation
import GRDB
import Testing

@testable import LubanKit

@Suite struct ExpertTests {
    /// A database of free-text names (v4) upgraded: every distinct name registered once, names
    /// that differ only by spaces as one, sessions and verdicts pointing at them.
    @Test func freeTextNamesBecomeRegisteredExperts() throws {
        let queue = try DatabaseQueue()
        try LubanDatabase.migrator.migrate(queue, upTo: "v4 attended view")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO curriculum (id, title, definition, source, revision, loaded_at) VALUES ('luban', 't', '{}', '', 1, '');
                    INSERT INTO cohort (id, code, curriculum_id, start_date, end_date, site) VALUES (1, 'c', 'luban', '2014-04-01', '2014-04-30', '承德');
                    INSERT INTO trainee (id, code, name) VALUES (1, 'T00001', '王');
                    INSERT INTO session (cohort_id, date, kind, hours, expert, title) VALUES (1, '2014-04-02', 'classroom', 2, '张宝山', 'a');
                    INSERT INTO session (cohort_id, date, kind, hours, expert, title) VALUES (1, '2014-04-03', 'classroom', 2, '张宝山 ', 'b');
                    INSERT INTO session (cohort_id, date, kind, hours, expert, title) VALUES (1, '2014-04-04', 'field', 4, '张 宝山', 'c');
                    INSERT INTO session (cohort_id, date, kind, hours, expert, title) VALUES (1, '2014-04-05', 'field', 4, '', 'd');
                    INSERT INTO signoff (cohort_id, trainee_id, technique, expert, result, recorded_at, recorded_by)
                        VALUES (1, 1, '榫卯', '周文远', 'pass', '2014-04-30T00:00:00Z', 'x');
                    """)
        }
        try LubanDatabase.migrator.migrate(queue)
        let (experts, ids, names, signoff) = try queue.read { db in
            (
                try String.fetchAll(db, sql: "SELECT code || ' ' || name FROM expert ORDER BY id"),
                try Int.fetchAll(db, sql: "SELECT coalesce(expert_id, 0) FROM session ORDER BY id"),
                try String.fetchAll(db, sql: "SELECT expert FROM session ORDER BY id"),
                try Int.fetchOne(db, sql: "SELECT expert_id FROM signoff")
            )
        }
        #expect(experts == ["E001 周文远", "E002 张宝山"])
        #expect(ids == [2, 2, 2, 0])
        #expect(names == ["张宝山", "张宝山", "张宝山", ""])
        #expect(signoff == 1)
    }

    @Test func unknownNamesAreRefusedWithSuggestionsOrRegisteredWhenAsked() throws {
        let db = try scenario(trainees: 1)
        try db.addExpert(ExpertDetails(name: "张宝山", title: "高级工程师"))
        try db.addExpert(ExpertDetails(name: "周文远", techniques: ["榫卯", "彩画"]))
        // A typo in a file: refused, the closest registered names suggested.
        #expect {
            try db.importSignOffs(cohort: "2014-1", csv("trainee,technique,expert,result\nT00001,榫卯,张保山,pass\n"))
        } throws: { error in
            guard case LubanError.fileRefused(_, let findings, 1) = error else { return false }
            return findings.first?.message.en.hasPrefix("no expert '张保山' is registered; registered experts like it: 张宝山 (E005)") == true
        }
        // By code, by name with stray spaces; a technique the expert does not assess is refused.
        #expect(
            try db.importSignOffs(cohort: "2014-1", csv("trainee,technique,expert,result\nT00001,榫卯,E6,pass\nT00001,彩画, 周 文远 ,pass\n")).recorded == 2)
        #expect(
            performing: {
                try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "砖雕", expert: "周文远", result: .pass)
            }, throws: refusal("expert E006 周文远 assesses 榫卯、彩画, not 砖雕; record the expert who assessed it"))
        // --add-experts registers the new name instead.
        let r = try db.importSchedule(cohort: "2014-1", csv("date,kind,hours,expert\n2014-04-09,classroom,2,新来的师傅\n"), addExperts: true)
        #expect(r.recorded == 1)
        #expect(try db.expert("新来的师傅").code == "E007")
        #expect(
            performing: {
                try db.addExpert(ExpertDetails(name: "张 宝山"))
            }, throws: refusal("expert E005 is already 张宝山; one person is registered once"))
    }

    /// The report's figures equal a recomputation from `luban export` by plain SQL.
    @Test func theExpertsReportAgreesWithTheExport() throws {
        let (db, session, certificate) = try certifiedScenario(trainees: 2)
        _ = certificate
        try db.editSession(String(session), SessionChange(expert: "李"))
        let s2 = try db.addSession(
            cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-09")!, kind: .field, hours: 4, course: "SD", expert: "李"))
        _ = try db.attend(session: String(s2.id!), trainees: ["T00002"], status: .present)
        try db.signOff(cohort: "2014-1", trainee: "T00002", technique: "榫卯", expert: "李", result: .fail, on: CalendarDate("2014-04-19")!)
        let report = try ExpertReport.rows(db, year: 2014).map { "\($0.code) \($0.sessions) \($0.trainees) \($0.passes) \($0.fails)" }
        let check = try exportedTables(db, ["expert", "session", "attendance", "signoff"])
        let recomputed = try check.read { d in
            try String.fetchAll(
                d,
                sql: """
                    SELECT e.code || ' ' ||
                      (SELECT count(*) FROM session s WHERE s.expert_id = e.id AND coalesce(s.cancelled_on, '') = '' AND substr(s.date, 1, 4) = '2014') || ' ' ||
                      (SELECT count(DISTINCT a.trainee_id) FROM attendance a JOIN session s ON s.id = a.session_id
                        WHERE s.expert_id = e.id AND a.status IN ('present', 'late') AND coalesce(s.cancelled_on, '') = '' AND substr(s.date, 1, 4) = '2014') || ' ' ||
                      (SELECT count(*) FROM signoff v WHERE v.expert_id = e.id AND v.result = 'pass' AND coalesce(v.voided_on, '') = ''
                        AND substr(coalesce(nullif(v.assessed_on, ''), v.recorded_at), 1, 4) = '2014') || ' ' ||
                      (SELECT count(*) FROM signoff v WHERE v.expert_id = e.id AND v.result = 'fail' AND coalesce(v.voided_on, '') = ''
                        AND substr(coalesce(nullif(v.assessed_on, ''), v.recorded_at), 1, 4) = '2014')
                    FROM expert e ORDER BY e.code
                    """)
        }.filter { !$0.hasSuffix(" 0 0 0 0") }
        #expect(report == recomputed)
        #expect(report.contains("E003 2 2 0 1"), "李 leads two sessions, two trainees attended, one fail: \(report)")
    }

    /// Fees: each session at the hourly rate for its kind in force on its day (the expert's own
    /// rate first), each verdict at the rate per verdict; recomputed here in Swift from the
    /// exported rates, sessions and verdicts.
    @Test func theExpertsFeesArePricedAtTheRateInForceAndAgreeWithTheExport() throws {
        let (db, session, _) = try certifiedScenario(trainees: 2)
        try db.editSession(String(session), SessionChange(expert: "李"))
        for (day, kind, hours) in [("2014-04-09", SessionKind.field, 4.0), ("2014-04-10", .classroom, 1.5), ("2014-04-11", .demonstration, 2)] {
            _ = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate(day)!, kind: kind, hours: hours, expert: "李"))
        }
        try db.signOff(cohort: "2014-1", trainee: "T00002", technique: "榫卯", expert: "李", result: .fail, on: CalendarDate("2014-04-19")!)
        // Nothing priced yet: every session and verdict is named as unpriced.
        let before = try #require(try ExpertReport.rows(db, year: 2014).first { $0.name == "李" })
        #expect(before.fee == 0 && before.unpriced == 5, "\(before)")
        try db.setFeeRates(expert: nil, since: nil, [.classroom: 300_00, .field: 400_00, .demonstration: 500_00, .assessment: 50_00])
        try db.setFeeRates(expert: "李", since: CalendarDate("2014-04-10"), [.classroom: 333_33])
        // Set again for the same day: replaces, does not add.
        try db.setFeeRates(expert: "李", since: CalendarDate("2014-04-10"), [.classroom: 333_33])
        #expect(try db.feeRates().count == 5)
        #expect(throws: LubanError.self) { try db.setFeeRates(expert: "nobody", since: nil, [.field: 1]) }
        let li = try #require(try ExpertReport.rows(db, year: 2014).first { $0.name == "李" })
        // 8 h classroom on 04-08 at 300 (李's own rate starts 04-10); 4 h field at 400; 1.5 h
        // classroom at 333.33 = 499.995, rounded to 500.00; 2 h demonstration at 500.
        #expect(li.teachingFee == 8 * 300_00 + 4 * 400_00 + 500_00 + 2 * 500_00 && li.unpriced == 0, "\(li)")
        // The three verdicts 李 gave (two passes of certifiedScenario are 王's).
        #expect(li.assessmentFee == li.passes * 50_00 + li.fails * 50_00)

        let check = try exportedTables(db, ["expert", "session", "signoff", "fee_rate"])
        let (rates, sessions, verdicts, experts) = try check.read { d in
            (
                try Row.fetchAll(d, sql: "SELECT expert_id, kind, since, fen FROM fee_rate"),
                try Row.fetchAll(d, sql: "SELECT expert_id, kind, date, hours, cancelled_on FROM session"),
                try Row.fetchAll(d, sql: "SELECT expert_id, assessed_on, recorded_at, voided_on FROM signoff"),
                try Row.fetchAll(d, sql: "SELECT id, code FROM expert")
            )
        }
        func rate(_ kind: String, _ expert: String, _ day: String) -> Int? {
            let inForce = rates.filter { ($0[1] as String) == kind && ($0[2] as String) <= day }
            let own = inForce.filter { ($0[0] as String) == expert }.max { ($0[2] as String) < ($1[2] as String) }
            let all = inForce.filter { ($0[0] as String).isEmpty }.max { ($0[2] as String) < ($1[2] as String) }
            return (own ?? all).map { Int($0[3] as String)! }
        }
        var fees: [String: Int] = [:]
        for s in sessions where (s[4] as String).isEmpty && (s[2] as String).hasPrefix("2014") && !(s[0] as String).isEmpty {
            let hours = Double(s[3] as String)!
            fees[s[0], default: 0] += Int((hours * Double(rate(s[1], s[0], s[2]) ?? 0)).rounded(.toNearestOrAwayFromZero))
        }
        for v in verdicts where (v[3] as String).isEmpty {
            let day = String(((v[1] as String).isEmpty ? v[2] as String : v[1] as String).prefix(10))
            if day.hasPrefix("2014") { fees[v[0], default: 0] += rate("assessment", v[0], day) ?? 0 }
        }
        let code = Dictionary(uniqueKeysWithValues: experts.map { ($0[0] as String, $0[1] as String) })
        let recomputed = Dictionary(uniqueKeysWithValues: fees.map { (code[$0.key]!, $0.value) })
        let report = Dictionary(uniqueKeysWithValues: try ExpertReport.rows(db, year: 2014).map { ($0.code, $0.fee) })
        #expect(report == recomputed)
        // The listing shows yuan with two decimals.
        let csv = ExpertReport.table(try ExpertReport.rows(db, year: 2014)).csv()
        #expect(csv.contains(",\(Money.format(li.fee)),0\r\n") && Money.format(li.fee).hasSuffix(".00"), "\(csv)")
        #expect(Money.format(5) == "0.05" && Money.fen("87.5") == 87_50 && Money.fen("1.234") == nil && Money.fen("-3") == nil)
    }

    /// The Chinese certificate names who assessed each technique, and still verifies.
    @Test func aCertificateCarriesItsLineageAndVerifies() throws {
        let (db, certificate) = try {
            let (d, _, c) = try certifiedScenario()
            return (d, c)
        }()
        let text = try #require(
            try db.printed(db.register(numbers: [certificate.number]), language: .zh, showID: false, templates: .builtIn, key: testKey).first
        ).text
        #expect(text.contains("考核专家：榫卯（王）、彩画（王）。"))
        #expect(Verification.verify(file: Array(text.utf8), publicKey: testKey.publicKey, register: db).isValid)
        #expect(RegisterReport.table(try db.register(numbers: [certificate.number]), showID: false).csv().contains("榫卯（王）、彩画（王）"))
    }
}
