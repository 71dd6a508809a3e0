import Foundation
import GRDB
import Testing

@testable import LubanKit

/// Rules that had no test failing when they broke: each is performed here, and the test fails if
/// the rule is taken out.
@Suite struct OwnerRuleTests {
    /// A session a day, the first field, in 2014-1 (2014-04-08 …).
    static func schedule(_ db: LubanDatabase) throws -> [Int64] {
        var ids: [Int64] = []
        for (day, kind) in [("2014-04-08", SessionKind.field), ("2014-04-09", .classroom), ("2014-04-10", .classroom)] {
            ids.append(try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate(day)!, kind: kind, hours: 4)).id!)
        }
        return ids
    }

    @Test func aHandMarkReadsTheNewestEntry() throws {
        let db = try scenario(trainees: 1)
        let s = try Self.schedule(db)[0]
        for status in [AttendanceStatus.present, .absent, .present] { _ = try db.attend(session: String(s), trainees: ["T00001"], status: status) }
        let current = try db.read { try String.fetchOne($0, sql: "SELECT status FROM attendance WHERE session_id = ?", arguments: [s]) }
        #expect(current == "present")
        #expect(try db.attendanceHistory(session: String(s)).count == 3)
        // The same status again adds nothing.
        #expect(try db.attend(session: String(s), trainees: ["T00001"], status: .present).recorded == 0)
    }

    @Test func aCancelledSessionIsNotRequiredForEligibility() throws {
        let db = try scenario(trainees: 1)
        let s = try Self.schedule(db)
        // Every session but the field one attended; the field one is then cancelled.
        _ = try db.attend(session: String(s[1]), trainees: ["T00001"], status: .present)
        _ = try db.attend(session: String(s[2]), trainees: ["T00001"], status: .present)
        func missing() throws -> String {
            try db.eligibility(cohort: "2014-1").first { $0.verdict.tier.id == "completion" }!.verdict.missing.map(\.en).joined(separator: "; ")
        }
        #expect(try missing().contains("missed field session 2014-04-08"))
        _ = try db.cancelSession(String(s[0]), reason: "暴雨")
        let after = try missing()
        #expect(!after.contains("field session"), "\(after)")
    }

    @Test func aSheetCannotMarkAWithdrawnTraineeFromTheWithdrawalOn() throws {
        let db = try scenario(trainees: 2)
        let s = try Self.schedule(db)
        _ = try db.withdraw(cohort: "2014-1", trainee: "T00001", reason: "调岗", on: CalendarDate("2014-04-09")!)
        // Before the withdrawal day: taken. On it: refused, by sheet as by hand.
        #expect(try db.importAttendance(try csv("session,trainee,status\n\(s[0]),T00001,present\n")).recorded == 1)
        #expect(throws: LubanError.self) { try db.importAttendance(try csv("session,trainee,status\n\(s[1]),T00001,present\n")) }
        #expect(throws: LubanError.self) { try db.attend(session: String(s[1]), trainees: ["T00001"], status: .present) }
        #expect(try db.attendanceHistory(session: String(s[1])).isEmpty)
    }

    @Test func anIDLikeValueWhereACodeBelongsIsMasked() throws {
        let db = try scenario(trainees: 1)
        let s = try Self.schedule(db)[0]
        for typed in ["110101199003078", "11010119900307851", "110101199003078515"] {
            do {
                _ = try db.attend(session: String(s), trainees: [typed], status: .present)
                Issue.record("\(typed) was taken")
            } catch {
                #expect(!error.message.contains(typed), "\(typed) is shown whole: \(error.message)")
                #expect(error.message.contains(String(typed.prefix(6))), "\(error.message)")
            }
        }
    }

    @Test func aVoidedVerdictIsNotInTheExpertsAccount() throws {
        let db = try scenario(trainees: 1)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王", result: .pass, on: CalendarDate("2014-04-10")!)
        func passes() throws -> Int { try ExpertReport.rows(db, year: 2014).first { $0.name == "王" }?.passes ?? 0 }
        #expect(try passes() == 1)
        _ = try db.voidSignOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", reason: "记错人")
        #expect(try passes() == 0)
    }

    @Test func aRollCallLinkOpensOnlyOnItsSessionsDay() throws {
        let db = try scenario(trainees: 1)
        let s = try Self.schedule(db)
        let (_, token) = try RollCallLink.open(session: s[1], by: "office", db)
        #expect(try RollCallLink.find(token: token, today: CalendarDate("2014-04-09")!, db) != nil)
        // The day before (the session is later) and the day after: closed.
        #expect(try RollCallLink.find(token: token, today: CalendarDate("2014-04-08")!, db) == nil)
        #expect(try RollCallLink.find(token: token, today: CalendarDate("2014-04-10")!, db) == nil)
    }

    /// A refusal a caller must tell apart is its own case: a record that already reads so is a
    /// conflict (the web answers 409), not bad input (400).
    @Test func aConflictIsNotBadInput() throws {
        let db = try scenario(trainees: 1)
        _ = try db.withdraw(cohort: "2014-1", trainee: "T00001", reason: "left", on: CalendarDate("2014-04-09")!)
        #expect {
            try db.withdraw(cohort: "2014-1", trainee: "T00001", reason: "left", on: CalendarDate("2014-04-10")!)
        } throws: { error in
            guard case LubanError.conflict(let why) = error else { return false }
            return why.en == "trainee T00001 already withdrew from cohort 2014-1 on 2014-04-09"
        }
    }

    @Test func secretsAreComparedWholly() {
        #expect(sameText("123456", "123456"))
        #expect(!sameText("023456", "123456"))
        #expect(!sameText("123450", "123456"))
        #expect(!sameText("12345", "123456"))
        #expect(!sameText("", ""))
    }
}
