import Foundation
import Testing

/// The field-site loop: print the sheet, fill it, read it back, again, correct one.
@Suite struct RollCallLoopTests {
    @Test func printFillImportAgainAndCorrect() throws {
        let user = try User()
        try user.ok("init")
        try user.ok("expert", "add", "李师傅")
        try user.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        try user.ok("cohort", "add", "2014-1", "--start", "2014-04-08", "--end", "2014-04-20", "--site", "承德")
        for (i, name) in ["王建国", "李秀英", "张德明"].enumerated() {
            try user.ok("trainee", "add", "--name", name, "--id-number", validID("1101011980010\(i + 1)00\(i)"))
        }
        try user.ok("enroll", "2014-1", "T00001", "T00002", "T00003")
        let session = try user.ok(
            "session", "add", "2014-1", "--kind", "field", "--date", "2014-04-12", "--hours", "4", "--course", "SD", "--site", "普宁寺", "--expert",
            "李师傅")
        #expect(session == "1\n")

        let paper = try user.ok("rollcall", "1")
        #expect(paper.contains("普宁寺") && paper.contains("李师傅") && paper.contains("王建国"))
        let lines = paper.split(separator: "\n").filter { $0.hasPrefix("T0000") }
        #expect(Set(lines.map(\.displayWidthOfLine)).count == 1, "sheet rows are aligned")

        // Fill the csv sheet: present, late, blank.
        let sheet = try user.ok("rollcall", "1", "--format", "csv")
        #expect(sheet.hasPrefix("session,trainee,name,id_number,employer,status,note\r\n"))
        let filled = sheet.components(separatedBy: "\r\n").map { line -> String in
            if line.contains(",T00001,") { return String(line.dropLast()) + "出勤," }
            if line.contains(",T00002,") { return String(line.dropLast()) + " Late ,堵车" }
            return line
        }.joined(separator: "\r\n")
        let file = try user.write("sheet.csv", filled)
        #expect(try user.ok("attend", "--csv", file) == "2 recorded (0 corrections), 0 unchanged, 1 left blank\n")
        #expect(try user.ok("attend", "--csv", file) == "0 recorded (0 corrections), 2 unchanged, 1 left blank\n")
        #expect(try user.ok("report", "yearly", "--format", "csv").contains("\r\n2014,1,1,0,4,0,2,2,8,0\r\n"))

        // Correct T00002: late was wrong, they were absent.
        #expect(try user.ok("attend", "1", "T00002", "--status", "缺勤", "--note", "核对后更正").contains("1 corrections"))
        let history = try user.ok("attendance", "history", "1", "T00002", "--format", "csv")
        #expect(history.components(separatedBy: "\r\n").filter { $0.contains("T00002") }.map { $0.split(separator: ",")[4] } == ["late", "absent"])
        #expect(try user.ok("report", "yearly", "--format", "csv").contains("\r\n2014,1,1,0,4,0,1,1,4,0\r\n"))

        // T00001's mark was a slip: taken back, not marked, the figures follow, the history keeps both.
        #expect(try user.ok("attend", "1", "T00001", "--unmark").contains("1 recorded"))
        let taken = try user.ok("attendance", "history", "1", "T00001", "--format", "csv")
        #expect(
            taken.components(separatedBy: "\r\n").filter { $0.contains("T00001") }.map { $0.split(separator: ",")[4] } == ["present", "unmarked"])
        #expect(try user.ok("report", "yearly", "--format", "csv").contains("\r\n2014,1,1,0,4,0,0,0,0,0\r\n"))
        let both = try user.run(["attend", "1", "T00001", "--unmark", "--status", "late"])
        #expect(both.status == 64 && both.stderr.contains("--unmark"), "\(both)")
    }

    @Test func aSheetForSomeoneNotEnrolledChangesNothing() throws {
        let user = try User()
        try user.ok("init")
        try user.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        try user.ok("cohort", "add", "2014-1", "--start", "2014-04-08", "--end", "2014-04-20", "--site", "承德")
        try user.ok("trainee", "add", "--name", "王建国", "--id-number", validID("11010119800101001"))
        try user.ok("trainee", "add", "--name", "外人", "--id-number", validID("11010119800101003"))
        try user.ok("enroll", "2014-1", "T00001")
        try user.ok("session", "add", "2014-1", "--kind", "classroom", "--date", "2014-04-08", "--hours", "8")
        let file = try user.write("sheet.csv", "session,trainee,status\n1,T00001,present\n1,T00002,present\n1,T00001,perhaps\n")
        let r = try user.run(["attend", "--csv", file])
        #expect(r.status == 1)
        #expect(r.stderr.contains("sheet.csv:3: error: trainee T00002 is not enrolled in cohort 2014-1; enrol first: luban enroll 2014-1 T00002"))
        #expect(r.stderr.contains("sheet.csv:4: error: status 'perhaps'"))
        #expect(try user.ok("attendance", "history", "1", "--format", "csv").components(separatedBy: "\r\n").count == 2)
    }

    /// The README's recipe: a sheet for Excel on standard output (`--excel` into a file with
    /// `>`) starts with the byte-order mark itself, not the six characters `\u{FEFF}`, and reads
    /// back; the register asked for as `--out register.csv` is that file, not a folder.
    @Test func anExcelSheetOnStandardOutputStartsWithItsByteOrderMark() throws {
        let user = try User()
        try user.demo()
        let sheet = try user.ok("rollcall", "6", "--format", "csv", "--excel")
        #expect(sheet.unicodeScalars.first == "\u{FEFF}" && !sheet.contains("\\u{FEFF}"), "\(sheet.prefix(40))")
        // T00001 marked late on the sheet, as a clerk types it in a spreadsheet.
        let filled = sheet.components(separatedBy: "\r\n").enumerated().map { i, line in i == 1 ? String(line.dropLast(2)) + ",迟到," : line }
            .joined(separator: "\r\n")
        let file = try user.write("sheet-6.csv", filled)
        let read = try user.run(["attend", "--csv", file])
        #expect(read.status == 0 && read.stdout.contains("1 recorded"), "\(read.stdout) \(read.stderr)")
        try user.ok("certificate", "print", "--all", "--format", "csv", "--excel", "--out", "register.csv")
        var folder: ObjCBool = false
        let path = user.folder.appendingPathComponent("register.csv").path
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &folder) && !folder.boolValue)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).starts(with: [0xEF, 0xBB, 0xBF] + Array("number,".utf8)))
    }

    /// A sheet that names a trainee twice for one session, differently, is refused even when its
    /// first row only repeats what the ledger holds (the second row used to win in silence).
    @Test func aSheetNamingATraineeTwiceDifferentlyIsRefusedWhateverTheLedgerHolds() throws {
        let user = try User()
        try user.demo()
        try user.ok("attend", "1", "T00001", "--status", "present")
        let before = try user.ok("attendance", "history", "1", "T00001", "--format", "csv")
        let file = try user.write("twice.csv", "session,trainee,status\n1,T00001,present\n1,T00001,absent\n")
        let r = try user.run(["attend", "--csv", file])
        #expect(r.status == 1 && r.stderr.contains("twice.csv:3: error: trainee T00001 is also on line 2 for session 1"), "\(r.stderr)")
        #expect(try user.ok("attendance", "history", "1", "T00001", "--format", "csv") == before)
        // The same row twice is one.
        let same = try user.write("same.csv", "session,trainee,status\n1,T00001,present\n1,T00001,present\n")
        #expect(try user.ok("attend", "--csv", same).contains("0 recorded"))
    }
}

