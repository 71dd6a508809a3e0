import Foundation
import GRDB
import Testing

@testable import LubanKit

/// Hours per enrolment and techniques passed have one definition: the transcript, `trainee
/// show` and `cohort show` give what the export recomputes, for a trainee who withdrew, one who
/// was transferred, around a cancelled session and a corrected mark.
@Suite struct OneFigureTests {
    /// The hours of the CSV row that starts with `first` (and names `cohort`), summed over the
    /// columns named `…_hours`.
    static func hours(in csv: String, first: String, cohort: String?) -> Double? {
        let lines = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first,
            let row = lines.first(where: { $0.first == first && (cohort.map($0.contains) ?? true) })
        else { return nil }
        return header.indices.filter { header[$0].hasSuffix("_hours") }.map { Double(row[$0]) ?? 0 }.reduce(0, +)
    }

    @Test func everyViewGivesTheExportsHoursForWithdrawnTransferredCancelledAndCorrected() throws {
        // Given a cohort of three with four sessions, and a second cohort.
        let db = try scenario(trainees: 3)
        try db.addCohort(code: "2014-2", start: CalendarDate("2014-09-08")!, end: CalendarDate("2014-09-20")!, site: "承德", title: "第三期")
        var sessions: [Int64] = []
        for (day, kind, hours) in [
            ("2014-04-08", SessionKind.classroom, 8.0), ("2014-04-09", .field, 4), ("2014-04-10", .classroom, 6), ("2014-04-11", .demonstration, 3),
        ] {
            sessions.append(try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate(day)!, kind: kind, hours: hours)).id!)
        }
        for s in sessions { _ = try db.attend(session: String(s), trainees: ["T00001", "T00002", "T00003"], status: .present) }
        // When: T00001 withdraws after two sessions; T00002 is moved to 2014-2 after three; the
        // third session is cancelled; T00003's mark at the second is corrected to absent.
        _ = try db.withdraw(cohort: "2014-1", trainee: "T00001", reason: "调往外地", on: CalendarDate("2014-04-10")!)
        _ = try db.transfer(trainee: "T00002", from: "2014-1", to: "2014-2", on: CalendarDate("2014-04-11")!)
        _ = try db.cancelSession(String(sessions[2]), reason: "暴雨")
        _ = try db.attend(session: String(sessions[1]), trainees: ["T00003"], status: .absent)
        // Then every view gives, per trainee and cohort, the hours the exported records give.
        let export = try exportedTables(db, ["trainee", "cohort", "session", "attendance"])
        let expected = try export.read { d in
            try Row.fetchAll(
                d,
                sql: """
                    SELECT t.code, c.code, sum(s.hours) FROM attendance a JOIN session s ON s.id = a.session_id JOIN cohort c ON c.id = s.cohort_id
                    JOIN trainee t ON t.id = a.trainee_id
                    WHERE a.status IN ('present', 'late') AND s.cancelled_on = '' GROUP BY t.code, c.code
                    """
            ).reduce(into: [String: Double]()) { $0["\($1[0] as String) \($1[1] as String)"] = $1[2] as Double }
        }
        // Each attended something in 2014-1 (the views used to give the first two 0 h).
        #expect(["T00001", "T00002", "T00003"].allSatisfy { (expected["\($0) 2014-1"] ?? 0) > 0 }, "\(expected)")
        for code in ["T00001", "T00002", "T00003"] {
            let transcript = try db.transcript(code)
            for line in transcript.lines {
                let key = "\(code) \(line.cohort.code)"
                #expect(line.progress.attendedHours == expected[key] ?? 0, "transcript \(key): \(line.progress.attendedHours)")
            }
            // The cumulative figure is the sum of the lines, never more.
            let total = transcript.lines.map(\.progress.attendedHours).reduce(0, +)
            let shown = try db.traineeDetails(code, format: .csv, showID: false)
            #expect(Self.hours(in: shown, first: code, cohort: "2014-1") == expected["\(code) 2014-1"] ?? 0, "trainee show \(code):\n\(shown)")
            #expect(total == expected.filter { $0.key.hasPrefix(code) }.values.reduce(0, +))
        }
        let cohort = try db.cohortDetails("2014-1", format: .csv, showID: false)
        for code in ["T00001", "T00002", "T00003"] {
            #expect(Self.hours(in: cohort, first: code, cohort: nil) == expected["\(code) 2014-1"]!, "cohort show:\n\(cohort)")
        }
    }
}
