import Foundation
import Testing

@testable import LubanKit

@Suite struct SignOffTests {
    /// A verdict entered by mistake is voided: it counts as never given, the one before it is in
    /// force again, and the history keeps both with the reason and the day assessed.
    @Test func aVoidedVerdictCountsAsNeverGiven() throws {
        let db = try scenario(trainees: 1)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王", result: .fail, on: CalendarDate("2014-04-10")!)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王", result: .pass, on: CalendarDate("2014-04-12")!)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "彩画", expert: "李", result: .pass, on: CalendarDate("2014-04-12")!)
        func passed() throws -> [String] {
            try #require(try db.eligibility(cohort: "2014-1").first).verdict.missing.map(\.en).filter { $0.contains("technique") }
        }
        #expect(try passed().isEmpty, "two techniques passed")
        let voided = try db.voidSignOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", reason: "wrong trainee")
        #expect(voided.result == .pass && voided.voidReason == "wrong trainee")
        #expect(try passed() == ["1 of 2 techniques passed"], "the fail before it is in force again")
        let history = try db.signOffHistory(cohort: "2014-1", trainee: "T00001")
        #expect(history.map { $0.0.assessedOn?.description } == ["2014-04-10", "2014-04-12", "2014-04-12"])
        #expect(history.map { $0.0.voidedOn != nil } == [false, true, false])
        // Voiding again takes the fail away too; then there is nothing left to void.
        _ = try db.voidSignOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", reason: "also wrong")
        #expect(
            performing: {
                try db.voidSignOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", reason: "again")
            }, throws: refusal("trainee T00001 has no verdict in force for 榫卯 in cohort 2014-1"))
        // A verdict given again after a void is recorded, not taken as unchanged.
        #expect(try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王", result: .pass).result.recorded == 1)
    }
}
