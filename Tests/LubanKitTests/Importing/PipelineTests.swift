import Foundation
import GRDB
import Testing

@testable import LubanKit

/// Imports read and check their rows on a second thread, in batches, and a schedule import
/// keeps the yearly totals itself instead of through the per-row trigger: the same results as
/// row by row, the same findings at the same lines, nothing written when a file is refused.
@Suite struct PipelineTests {
    /// The schema's triggers and every table's rows, to prove a refused import left both alone.
    func state(_ db: LubanDatabase) throws -> [String] {
        let triggers = try db.read { d in
            try String.fetchAll(d, sql: "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        }
        return try triggers + snapshot(db)
    }

    /// A different valid ID number for each `i` below 20,000.
    static func idNumber(_ i: Int) -> String { validID(String(format: "110101%04d0101%03d", 1980 + i / 1000, i % 1000)) }

    @Test func aScheduleImportKeepsTheYearlyTotalsAsTheTriggerWould() throws {
        let db = try scenario(trainees: 2)
        try db.addCohort(code: "2014-2", start: CalendarDate("2014-12-28")!, end: CalendarDate("2015-01-05")!, site: "承德")
        let triggerBefore = try state(db).filter { $0.hasPrefix("session_rollup") }
        let result = try db.importSchedule(
            cohort: nil,
            try csv(
                """
                cohort,date,kind,hours,course,title
                2014-1,2014-04-08,classroom,8,GJ,一
                2014-1,2014-04-12,field,4,SD,二
                2014-2,2014-12-29,classroom,6,GJ,三
                2014-2,2015-01-03,demonstration,2.5,YS,四
                2014-2,2015-01-04,demonstration,0.25,YS,五
                """))
        #expect(result.recorded == 5)
        let rows = try YearlyTotals.rows(db)
        #expect(rows.map(\.year) == ["2014", "2015", "total"])
        #expect(rows[0].sessions == 3 && rows[1].sessions == 2)
        #expect(rows[0].hours[.classroom] == 14 && rows[0].hours[.field] == 4 && rows[1].hours[.demonstration] == 2.75)
        #expect(rows == (try YearlyTotals.recompute(db)))
        // The trigger is back, word for word, and counts a session added afterwards.
        #expect(try state(db).filter { $0.hasPrefix("session_rollup") } == triggerBefore)
        try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-13")!, kind: .classroom, hours: 1, course: "GJ"))
        #expect(try YearlyTotals.rows(db)[0].sessions == 4)
        #expect(try YearlyTotals.rows(db) == (try YearlyTotals.recompute(db)))
        // A second import of the same file adds nothing and counts nothing twice.
        let again = try db.importSchedule(
            cohort: "2014-1", try csv("date,kind,hours,course,title\n2014-04-08,classroom,8,GJ,一\n2014-04-12,field,4,SD,二\n"))
        #expect(again.recorded == 0 && again.unchanged == 2)
        #expect(try YearlyTotals.rows(db) == (try YearlyTotals.recompute(db)))
    }

    @Test func aRefusedScheduleLeavesTheTriggerAndTheTotalsAlone() throws {
        let db = try scenario(trainees: 1)
        let before = try state(db)
        var text = "date,kind,hours,course\n"
        for day in 8...19 { text += "2014-04-\(day),classroom,2,GJ\n" }
        text += "2014-05-01,classroom,2,GJ\n"  // after the cohort's end
        #expect(throws: LubanError.self) { try db.importSchedule(cohort: "2014-1", try csv(text)) }
        #expect(try state(db) == before)
    }

    /// A roster longer than several of the pipeline's batches: each bad row is found at its
    /// own line, in the file's order, and nothing is written.
    @Test func findingsKeepTheirLinesAcrossBatches() throws {
        let db = try scenario(trainees: 0)
        let before = try snapshot(db)
        var text = "name,id_number\n"
        let bad: Set<Int> = [3, 4_100, 9_999, 12_001]
        for i in 2...12_001 {
            text += "学员\(i),\(bad.contains(i) ? "123" : Self.idNumber(i))\n"
        }
        do {
            _ = try db.importRoster(try csv(text))
            Issue.record("a roster with bad ID numbers was imported")
        } catch let error as LubanError {
            guard case .fileRefused(_, let findings, let total) = error else { throw error }
            #expect(total == bad.count)
            #expect(findings.map(\.line) == bad.sorted())
        }
        #expect(try snapshot(db) == before)
    }

    /// Bytes that are not text, deep in a file (after whole batches were written), refuse the
    /// whole file: what the earlier batches wrote is rolled back.
    @Test func bytesThatAreNotTextDeepInAFileRefuseAllOfIt() throws {
        let db = try scenario(trainees: 0)
        let before = try snapshot(db)
        var bytes = Array("name,id_number\n".utf8)
        for i in 2...9_000 {
            bytes += Array("学员\(i),\(Self.idNumber(i))\n".utf8)
        }
        bytes += Array("学员".utf8) + [0xFF, 0xFE] + Array(",\(validID("11010119800101999"))\n".utf8)
        #expect(throws: LubanError.self) { try db.importRoster(try CSVReader(bytes: bytes, name: "roster.csv")) }
        #expect(try snapshot(db) == before)
    }
}
