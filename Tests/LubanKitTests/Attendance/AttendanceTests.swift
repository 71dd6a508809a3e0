import Foundation
import GRDB
import LubanDemo
import TestSupport
import Testing

@testable import LubanKit

@Suite struct AttendanceTests {
    func field(_ db: LubanDatabase, _ date: String = "2014-04-12") throws -> Session {
        try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate(date)!, kind: .field, hours: 4, course: "SD", site: "普宁寺"))
    }

    @Test func sessionsAreCheckedAgainstTheCohortAndCurriculum() throws {
        let db = try scenario()
        #expect(
            throws: LubanError.sessionOutsideCohort(
                date: CalendarDate("2014-05-01")!, cohort: "2014-1", start: CalendarDate("2014-04-08")!, end: CalendarDate("2014-04-20")!)
        ) {
            try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-05-01")!, kind: .field, hours: 4))
        }
        #expect {
            try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-12")!, kind: .field, hours: 4, course: "GJ"))
        } throws: { error in
            guard case LubanError.course(let why) = error else { return false }
            return why.en.hasPrefix("course GJ") && why.en.contains("is taught as classroom, not field")
        }
        #expect {
            try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-12")!, kind: .field, hours: 4, course: "XX"))
        } throws: { error in
            guard case LubanError.course(let why) = error else { return false }
            return why.en.hasPrefix("course 'XX' is not in curriculum luban")
        }
        #expect(throws: LubanError.invalidHours("0")) { try Hours.parse("0") }
        #expect(throws: LubanError.invalidHours("12.5")) { try Hours.parse("12.5") }
        #expect(throws: LubanError.invalidHours("-3")) { try Hours.parse("-3") }
        #expect(try Hours.parse("1.5") == 1.5)
    }

    @Test func aScheduleImportedTwiceAddsNothing() throws {
        let db = try scenario()
        let text = "date,kind,hours,course,site\n2014-04-08,classroom,8,GJ,\n2014-04-12,实地教学,4,SD,普宁寺\n"
        #expect(try db.importSchedule(cohort: "2014-1", try csv(text)).added == 2)
        let again = try db.importSchedule(cohort: "2014-1", try csv(text))
        #expect(again.added == 0 && again.unchanged == 2)
    }

    @Test func aBadScheduleRowRefusesTheWholeFile() throws {
        let db = try scenario()
        let before = try snapshot(db)
        let text = "date,kind,hours\n2014-04-08,classroom,8\n2014-02-30,classroom,8\n2014-04-09,lecture,8\n2014-04-10,field,-1\n"
        #expect { _ = try db.importSchedule(cohort: "2014-1", try csv(text)) } throws: { error in
            guard case LubanError.fileRefused(_, let f, 3) = error else { return false }
            return f.map(\.line) == [3, 4, 5]
        }
        #expect(try snapshot(db) == before)
    }

    @Test func theRollCallLoopKeepsALedger() throws {
        let db = try scenario(trainees: 2)
        let s = try field(db)
        let roster = try db.roster(try db.cohort("2014-1"))
        var sheet = RollCallSheet.table(session: s, roster: roster, showID: false).csv()
        #expect(sheet.hasPrefix("session,trainee,name,id_number,employer,status,note\r\n"))
        // Fill it in: T00001 present, T00002 left blank.
        sheet = sheet.components(separatedBy: "\r\n").map { $0.contains(",T00001,") ? String($0.dropLast(1)) + " 出勤 ," : $0 }.joined(
            separator: "\r\n")
        let first = try db.importAttendance(try csv(sheet))
        #expect(first.recorded == 1 && first.blank == 1)
        let again = try db.importAttendance(try csv(sheet))
        #expect(again.recorded == 0 && again.unchanged == 1)
        // A correction: a new entry; the newest counts; history keeps both.
        let fix = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .absent, note: "走错了")
        #expect(fix.recorded == 1 && fix.corrected == 1)
        let history = try db.attendanceHistory(session: String(s.id!), trainee: "T00001")
        #expect(history.map(\.entry.status) == [.present, .absent])
        #expect(try YearlyTotals.rows(db).last?.attendedHours == 0)
    }

    @Test func aBadSheetChangesNothingAndListsEveryRow() throws {
        let db = try scenario(trainees: 2)
        let s = try field(db)
        try db.addCohort(code: "other", start: CalendarDate("2014-06-01")!, end: CalendarDate("2014-06-02")!, site: "北京")
        let stranger = try db.addTrainee(TraineeDetails(name: "外人", idNumber: try IDNumber(validID("11010119800505009"))))
        let before = try snapshot(db)
        let sheet = """
            session,trainee,status
            \(s.id!),T00001,present
            \(s.id!),T00002,maybe
            \(s.id!),\(stranger.code),present
            999,T00001,present
            \(s.id!),T09999,present

            """
        #expect { _ = try db.importAttendance(try csv(sheet, name: "sheet.csv")) } throws: { error in
            guard case LubanError.fileRefused("sheet.csv", let f, 4) = error else { return false }
            return f.map(\.line) == [3, 4, 5, 6]
                && f[1].message.en == "trainee \(stranger.code) is not enrolled in cohort 2014-1"
                && f[1].fix == .enrol(cohort: "2014-1", trainee: stranger.code)
                && f[0].message.en.contains("maybe")
        }
        #expect(try snapshot(db) == before)
    }

    @Test func aSheetWithAShiftedNameIsRefused() throws {
        let db = try scenario(trainees: 2)
        let s = try field(db)
        #expect(throws: LubanError.self) { _ = try db.importAttendance(try csv("session,trainee,name,status\n\(s.id!),T00001,学员2,present\n")) }
    }

    @Test func signOffsSupersedeButKeepHistory() throws {
        let db = try scenario(trainees: 1)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王师傅", result: .fail)
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王师傅", result: .pass)
        #expect(try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "榫卯", expert: "王师傅", result: .pass).result.unchanged == 1)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM signoff") } == 2)
        #expect { try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "石雕", expert: "王", result: .pass) } throws: { error in
            (error as? LubanError)?.errorDescription?.contains("榫卯, 彩画, 木雕, 油饰") == true
        }
    }

    @Test func aBadSignOffFileChangesNothing() throws {
        let db = try scenario(trainees: 1)
        let before = try snapshot(db)
        #expect(throws: LubanError.self) {
            _ = try db.importSignOffs(cohort: "2014-1", try csv("trainee,technique,expert,result\nT00001,榫卯,王,pass\nT00001,石雕,王,pass\n"))
        }
        #expect(try snapshot(db) == before)
        // A trainee who exists but is not enrolled, on every row that names them (the lookups
        // are kept between rows), and one who does not exist.
        let stranger = try db.addTrainee(TraineeDetails(name: "外人", idNumber: try IDNumber(validID("11010119800505009"))))
        let enrolled = try snapshot(db)
        let file =
            "trainee,technique,expert,result\nT00001,榫卯,王,pass\n\(stranger.code),榫卯,王,pass\nT00001,彩画,王,fail\n\(stranger.code),彩画,王,pass\nT09999,榫卯,王,pass\n"
        #expect { _ = try db.importSignOffs(cohort: "2014-1", try csv(file, name: "verdicts.csv")) } throws: { error in
            guard case LubanError.fileRefused("verdicts.csv", let f, 3) = error else { return false }
            return f.map(\.line) == [3, 5, 6] && f[0].message.en.contains("not enrolled") && f[1].message.en.contains("not enrolled")
                && f[2].message.en.contains("T09999")
        }
        #expect(try snapshot(db) == enrolled)
    }
}