extension Substring {
    var displayWidthOfLine: Int {
        unicodeScalars.reduce(0) { w, s in
            w + ((0x2E80...0x9FFF).contains(s.value) || (0xFF00...0xFF60).contains(s.value) ? 2 : 1)
        }
    }
}

/// `luban attend SESSION TRAINEE... --status S` is read without ArgumentParser (for speed);
/// the same request written so that only ArgumentParser reads it (`--` before the arguments)
/// must print, record and refuse exactly the same.
@Suite struct QuickAttendTests {
    func office() throws -> User {
        let user = try User()
        try user.ok("init")
        try user.ok("expert", "add", "李师傅")
        try user.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        try user.ok("cohort", "add", "2014-1", "--start", "2014-04-08", "--end", "2014-04-20", "--site", "承德")
        for i in 1...2 { try user.ok("trainee", "add", "--name", "学员\(i)", "--id-number", validID("1101011980010\(i)00\(i)")) }
        try user.ok("enroll", "2014-1", "T00001", "T00002")
        try user.ok("session", "add", "2014-1", "--kind", "field", "--date", "2014-04-12", "--hours", "4", "--course", "SD", "--site", "普宁寺")
        return user
    }

    @Test func bothWaysRecordAndPrintTheSame() throws {
        let quick = try office()
        let parsed = try office()
        let requests: [([String], [String])] = [
            (
                ["attend", "1", "T00001", "T00002", "--status", "late", "--note", "堵车"],
                ["attend", "--status", "late", "--note", "堵车", "--", "1", "T00001", "T00002"]
            ),
            (["attend", "1", "T00001", "--status=出勤"], ["attend", "--status=出勤", "--", "1", "T00001"]),
            (
                ["attend", "1", "T00002", "--db", quick.database, "--status", "late"],
                ["attend", "--db", parsed.database, "--status", "late", "--", "1", "T00002"]
            ),
        ]
        for (a, b) in requests {
            let ra = try quick.run(a)
            let rb = try parsed.run(b)
            #expect(ra.status == 0 && rb.status == 0)
            #expect(ra.stdout == rb.stdout && ra.stderr == rb.stderr, "\(a) vs \(b)")
        }
        let quickLedger = try quick.ok("attendance", "history", "1", "--format", "csv")
        let parsedLedger = try parsed.ok("attendance", "history", "1", "--format", "csv")
        // The first six columns (entry, session, trainee, name, status, note). Empty cells count:
        // split with its default (empty cells omitted), a blank note let the seventh column, the
        // time recorded, slip into the comparison, and the test failed whenever the two ledgers
        // were written in different seconds (about 1 run in 30). The two paths never differed.
        func firstColumns(_ ledger: String) -> [[Substring]] {
            ledger.split(separator: "\r\n").map { Array($0.split(separator: ",", omittingEmptySubsequences: false).prefix(6)) }
        }
        #expect(firstColumns(quickLedger) == firstColumns(parsedLedger), "\(quickLedger)\n---\n\(parsedLedger)")
        #expect(firstColumns(quickLedger).count == 4, "a header and three entries")
        // Between commands the write-ahead log is folded into the database and emptied: a log
        // left full would be re-read and re-copied by every later command.
        for user in [quick, parsed] {
            let size = (try? FileManager.default.attributesOfItem(atPath: user.database + "-wal")[.size] as? Int) ?? 0
            #expect(size == 0)
        }
    }

