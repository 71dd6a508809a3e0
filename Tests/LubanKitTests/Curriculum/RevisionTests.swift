import Foundation
import Testing

@testable import LubanKit

@Suite struct CurriculumRevisionTests {
    /// A cohort keeps the revision it started under; a new revision rules the cohorts made after
    /// it, and one moved to it on purpose.
    @Test func aCohortKeepsItsRevisionUntilMovedOnPurpose() throws {
        let db = try scenario(trainees: 1)
        let s = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 8, course: "GJ"))
        _ = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .present)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王", result: .pass)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "彩画", expert: "王", result: .pass)
        func eligible(_ cohort: String) throws -> Bool {
            try #require(try db.eligibility(cohort: cohort).first { $0.verdict.tier.id == "completion" }).verdict.eligible
        }
        #expect(try eligible("2014-1"))
        // Revision 2 asks for three techniques.
        let stricter = BuiltIn.lubanCurriculum.replacingOccurrences(of: "techniques_passed: 2", with: "techniques_passed: 3")
        #expect(try db.loadCurriculum(CurriculumLoader.parse(stricter, file: "luban.yaml"), source: stricter) == .updated(revision: 2))
        #expect(try eligible("2014-1"), "the running cohort keeps revision 1")
        #expect(try db.cohort("2014-1").curriculumRevision == 1)
        try db.addCohort(code: "2014-2", start: CalendarDate("2014-09-01")!, end: CalendarDate("2014-09-12")!, site: "承德")
        #expect(try db.cohort("2014-2").curriculumRevision == 2, "a new cohort follows the new revision")
        // Moved on purpose, it follows the new rules.
        _ = try db.setCurriculumRevision(cohort: "2014-1", revision: 2)
        #expect(try !eligible("2014-1"))
        #expect(
            performing: {
                try db.setCurriculumRevision(cohort: "2014-1", revision: 7)
            }, throws: refusal("curriculum luban has no revision 7; its revisions: 1, 2"))
        // Not under issued certificates.
        _ = try db.setCurriculumRevision(cohort: "2014-1", revision: 1)
        let number = try #require(try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey).issued.first).number
        #expect(
            performing: { try db.setCurriculumRevision(cohort: "2014-1", revision: 2) },
            throws: refusal("cohort 2014-1 has certificates issued under its rules (\(number) …); revoke them before changing the rules")
        )
    }
}