/// A sheet imported into a database file is read and checked on a second thread; into one in
/// memory, on the importing thread. Both must accept, refuse and record exactly the same.
@Suite struct SheetPipelineTests {
    @Test func aSheetCheckedOnASecondThreadGivesWhatOneThreadGives() throws {
        let memory = try scenario(trainees: 30)
        let sessions = try (0..<3).map { d in
            try memory.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!.adding(days: d), kind: .classroom, hours: 2)).id!
        }
        _ = try memory.addTrainee(TraineeDetails(name: "外人", idNumber: try IDNumber(validID("11010119800505009"))))  // T00031, not enrolled
        let folder = try Scratch.folder("luban-pipeline").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let onDisk = try LubanDatabase(path: folder + "/office.sqlite", create: true, user: memory.user)
        try memory.writer.backup(to: onDisk.writer)

        var rng = SeededRandom(seed: 5)
        var accepted = 0
        var refused = 0
        // Long sheets fill the hand-over queue (4 batches of 4,096 rows) and go past it.
        for (n, size) in [3, 40, 500, 20_000, 20_000, 30, 18_000, 9_000].enumerated() {
            var lines = ["session,trainee,name,status,note"]
            for _ in 0..<size {
                let trainee = rng.int(1...30)
                let sessionID = rng.pick(sessions)
                // A pair repeated in a sheet repeats its status (a file may not mark one trainee
                // twice differently), so long sheets stay acceptable.
                var status = ["present", "late", "excused", "absent", "出勤", ""][(trainee * 7 + Int(sessionID) + n) % 6]
                var session = String(sessionID)
                var code = Trainee.code(for: Int64(trainee))
                var name = ""
                // In every other sheet, now and then a bad row: an unknown word, session,
                // trainee, an unenrolled one, or a name that is not the trainee's.
                switch n % 2 == 0 ? 99 : rng.int(0...(size > 1_000 ? 4_000 : 60)) {
                case 0: status = "maybe"
                case 1: session = "999"
                case 2: code = "T09999"
                case 3: code = "T00031"
                case 4: name = "冒名"
                default: break
                }
                lines.append("\(session),\(code),\(name),\(status),")
            }
            let text = lines.joined(separator: "\n") + "\n"
            let path = folder + "/sheet-\(n).csv"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let one = Result { try memory.importAttendance(try CSVReader(bytes: Array(text.utf8), name: path)) }
            let two = Result { try onDisk.importAttendance(try CSVReader(path: path)) }
            switch (one, two) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "sheet \(n)")
                accepted += 1
            case (.failure(let a), .failure(let b)):
                #expect(a as? LubanError == b as? LubanError, "sheet \(n)")
                refused += 1
            default: Issue.record("sheet \(n): \(one) on one thread, \(two) on two")
            }
        }
        #expect(accepted >= 2 && refused >= 2, "both outcomes compared: \(accepted) accepted, \(refused) refused")
        let current = "SELECT session_id, trainee_id, status, note, entry_id FROM attendance ORDER BY session_id, trainee_id"
        #expect(try memory.read { try Row.fetchAll($0, sql: current) } == onDisk.read { try Row.fetchAll($0, sql: current) })
        #expect(try YearlyTotals.rows(onDisk) == YearlyTotals.rows(memory))
    }

    @Test func aFileThatBreaksLateIsRefusedWhole() throws {
        let db = try scenario(trainees: 3)
        let session = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2)).id!
        let folder = try Scratch.folder("luban-pipeline").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let onDisk = try LubanDatabase(path: folder + "/office.sqlite", create: true, user: db.user)
        try db.writer.backup(to: onDisk.writer)
        let before = try snapshot(onDisk)
        // 30,000 good rows, then a NUL byte: the reading thread fails after many batches.
        var bytes = Array("session,trainee,status\n".utf8)
        for i in 0..<30_000 { bytes += Array("\(session),T0000\(i % 3 + 1),present\n".utf8) }
        bytes += Array("\(session),T00001,pre".utf8) + [0] + Array("sent\n".utf8)
        let path = folder + "/broken.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect { _ = try onDisk.importAttendance(try CSVReader(path: path)) } throws: { error in
            guard case LubanError.fileRefused(_, let findings, _) = error else { return false }
            return findings.first?.line == 30_002 && findings.first?.message.en.contains("NUL") == true
        }
        #expect(try snapshot(onDisk) == before)
    }

    /// Marks wait to be written until 256 have come, whatever their sessions, and the writer
    /// keeps the statuses of 256 sessions in memory. A sheet that comes back to a session after
    /// those were dropped reads its statuses again, and must see the marks of this same file
    /// still waiting: here the second, different mark of a trainee is caught.
    @Test func aSheetComingBackToASessionLongAfterSeesItsOwnMarks() throws {
        let db = try scenario(trainees: 2)
        var ids: [Int64] = []
        for i in 0..<258 {
            let draft = SessionDraft(date: CalendarDate("2014-04-08")!.adding(days: i % 12), kind: .classroom, hours: 0.5, title: "第\(i + 1)讲")
            ids.append(try db.addSession(cohort: "2014-1", draft).id!)
        }
        // 256 marks in 255 sessions (all written at the 256th), then session A, two more, and A again.
        func sheet(_ last: String) -> String {
            var lines = ["session,trainee,status", "\(ids[0]),T00002,present"]
            lines += ids[0..<255].map { "\($0),T00001,present" }
            lines += ["\(ids[255]),T00001,present", "\(ids[256]),T00001,present", "\(ids[257]),T00001,present", "\(ids[255]),T00001,\(last)"]
            return lines.joined(separator: "\n") + "\n"
        }
        let before = try snapshot(db)
        #expect { _ = try db.importAttendance(try csv(sheet("absent"))) } throws: { error in
            guard case LubanError.fileRefused(_, let findings, _) = error else { return false }
            return findings.map(\.line) == [261] && findings[0].message.en.contains("earlier in this file")
        }
        #expect(try snapshot(db) == before)
        // The same mark twice is no conflict, and the second adds nothing.
        let result = try db.importAttendance(try csv(sheet("present")))
        #expect(result.recorded == 259 && result.unchanged == 1)
        #expect(try db.check().problems == [])
    }
}

