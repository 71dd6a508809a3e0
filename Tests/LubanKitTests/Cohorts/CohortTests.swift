import Testing

@testable import LubanKit

@Suite struct CohortTests {
    @Test func refusesAnEndBeforeTheStartAndAUsedCode() throws {
        let db = try scenario(trainees: 0)
        #expect(throws: LubanError.cohortDates(code: "x", start: CalendarDate("2014-05-02")!, end: CalendarDate("2014-05-01")!)) {
            try db.addCohort(code: "x", start: CalendarDate("2014-05-02")!, end: CalendarDate("2014-05-01")!, site: "承德")
        }
        #expect(throws: LubanError.cohortExists("2014-1")) {
            try db.addCohort(code: "2014-1", start: CalendarDate("2014-05-01")!, end: CalendarDate("2014-05-02")!, site: "承德")
        }
    }

    @Test func datesAreReal() {
        #expect(CalendarDate("2014-02-30") == nil)
        #expect(CalendarDate("14/4/2014") == nil)
        #expect(CalendarDate("2016-02-29") != nil)
        #expect(CalendarDate(dayNumber: CalendarDate("2014-04-08")!.dayNumber + 12) == CalendarDate("2014-04-20"))
    }
}