    @Test func bothWaysRefuseTheSame() throws {
        let user = try office()
        let refusals: [([String], [String])] = [
            (["attend", "1", "T09999", "--status", "present"], ["attend", "--status", "present", "--", "1", "T09999"]),
            (["attend", "7", "T00001", "--status", "present"], ["attend", "--status", "present", "--", "7", "T00001"]),
        ]
        for (a, b) in refusals {
            let ra = try user.run(a)
            let rb = try user.run(b)
            #expect(ra.status != 0 && ra.status == rb.status)
            #expect(!ra.stderr.isEmpty && ra.stderr == rb.stderr, "\(ra.stderr) vs \(rb.stderr)")
        }
        // What the quick path does not take goes to ArgumentParser, with its messages.
        let word = try user.run(["attend", "1", "T00001", "--status", "here"])
        #expect(word.status != 0 && word.stderr.contains("'here'"))
        // A repeated option: ArgumentParser takes the last one.
        #expect(
            try user.ok("attend", "1", "T00001", "--status", "late", "--status", "present")
                == "T00001  学员1  出勤 present\n1 recorded (0 corrections), 0 unchanged, 0 left blank\n")
        #expect(try user.ok("attendance", "history", "1", "T00001", "--format", "csv").split(separator: "\r\n").last?.contains(",present,") == true)
        #expect(try user.run(["attend", "1", "--status", "late"]).status != 0)
        #expect(try user.ok("attend", "--help").contains("USAGE"))
    }
}