/// Issue 13's drifts: the sheet and the hand path read the same words the same way.
@Suite struct OneReaderPerConceptTests {
    @Test func aSheetAndAHandMarkReadStatusesAndCodesAlike() throws {
        for (status, code) in [("迟到\u{3000}", "T1"), ("\u{3000}LATE ", "t00001"), (" 迟到\u{00A0}", "T001")] {
            let byHand = try scenario(trainees: 2)
            let bySheet = try LubanDatabase(copyOf: byHand)
            let session = try byHand.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2)).id!
            _ = try bySheet.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2))
            let word = try #require(AttendanceStatus(word: status), "'\(status)' refused by hand")
            _ = try byHand.attend(session: String(session), trainees: [code], status: word)
            let sheet = "session,trainee,status\n\(session),\(code),\(status)\n"
            let r = try bySheet.importAttendance(csv(sheet), session: nil)
            #expect(r.recorded == 1, "'\(status)' / '\(code)' on a sheet")
            let current = "SELECT session_id, trainee_id, status FROM attendance ORDER BY 1, 2"
            #expect(try byHand.read { try Row.fetchAll($0, sql: current) } == bySheet.read { try Row.fetchAll($0, sql: current) })
            #expect(try byHand.read { try String.fetchOne($0, sql: "SELECT status FROM attendance") } == "late")
        }
        // And what neither accepts, neither accepts.
        let db = try scenario(trainees: 1)
        let s = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2)).id!
        for bad in ["迟 到", "lat", "presentt"] {
            #expect(AttendanceStatus(word: bad) == nil)
            #expect(throws: LubanError.self) { try db.importAttendance(csv("session,trainee,status\n\(s),T00001,\(bad)\n"), session: nil) }
        }
        for bad in ["T", "T0", "T-1", "TT1"] {
            #expect(throws: LubanError.unknownTrainee(bad)) { try db.attend(session: String(s), trainees: [bad], status: .present) }
            #expect(throws: LubanError.self) { try db.importAttendance(csv("session,trainee,status\n\(s),\(bad),present\n"), session: nil) }
        }
    }

    @Test func attendedIsPresentOrLateInSQLAsInSwift() throws {
        let db = try scenario(trainees: 4)
        let s = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 2)).id!
        for (i, status) in AttendanceStatus.allCases.enumerated() {
            _ = try db.attend(session: String(s), trainees: [Trainee.code(for: Int64(i + 1))], status: status)
        }
        let inSQL = try db.read { try String.fetchAll($0, sql: "SELECT status FROM attended ORDER BY trainee_id") }
        #expect(inSQL == AttendanceStatus.allCases.filter(\.isAttended).map(\.rawValue))
        // The ledger keeps each status as its code, and its view gives the word back.
        let kept = try db.read {
            try Row.fetchAll($0, sql: "SELECT e.status, l.status FROM attendance_entry e JOIN attendance_ledger l USING (id) ORDER BY e.trainee_id")
        }
        #expect(kept.map { $0[0] as Int64 } == AttendanceStatus.allCases.map(\.code))
        #expect(kept.map { $0[1] as String } == AttendanceStatus.allCases.map(\.rawValue))
        #expect(AttendanceStatus.allCases.allSatisfy { AttendanceStatus(code: $0.code) == $0 } && AttendanceStatus(code: 4) == nil)
        // And the ledger's export (`attendance_entry.csv`) has the words.
        let exported = try exportedTables(db, ["attendance_entry"]).read {
            try String.fetchAll($0, sql: "SELECT status FROM attendance_entry ORDER BY CAST(trainee_id AS INTEGER)")
        }
        #expect(exported == AttendanceStatus.allCases.map(\.rawValue))
    }
}
