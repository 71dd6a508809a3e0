import Foundation
import GRDB
import TestSupport
import Testing

@testable import LubanKit

/// A database written by an earlier version is brought up to date without losing a mark.
@Suite struct MigrationTests {
    @Test func aVersion1DatabaseKeepsItsLedgerAndCurrentStatuses() throws {
        let folder = try Scratch.folder("luban-migration").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/v1.sqlite"

        // A database as version 1 left it: two sessions, a correction, the current-status table.
        let old = try DatabaseQueue(path: path)
        try LubanDatabase.migrator.migrate(old, upTo: "v1 records")
        try old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO curriculum VALUES ('luban', '鲁班工程', '{}', 'luban.yaml', 1, '2014-01-01T00:00:00Z');
                    INSERT INTO cohort VALUES (1, '2014-1', NULL, 'luban', '2014-04-08', '2014-04-20', '承德');
                    INSERT INTO trainee (id, code, name) VALUES (1, 'T00001', '张三'), (2, 'T00002', '李四');
                    INSERT INTO enrolment (cohort_id, trainee_id) VALUES (1, 1), (1, 2);
                    INSERT INTO session (id, cohort_id, date, kind, hours) VALUES (1, 1, '2014-04-12', 'field', 4), (2, 1, '2014-04-13', 'classroom', 8);
                    INSERT INTO attendance_batch VALUES (1, '2014-04-12T09:00:00Z', 'clerk', 'sheet.csv'), (2, '2014-04-14T09:00:00Z', 'clerk', 'luban attend 1');
                    INSERT INTO attendance_entry VALUES (1, 1, 1, 'absent', '', 1), (2, 1, 2, 'present', '', 1), (3, 2, 1, 'present', '', 1),
                                                        (4, 1, 1, 'late', '车晚点', 2);
                    INSERT INTO attendance VALUES (1, 1, 'late', '车晚点', 4), (1, 2, 'present', '', 2), (2, 1, 'present', '', 3);
                    """)
        }
        try old.close()

        let db = try LubanDatabase(path: path)
        let current = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT session_id, trainee_id, status, note, entry_id FROM attendance ORDER BY session_id, trainee_id")
        }
        #expect(
            current == [
                ["session_id": 1, "trainee_id": 1, "status": "late", "note": "车晚点", "entry_id": 4],
                ["session_id": 1, "trainee_id": 2, "status": "present", "note": "", "entry_id": 2],
                ["session_id": 2, "trainee_id": 1, "status": "present", "note": "", "entry_id": 3],
            ])
        // The ledger keeps each status as its code (v8); its view gives the words of version 1.
        let ledger = try db.read { db in
            (
                try Int64.fetchAll(db, sql: "SELECT status FROM attendance_entry ORDER BY id"),
                try String.fetchAll(db, sql: "SELECT status FROM attendance_ledger ORDER BY id")
            )
        }
        #expect(ledger.0 == [3, 0, 0, 1] && ledger.1 == ["absent", "present", "present", "late"])
        let history = try db.attendanceHistory(session: "1", trainee: "T00001")
        #expect(history.map(\.entry.status) == [.absent, .late])
        // Each entry still says which batch brought it, now from the batches' ranges.
        #expect(history.map(\.entry.source) == ["sheet.csv", "luban attend 1"])
        #expect(history.map(\.entry.recordedAt) == ["2014-04-12T09:00:00Z", "2014-04-14T09:00:00Z"])
        // What a mark no longer writes is gone from the schema.
        let columns = try db.read { db in
            (try db.columns(in: "attendance_entry").map(\.name), try db.columns(in: "trainee").map(\.name))
        }
        #expect(!columns.0.contains("batch_id") && !columns.1.contains("attended_sessions"))

        // The rebuilt tables keep their rules: the ledger is append-only, statuses and kinds are checked.
        expectSQLiteRefusal("attendance entries are never changed") {
            try db.writer.write { try $0.execute(sql: "UPDATE attendance_entry SET status = 0") }
        }
        expectSQLiteRefusal("attendance entries are never deleted") { try db.writer.write { try $0.execute(sql: "DELETE FROM attendance_entry") } }
        expectSQLiteRefusal("CHECK constraint failed") {
            try db.writer.write {
                try $0.execute(sql: "INSERT INTO attendance_entry (id, session_id, trainee_id, status) VALUES (99, 1, 1, 5)")
            }
        }
        expectSQLiteRefusal("CHECK constraint failed") {
            try db.writer.write { try $0.execute(sql: "INSERT INTO session (cohort_id, date, kind, hours) VALUES (1, '2014-04-15', 'lecture', 2)") }
        }
        expectSQLiteRefusal("FOREIGN KEY constraint failed") {
            try db.writer.write {
                try $0.execute(sql: "INSERT INTO attendance_entry (id, session_id, trainee_id, status) VALUES (99, 9, 1, 0)")
            }
        }

        // And the current status goes on following the newest entry.
        let result = try db.attend(session: "1", trainees: ["T00002"], status: .excused, note: "病假")
        #expect(result == ImportResult(recorded: 1, corrected: 1, unchanged: 0, blank: 0))
        let t2 = try db.read { try Row.fetchOne($0, sql: "SELECT status, note, entry_id FROM attendance WHERE session_id = 1 AND trainee_id = 2") }
        #expect(t2 == ["status": "excused", "note": "病假", "entry_id": 5])
        // Batches know their entry numbers (filled in from version 1's entries), and the new
        // batch numbers on from them.
        let ranges = try db.read { try Row.fetchAll($0, sql: "SELECT id, first_entry, last_entry FROM attendance_batch ORDER BY id") }
        #expect(
            ranges == [
                ["id": 1, "first_entry": 1, "last_entry": 3], ["id": 2, "first_entry": 4, "last_entry": 4],
                ["id": 3, "first_entry": 5, "last_entry": 5],
            ])
        #expect(try db.check().problems.filter { $0.en.hasPrefix("attendance") } == [])
        // An entry slipped in by hand under a number already used is caught.
        try db.writer.write {
            try $0.execute(sql: "INSERT INTO attendance_entry (id, session_id, trainee_id, status) VALUES (2, 2, 2, 0)")
        }
        #expect(try db.check().problems.filter { $0.en.hasPrefix("attendance batch 1:") }.count == 1)
        // And so is one numbered beyond every batch.
        try db.writer.write {
            try $0.execute(sql: "INSERT INTO attendance_entry (id, session_id, trainee_id, status) VALUES (999, 2, 2, 3)")
        }
        #expect(try db.check().problems.map(\.en).contains("attendance ledger: entry 999 is numbered outside every batch"))
        // A range no import could fill is named, not allocated for.
        try db.writer.write { try $0.execute(sql: "UPDATE attendance_batch SET last_entry = 1 << 40 WHERE id = 3") }
        #expect(
            try db.check().problems.map(\.en).contains { $0.hasPrefix("attendance batch 3: its range of entry numbers 5…1099511627776 is larger") })
    }
}

@Suite struct RegisterSealUpgradeTests {
    /// A register from a luban without seals (v2): unsealed, revocations unsigned. `check` says
    /// so, nothing more is signed until `luban issuer seal`, and after it all is well.
    @Test func anUpgradedRegisterIsSealedOnce() throws {
        let (db, _, certificate) = try certifiedScenario()
        let number = certificate.number
        _ = try db.revoke(number: number, reason: "重复录入", on: CalendarDate("2014-05-01")!, key: testKey)
        try db.writer.write { try $0.execute(sql: "UPDATE certificate SET revocation_signature = NULL; DELETE FROM register_seal") }
        let problems = try db.check(publicKey: testKey.publicKey).problems
        #expect(problems.contains { $0.en.hasPrefix("register: the register has no seal") })
        #expect(problems.contains { $0.en.contains("marked revoked without a signed revocation") })
        #expect {
            try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey)
        } throws: { error in
            guard case LubanError.refused(let why) = error else { return false }
            return why.en.hasPrefix("the certificate register fails its checks, so nothing more is signed: the register has no seal")
        }
        #expect(try db.sealRegister(key: testKey) == 1)
        #expect(try db.check(publicKey: testKey.publicKey).problems == [])
    }
}

@Suite struct QuickCheckTests {
    /// `check --quick` still finds a register changed by hand, and says what it skipped.
    @Test func aQuickCheckStillChecksTheRegisterAndNamesWhatItSkips() throws {
        let (db, _, certificate) = try certifiedScenario()
        let quick = try db.check(publicKey: testKey.publicKey, quick: true)
        #expect(quick.problems.isEmpty)
        #expect(quick.checked.map(\.en).contains { $0.hasPrefix("skipped (--quick): each index against its table") })
        #expect(quick.checked.map(\.en).contains("SQLite quick_check: ok"))
        #expect(!quick.checked.map(\.en).contains { $0.hasPrefix("yearly totals") })
        let full = try db.check(publicKey: testKey.publicKey)
        #expect(full.checked.map(\.en).contains("yearly totals: roll-ups match a full recomputation"))
        try db.writer.write { try $0.execute(sql: "UPDATE certificate SET classroom_hours = 99 WHERE number = ?", arguments: [certificate.number]) }
        #expect(
            try db.check(publicKey: testKey.publicKey, quick: true).problems.map(\.en).contains {
                $0.hasPrefix("certificate \(certificate.number): the records no longer match")
            })
    }

    /// The full check counts the current statuses and finds those of trainees not enrolled in
    /// the session's cohort (here, enrolment rows removed by hand).
    @Test func theFullCheckFindsMarksOfTraineesNotEnrolled() throws {
        let db = try scenario(trainees: 3)
        let session = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2)).id!
        _ = try db.attend(session: String(session), trainees: ["T00001", "T00002", "T00003"], status: .present)
        #expect(try db.check().checked.map(\.en).contains("attendance ledger: 3 current statuses checked against enrolment"))
        try db.writer.write { try $0.execute(sql: "DELETE FROM enrolment WHERE trainee_id IN (2, 3)") }
        #expect(try db.check().problems.map(\.en).contains("attendance: 2 marks for trainees not enrolled in the session's cohort"))
    }
}

@Suite struct FailureWordingTests {
    /// A statement luban got wrong is reported as luban's fault, not as a problem with the file;
    /// a damaged file is reported as damaged.
    @Test func internalFaultsAreNotBlamedOnTheFile() throws {
        let db = try scenario(trainees: 1)
        #expect { try db.read { try $0.execute(sql: "SELECT * FROM no_such_table") } } throws: { error in
            guard case LubanError.internalFailure(let sqlite) = error else { return false }
            let message = (error as! LubanError).phrase.en
            return sqlite.contains("no such table") && message.hasPrefix("luban failed inside") && message.contains("nothing was changed")
        }
        let session = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2)).id!
        _ = try db.attend(session: String(session), trainees: ["T00001"], status: .present)
        #expect { _ = try db.write("test", detail: "") { try $0.execute(sql: "UPDATE attendance_entry SET status = 1") } } throws: { error in
            guard case LubanError.internalFailure(let sqlite) = error else { return false }
            return sqlite.contains("attendance entries are never changed")
        }
        let damaged = LubanDatabase.failure(
            DatabaseError(resultCode: .SQLITE_CORRUPT, message: "database disk image is malformed"), path: "office.sqlite")
        #expect(
            damaged.phrase.en
                == "cannot use the database office.sqlite: the file is damaged (SQLite: database disk image is malformed); restore it from a backup")
    }
}
