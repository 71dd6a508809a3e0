import Foundation
import GRDB
import TestSupport
import Testing

@testable import LubanKit

@Suite struct DatabaseRulesTests {
    /// Issue 12.9: a write is on disk when the command reports it, also while another process
    /// keeps the database open: every connection luban opens on a file syncs in full.
    @Test func everyFileConnectionSyncsInFullAndOverwritesDeletedContent() throws {
        let folder = Scratch.path("luban-sync")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: LubanError.noDatabase(path: folder + "/office.sqlite")) { try LubanDatabase(path: folder + "/office.sqlite") }
        #expect(!FileManager.default.fileExists(atPath: folder))
        let db = try LubanDatabase(path: folder + "/office.sqlite", create: true)
        #expect(try db.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try db.read { try Int.fetchOne($0, sql: "PRAGMA secure_delete") } == 1)
        #expect(try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func phoneNumbersAreChecked() throws {
        for (given, stored) in [
            ("13812345678", "13812345678"), ("+86 138 1234 5678", "13812345678"), ("010-12345678", "010-12345678"),
            ("0314 2345678", "03142345678"), ("0086 13812345678", "13812345678"),
        ] {
            #expect(try FieldText.phone(given).get() == stored, "\(given)")
        }
        for bad in ["1381234567", "23812345678", "12345", "138-1234-5678", "电话", "010--12345678", "138123456789"] {
            if case .success(let s) = FieldText.phone(bad) { Issue.record("\(bad) accepted as \(s)") }
        }
        #expect(
            FieldText.phone("1381234567").failureReason
                == "phone '138***4567' is not a phone number: give a mobile (11 digits starting with 1) or a landline with its area code (010-12345678)"
        )
    }

    @Test func cohortCodesCannotDifferByWhatNobodySees() throws {
        let db = try scenario(trainees: 0)
        for code in ["2014-1\u{200B}", "2014\u{00A0}1", "2014-1\u{FEFF}", "２０１４-1x\u{2060}"] {
            #expect(throws: LubanError.self) {
                try db.addCohort(code: code, start: CalendarDate("2014-04-08")!, end: CalendarDate("2014-04-20")!, site: "承德")
            }
        }
        try db.addCohort(code: "2014-二期", start: CalendarDate("2014-04-08")!, end: CalendarDate("2014-04-20")!, site: "承德")
    }
}

extension Result where Failure == FieldText.PhoneProblem {
    var failureReason: String? { if case .failure(let p) = self { return p.reason } else { return nil } }
}
