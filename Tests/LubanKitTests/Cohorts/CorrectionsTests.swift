import Foundation
import GRDB
import Testing

@testable import LubanKit

/// Issue 14: a season's corrections, each followed at once by every figure. After every step
/// the roll-ups equal a full recomputation, and the report equals the README's SQL over
/// `luban export`.
@Suite struct CorrectionsTests {
    func expectFiguresFollow(_ db: LubanDatabase, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try YearlyTotals.rows(db) == YearlyTotals.recompute(db), "roll-ups after \(step)", sourceLocation: sourceLocation)
        let (report, fromExport) = try YearlyTotalsTests.reportAndExportRecomputation(db, years: ["2014", "2015"])
        #expect(report == fromExport, "export after \(step)", sourceLocation: sourceLocation)
        #expect(try db.check(publicKey: testKey.publicKey).problems == [], "check after \(step)", sourceLocation: sourceLocation)
    }

    func season() throws -> (LubanDatabase, [Int64]) {
        let db = try scenario(trainees: 4, cohort: "2014-2", start: "2014-12-20", end: "2015-01-10")
        var ids: [Int64] = []
        for (d, kind, hours) in [("2014-12-22", SessionKind.classroom, 8.0), ("2014-12-30", .field, 4), ("2015-01-05", .classroom, 6)] {
            ids.append(try db.addSession(cohort: "2014-2", SessionDraft(date: CalendarDate(d)!, kind: kind, hours: hours)).id!)
        }
        for (i, id) in ids.enumerated() {
            _ = try db.attend(session: String(id), trainees: ["T00001", "T00002", "T00003"], status: .present)
            _ = try db.attend(session: String(id), trainees: ["T00004"], status: i == 0 ? .late : .absent)
        }
        return (db, ids)
    }

    @Test func aSeasonOfCorrectionsKeepsEveryFigure() throws {
        let (db, ids) = try season()
        try expectFiguresFollow(db, "the first marks")
        let y2014 = try YearlyTotals.rows(db)[0]
        #expect(y2014.sessions == 2 && y2014.attendedHours == 4 * 8 + 3 * 4)

        // A field session moved across the year end, an hour shorter.
        try db.editSession(String(ids[1]), SessionChange(date: CalendarDate("2015-01-02"), hours: 3))
        try expectFiguresFollow(db, "a session moved into the next year")
        let moved = try YearlyTotals.rows(db)
        #expect(moved[0].sessions == 1 && moved[1].sessions == 2 && moved[1].hours[.field] == 3)
        #expect(moved[1].attendedHours == 3 * 3 + 3 * 6)

        // A first mark taken back (a slip on a phone): the pair is not marked, every figure
        // follows, the ledger keeps both; taking back again adds nothing; a sheet that marks the
        // pair afterwards reads it as not marked.
        let only = try db.attend(session: String(ids[0]), trainees: ["T00003"], status: .present)
        #expect(only.unchanged == 1, "T00003 was present already")
        let taken = try db.mark(session: String(ids[0]), trainees: ["T00003"], status: nil).result
        #expect(taken.recorded == 1)
        try expectFiguresFollow(db, "a mark taken back")
        #expect(try YearlyTotals.rows(db)[0].attendedHours == 3 * 8)
        #expect(try db.attendanceHistory(session: String(ids[0]), trainee: "T00003").map(\.entry.status) == [.present, nil])
        #expect(try db.rollCallBoard(session: ids[0]).rows.first { $0.code == "T00003" }?.status == nil)
        #expect(try db.mark(session: String(ids[0]), trainees: ["T00003"], status: nil).result.unchanged == 1)
        let back = try db.importAttendance(csv("session,trainee,status\n\(ids[0]),T00003,present\n"), session: nil)
        #expect(back.recorded == 1 && back.corrected == 0)
        try expectFiguresFollow(db, "a mark taken back, then marked again")
        #expect(try YearlyTotals.rows(db)[0].attendedHours == 4 * 8)

        // Cancelled: left out of every figure, its marks kept in the ledger.
        try db.cancelSession(String(ids[2]), reason: "rained off")
        try expectFiguresFollow(db, "a cancelled session")
        #expect(try YearlyTotals.rows(db)[1].sessions == 1)
        #expect(try db.attendanceHistory(session: String(ids[2])).count == 4, "the ledger keeps the marks")
        #expect(
            performing: {
                try db.attend(session: String(ids[2]), trainees: ["T00001"], status: .late)
            }, throws: refusal(LubanDatabase.cancelledMessage(ids[2], CalendarDate.today.description).en))
        #expect(throws: LubanError.self) { try db.rollCall(session: String(ids[2])) }
        #expect(
            throws: LubanError.fileRefused(
                file: "test.csv",
                findings: [Finding(file: "test.csv", line: 2, message: LubanDatabase.cancelledMessage(ids[2], CalendarDate.today.description))],
                total: 1)
        ) { try db.importAttendance(csv("session,trainee,status\n\(ids[2]),T00001,late\n"), session: nil) }
        try db.cancelSession(String(ids[2]), reason: "", undo: true)
        try expectFiguresFollow(db, "a restored session")
        #expect(try YearlyTotals.rows(db)[1].sessions == 2)

        // A withdrawal: off the later sheets and off eligibility; what was attended stays.
        let before = try YearlyTotals.rows(db)
        _ = try db.withdraw(cohort: "2014-2", trainee: "T00004", reason: "moved away", on: CalendarDate("2014-12-25")!)
        try expectFiguresFollow(db, "a withdrawal")
        #expect(try YearlyTotals.rows(db) == before)
        #expect(try db.rollCall(session: String(ids[0])).3.map(\.code).contains("T00004"), "on the sheet of the session before")
        #expect(try !db.rollCall(session: String(ids[1])).3.map(\.code).contains("T00004"), "off the sheets after")
        #expect(try !db.eligibility(cohort: "2014-2").map(\.trainee.code).contains("T00004"))
        #expect(throws: LubanError.self) { try db.attend(session: String(ids[1]), trainees: ["T00004"], status: .present) }
        _ = try db.withdraw(cohort: "2014-2", trainee: "T00004", reason: "", undo: true)
        #expect(try db.rollCall(session: String(ids[1])).3.map(\.code).contains("T00004"))

        // A transfer to another cohort.
        try db.addCohort(code: "2015-1", start: CalendarDate("2015-04-01")!, end: CalendarDate("2015-04-20")!, site: "承德")
        _ = try db.transfer(trainee: "T00004", from: "2014-2", to: "2015-1", on: CalendarDate("2015-01-01")!)
        try expectFiguresFollow(db, "a transfer")
        #expect(try db.roster(try db.cohort("2015-1")).map(\.code) == ["T00004"])
        let log = try db.changes().map { "\($0.action): \($0.detail)" }
        #expect(log.contains("session edit: session \(ids[1]): date 2014-12-30 → 2015-01-02; hours 4 → 3"), "\(log)")

        // Verdicts, one of them voided; a name corrected; certificates issued, one revoked, then
        // issued again when asked for.
        for t in ["T00001", "T00002", "T00003"] {
            for tech in ["榫卯", "彩画"] { try db.signOff(cohort: "2014-2", trainee: t, technique: tech, expert: "王", result: .pass) }
        }
        _ = try db.voidSignOff(cohort: "2014-2", trainee: "T00003", technique: "彩画", reason: "another trainee's")
        try db.editTrainee("T00002", name: "王二")
        try expectFiguresFollow(db, "verdicts and a correction")
        let issued = try db.certify(cohort: "2014-2", on: CalendarDate("2015-01-10")!, key: testKey)
        #expect(issued.issued.count == 2, "T00003 misses a technique since the void")
        try expectFiguresFollow(db, "certificates issued")
        try db.revoke(number: issued.issued[0].number, reason: "entered twice", key: testKey)
        try expectFiguresFollow(db, "a revocation")
        #expect(try db.certify(cohort: "2014-2", on: CalendarDate("2015-01-11")!, key: testKey).issued.isEmpty)
        #expect(try db.certify(cohort: "2014-2", on: CalendarDate("2015-01-11")!, key: testKey, reissue: ["T00001"]).issued.count == 1)
        try expectFiguresFollow(db, "a reissue")
        #expect(try YearlyTotals.rows(db)[1].certificates == 2)
    }

    @Test func correctionsUnderIssuedCertificatesAreRefused() throws {
        let (db, session, certificate) = try certifiedScenario()
        let number = certificate.number
        #expect {
            try db.editSession(String(session), SessionChange(hours: 4))
        } throws: { error in
            guard case LubanError.restsOnCertificate(number, let why) = error else { return false }
            return why.en.hasPrefix("cohort 2014-1 has certificates issued on its attendance (\(number) …)")
        }
        #expect {
            try db.withdraw(cohort: "2014-1", trainee: "T00001", reason: "left")
        } throws: { error in
            guard case LubanError.restsOnCertificate(number, let why) = error else { return false }
            return why.en == "trainee T00001 holds certificate \(number) of cohort 2014-1; revoke it before withdrawing them"
        }
        // Taking the holder's mark back would take an attended session from under the certificate.
        #expect {
            try db.mark(session: String(session), trainees: ["T00001"], status: nil)
        } throws: { error in
            guard case LubanError.restsOnCertificate(number, _) = error else { return false }
            return true
        }
        // What nothing was issued on may still change.
        try db.editSession(String(session), SessionChange(site: "普宁寺", expert: "李"))
        #expect(try db.session(String(session)).site == "普宁寺")
    }

    @Test func aSheetThatMarksOneTraineeTwiceDifferentlyIsRefused() throws {
        let db = try scenario(trainees: 2)
        let s = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2)).id!
        let before = try snapshot(db)
        #expect(
            performing: {
                try db.importAttendance(
                    csv("session,trainee,status,note\n\(s),T00001,present,\n\(s),T00002,late,\n\(s),T00001,absent,\n"), session: nil)
            },
            throws: fileRefusal(
                "test.csv", [(4, "trainee T00001 is also on line 2 for session \(s), as 出勤 present; keep one row per trainee and session")])
        )
        #expect(try snapshot(db) == before)
        // The same row twice is one mark.
        let r = try db.importAttendance(csv("session,trainee,status,note\n\(s),T00001,present,\n\(s),T00001,present,\n"), session: nil)
        #expect(r.recorded == 1 && r.unchanged == 1)
    }

    /// The edited schedule file becomes the cohort's schedule: a session moved by two days is
    /// moved (not added beside the old one), one left out is cancelled with its marks kept, a
    /// new one is added; every figure follows.
    @Test func anEditedScheduleReplacesTheOldOne() throws {
        let (db, ids) = try season()
        let file = """
            date,kind,hours,title
            2014-12-22,classroom,8,
            2015-01-01,field,4,
            2015-01-07,demonstration,2,新增
            """
        let plan = try db.planSchedule(cohort: "2014-2", csv(file + "\n"))
        #expect(plan.unchanged == 1)
        #expect(plan.edit.map { $0.before.id } == [ids[1]] && plan.edit.first?.after.date == CalendarDate("2015-01-01"))
        #expect(plan.cancel.map(\.id) == [ids[2]])
        #expect(plan.add.map(\.title) == ["新增"])
        #expect(plan.lines.count == 3)
        try db.applySchedule(cohort: "2014-2", plan, file: "schedule.csv")
        try expectFiguresFollow(db, "a replaced schedule")
        let sessions = try db.sessions(cohort: "2014-2")
        #expect(sessions.count == 4, "nothing deleted")
        #expect(sessions.first { $0.id == ids[2] }?.cancelReason == "not in the schedule schedule.csv")
        #expect(try db.attendanceHistory(session: String(ids[2])).count == 4, "the cancelled session keeps its marks")
        // The same file again changes nothing; a bad row refuses the whole file.
        #expect(try db.planSchedule(cohort: "2014-2", csv(file + "\n")).isEmpty)
        #expect(throws: LubanError.self) { try db.planSchedule(cohort: "2014-2", csv(file + "\n2015-02-30,field,4,\n")) }
    }
}
