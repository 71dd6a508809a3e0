import Foundation
import GRDB
import LubanDemo
import LubanKit
import Testing

/// Issue 6: nothing lost, nothing half-written, nobody misled. Each case runs the real binary.
@Suite(.serialized) struct ReliabilityTests {
    /// A cohort with `trainees` enrolled and `sessions` one-hour sessions, built through the CLI.
    func office(trainees: Int, sessions: Int) throws -> User {
        let user = try User()
        try user.ok("init")
        try user.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        try user.ok("cohort", "add", "c", "--start", "2014-04-01", "--end", "2014-04-30", "--site", "承德")
        try user.ok("expert", "add", "王")
        var roster = "name,id_number\n"
        for i in 0..<trainees {
            roster += "学员\(i),\(validID(String(format: "110101%04d%02d%02d%03d", 1960 + i / 336, (i / 28) % 12 + 1, i % 28 + 1, (i % 7) * 2 + 1)))\n"
        }
        try user.ok("trainee", "import", try user.write("roster.csv", roster), "--enroll", "c")
        var schedule = "date,kind,hours,title\n"
        for s in 0..<sessions { schedule += "2014-04-\(String(format: "%02d", 1 + s % 28)),classroom,1,第\(s)节\n" }
        try user.ok("session", "import", "c", try user.write("schedule.csv", schedule))
        return user
    }

    func sheet(trainees: Int, sessions: Int) -> String {
        var text = "session,trainee,status\n"
        text.reserveCapacity(trainees * sessions * 20)
        for s in 1...sessions { for t in 1...trainees { text += "\(s),T\(String(format: "%05d", t)),present\n" } }
        return text
    }

    func count(_ user: User, _ sql: String) throws -> Int {
        let db = try DatabaseQueue(path: user.database)
        return try db.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    func integrity(_ user: User) throws -> String {
        let db = try DatabaseQueue(path: user.database)
        return try db.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "" }
    }

    @Test func aKilledImportLeavesAllOrNothing() throws {
        let user = try office(trainees: 600, sessions: 100)
        let file = try user.write("sheet.csv", sheet(trainees: 600, sessions: 100))
        var killedMidway = 0
        for delay in [0.15, 0.4, 0.8] {
            let p = try user.spawn(["attend", "--csv", file])
            Thread.sleep(forTimeInterval: delay)
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                killedMidway += 1
            }
            p.waitUntilExit()
            #expect(try integrity(user) == "ok")
            let n = try count(user, "SELECT count(*) FROM attendance_entry")
            #expect(n == 0 || n == 60_000, "a killed import left \(n) of 60000 rows")
            if n == 60_000 { break }
        }
        // The roster path too.
        var roster = "name,id_number\n"
        for i in 0..<20_000 {
            roster += "新学员\(i),\(validID(String(format: "130802%04d%02d%02d%03d", 1950 + i / 336, (i / 28) % 12 + 1, i % 28 + 1, (i % 7) * 2 + 1)))\n"
        }
        let rosterFile = try user.write("big-roster.csv", roster)
        let p = try user.spawn(["trainee", "import", rosterFile])
        Thread.sleep(forTimeInterval: 0.3)
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            killedMidway += 1
        }
        p.waitUntilExit()
        #expect(try integrity(user) == "ok")
        let trainees = try count(user, "SELECT count(*) FROM trainee")
        #expect(trainees == 600 || trainees == 20_600)
        #expect(killedMidway > 0, "no import was slow enough to be killed midway; make the files larger")
    }

    @Test func eightProcessesAtOnceAllSucceedBesideALongImport() throws {
        let user = try office(trainees: 600, sessions: 101)
        let big = try user.write("sheet.csv", sheet(trainees: 600, sessions: 100))
        let importer = try user.spawn(["attend", "--csv", big])
        Thread.sleep(forTimeInterval: 0.1)
        let marks = try (1...8).map { i in try user.spawn(["attend", "101", "T\(String(format: "%05d", i))", "--status", "present"]) }
        for p in marks { p.waitUntilExit() }
        importer.waitUntilExit()
        #expect(marks.allSatisfy { $0.terminationStatus == 0 })
        #expect(importer.terminationStatus == 0)
        #expect(try count(user, "SELECT count(*) FROM attendance_entry WHERE session_id = 101") == 8)
        #expect(try count(user, "SELECT count(*) FROM attendance_entry") == 60_008)
    }

    @Test func badInputNeverCrashesAndChangesNothing() throws {
        let user = try office(trainees: 3, sessions: 2)
        try user.ok("signoff", "c", "T00001", "--technique", "榫卯", "--expert", "王", "--result", "pass")
        let before = try snapshot(user)
        var garbage = [UInt8](repeating: 0, count: 4096)
        var rng = SeededRandom(seed: 6)
        for i in garbage.indices { garbage[i] = UInt8(truncatingIfNeeded: rng.next()) }
        let files: [(String, [UInt8])] = [
            ("garbage.csv", garbage),
            ("truncated.csv", Array("name,id_number\n王建国,1101011990".utf8)),
            ("quote.csv", Array("name,id_number\n\"王建国,110101199003078515\n".utf8)),
            ("header.csv", Array("name,phone\n王建国,138\n".utf8)),
            ("repeated.csv", Array("name,name,id_number\n王,王,110101199003078515\n".utf8)),
            ("huge.csv", Array(("name,id_number\n" + String(repeating: "王", count: 3_500_000) + ",1\n").utf8)),
            ("nul.csv", Array("name,id_number\n王\u{0}建国,110101199003078515\n".utf8)),
            (
                "latin1.csv",
                [0x6E, 0x61, 0x6D, 0x65, 0x2C, 0x69, 0x64, 0x5F, 0x6E, 0x75, 0x6D, 0x62, 0x65, 0x72, 0x0A, 0xFF, 0xFE, 0x80, 0x2C, 0x31, 0x0A]
            ),
            ("empty.csv", []),
        ]
        for (name, bytes) in files {
            let path = user.folder.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            for args in [
                ["trainee", "import", path], ["attend", "--csv", path], ["session", "import", "c", path], ["signoff", "import", "c", path],
            ] {
                try expectRefused(user, args)
            }
        }
        let dates = try user.write(
            "dates.csv", "date,kind,hours\n2014-02-30,classroom,2\n14/4/2014,classroom,2\n2014-04-02,classroom,-3\n2014-04-02,classroom,1e9\n")
        try expectRefused(user, ["session", "import", "c", dates], mentions: ["dates.csv:2:", "dates.csv:3:", "dates.csv:4:", "dates.csv:5:"])
        try expectRefused(user, ["session", "import", "nope", dates])
        try expectRefused(user, ["attend", "999", "T00001", "--status", "present"])
        try expectRefused(user, ["attend", "1", "T09999", "--status", "present"])
        try expectRefused(user, ["signoff", "c", "T00001", "--technique", "石雕", "--expert", "王", "--result", "pass"], mentions: ["榫卯"])
        try expectRefused(user, ["cohort", "add", "d", "--start", "2014-02-30", "--end", "2014-03-01", "--site", "x"], status: 64)
        try expectRefused(user, ["session", "add", "c", "--kind", "classroom", "--date", "2014-04-02", "--hours", "24"])
        #expect(try snapshot(user) == before)
    }

    func expectRefused(_ user: User, _ args: [String], status: Int32 = 1, mentions: [String] = [], sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let r = try user.run(args)
        #expect(r.status == status, "luban \(args.joined(separator: " ")) exited \(r.status)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("Error: "), "luban \(args.joined(separator: " ")): \(r.stderr.prefix(300))", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
        for m in mentions { #expect(r.stderr.contains(m), "\(r.stderr.prefix(500)) should mention \(m)", sourceLocation: sourceLocation) }
    }

    /// Every row of every table, change log included.
    func snapshot(_ user: User) throws -> [String] {
        let db = try DatabaseQueue(path: user.database)
        return try db.read { d in
            try String.fetchAll(d, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { t in
                t + ": " + (try Row.fetchAll(d, sql: "SELECT * FROM \"\(t)\"").map(\.description).joined(separator: "|"))
            }
        }
    }

    @Test func namesAreStoredAsGivenAndShownSafely() throws {
        let user = try office(trainees: 1, sessions: 1)
        // Quotes and SQL are stored exactly; a line break in a one-line field becomes a space.
        let nasty = "王'); DROP TABLE trainee;--\n证书编号：LB-2099-0001-X"
        let code = try user.ok(
            "trainee", "add", "--name", nasty, "--id-number", validID("13080219900909003"), "--employer", "=HYPERLINK(\"http://x\")"
        ).trimmingCharacters(in: .newlines)
        try user.ok("enroll", "c", code)
        let stored = try DatabaseQueue(path: user.database).read {
            try String.fetchOne($0, sql: "SELECT name FROM trainee WHERE code = ?", arguments: [code])
        }
        #expect(stored == "王'); DROP TABLE trainee;-- 证书编号：LB-2099-0001-X")
        let csv = try user.ok("trainee", "list", "--format", "csv")
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        // A certificate for that name cannot be made to say something else.
        try user.ok("attend", "1", code, "--status", "present")
        for t in ["榫卯", "彩画"] { try user.ok("signoff", "c", code, "--technique", t, "--expert", "王", "--result", "pass") }
        let field = try user.ok("session", "add", "c", "--kind", "field", "--date", "2014-04-20", "--hours", "1")
        try user.ok("attend", field.trimmingCharacters(in: .newlines), code, "--status", "present")
        let issued = try user.ok("certify", "c", "--date", "2014-04-30", "--format", "csv")
        let number = String(issued.split(separator: "\r\n")[1].split(separator: ",", omittingEmptySubsequences: false)[3])
        #expect(number.hasPrefix("LB-2014-"))
        let text = try user.ok("certificate", "print", number)
        #expect(Set(text.split(separator: "\n").map { $0.unicodeScalars.reduce(0) { $0 + $1.displayWidth } }).count == 1)
        #expect(text.components(separatedBy: "证书编号：").count == 3, "the fake number line stays inside the name")
    }

    /// Issue 12.4: controls, bidi overrides and zero-width characters are refused where they
    /// can never belong, and whatever an older database holds reaches no terminal raw.
    @Test func nothingFromInputSteersATerminal() throws {
        let user = try office(trainees: 1, sessions: 1)
        let id = validID("13080219900909003")
        for (args, code) in [
            (["trainee", "add", "--name", "王\u{202E}伪造", "--id-number", id], "U+202E"),
            (["trainee", "add", "--name", "王\u{1B}]52;c;ZXZpbA==\u{07}", "--id-number", id], "U+001B"),
            (["trainee", "add", "--name", "王\u{200B}", "--id-number", id], "U+200B"),
            (["trainee", "add", "--name", "王", "--id-number", id, "--employer", "北京\u{9B}31m"], "U+009B"),
            (["cohort", "add", "c\u{200B}", "--start", "2014-04-01", "--end", "2014-04-30", "--site", "承德"], "cohort code"),
            (["cohort", "add", "d", "--start", "2014-04-01", "--end", "2014-04-30", "--site", "承德\u{1B}[2J"], "U+001B"),
            (["session", "add", "c", "--kind", "classroom", "--date", "2014-04-02", "--hours", "1", "--expert", "张\u{2066}"], "U+2066"),
            (["attend", "1", "T00001", "--status", "present", "--note", "迟\u{1B}[31m到"], "U+001B"),
        ] {
            let r = try user.run(args)
            #expect(r.status == 1, "accepted: \(args)")
            #expect(r.stderr.contains(code), "\(args): \(r.stderr)")
            #expect(!r.stderr.unicodeScalars.contains { Visible.isUnsafe($0) && $0 != "\n" }, "the refusal echoes the character raw: \(args)")
        }
        #expect(try user.ok("trainee", "list", "--format", "csv").split(separator: "\r\n").count == 2, "nothing was added")
        // What a database written before these rules holds is shown visibly everywhere.
        try DatabaseQueue(path: user.database).write {
            try $0.execute(
                sql: "UPDATE trainee SET name = ?, employer = ? WHERE code = 'T00001'", arguments: ["王\u{1B}[31m\u{202E}伪", "厂\u{9B}\u{200B}"])
            try $0.execute(sql: "UPDATE cohort SET site = ?, title = ?", arguments: ["承德\u{1B}]52;c;eA==\u{07}", "第\u{202E}期"])
        }
        for args in [
            ["trainee", "list"], ["trainee", "list", "--format", "csv"], ["trainee", "list", "--format", "json"], ["trainee", "show", "T00001"],
            ["cohort", "show", "c"], ["cohort", "list"], ["rollcall", "1"], ["rollcall", "1", "--format", "csv"], ["eligibility", "c"],
            ["transcript", "T00001"], ["attend", "1", "T99999", "--status", "present"], ["trainee", "show", "王\u{1B}[2J"],
        ] {
            let r = try user.run(args)
            let raw = (r.stdout + r.stderr).unicodeScalars.filter { Visible.isUnsafe($0) && $0 != "\n" && $0 != "\r" }
            #expect(raw.isEmpty, "luban \(args.joined(separator: " ")) printed \(raw.map { String($0.value, radix: 16) })")
        }
        #expect(try user.ok("trainee", "list").contains("\\u{1B}[31m\\u{202E}"))
        #expect(try user.ok("trainee", "list", "--format", "json").contains("\\u001b[31m\\u202e"))
    }

    @Test func forgettingAPersonKeepsTotalsAndCertificates() throws {
        let user = try User()
        try user.demo()
        let yearly = try user.ok("report", "yearly", "--format", "csv")
        let who = try user.ok("trainee", "show", "T00002", "--show-id")
        #expect(who.contains("顾建杰"))
        try user.ok("trainee", "forget", "T00002", "--yes")
        #expect(try user.ok("report", "yearly", "--format", "csv") == yearly)
        #expect(try user.ok("certificate", "verify", "LB-2013-0001-9").hasPrefix("VALID"))
        let after = try user.ok("trainee", "list", "--show-id")
        #expect(!after.contains("顾建杰"))
        #expect(try user.ok("check").hasSuffix("ok\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: user.database)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aHandEditedCertificateIsCaughtByCheckAndVerify() throws {
        let user = try User()
        try user.demo()
        #expect(try user.run(["check"]).status == 0)
        try DatabaseQueue(path: user.database).write {
            try $0.execute(sql: "UPDATE certificate SET issued_on = '2013-09-01' WHERE number = 'LB-2013-0001-9'")
        }
        let check = try user.run(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("PROBLEM: certificate LB-2013-0001-9"))
        #expect(try user.run(["certificate", "verify", "LB-2013-0001-9"]).stdout.hasPrefix("INVALID"))
        #expect(throws: (any Error).self) { try DatabaseQueue(path: user.database).write { try $0.execute(sql: "DELETE FROM certificate") } }
    }

    @Test func backupWhileWritingAndRestoreRefusals() throws {
        let user = try office(trainees: 300, sessions: 50)
        let big = try user.write("sheet.csv", sheet(trainees: 300, sessions: 50))
        let writer = try user.spawn(["attend", "--csv", big])
        let copy = user.folder.appendingPathComponent("backup.sqlite").path
        try user.ok("backup", copy)
        writer.waitUntilExit()
        let entries = try DatabaseQueue(path: copy).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM attendance_entry") ?? -1 }
        #expect(entries == 0 || entries == 15_000, "a backup is one consistent moment")
        #expect(try DatabaseQueue(path: copy).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        // Restore refuses what is not a luban database, or is newer.
        try expectRefused(user, ["restore", try user.write("notes.txt", "hello")])
        let other = user.folder.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: other).write { try $0.execute(sql: "CREATE TABLE t (x)") }
        try expectRefused(user, ["restore", other])
        let newer = user.folder.appendingPathComponent("newer.sqlite").path
        try user.ok("backup", newer)
        try DatabaseQueue(path: newer).write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99 from the future')") }
        try expectRefused(user, ["restore", newer], mentions: ["newer"])
        // And restores a good one.
        try user.ok("restore", copy)
        #expect(try count(user, "SELECT count(*) FROM attendance_entry") == entries)
    }

    @Test func everyChangeIsLoggedWithWhoAndWhen() throws {
        let user = try office(trainees: 2, sessions: 1)
        try user.ok("attend", "1", "T00001", "--status", "late")
        let log = try user.ok("log", "--format", "csv")
        let lines = log.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "id,at,user,action,detail")
        #expect(lines.contains { $0.contains(",attend,") && $0.contains("session 1") })
        // Shown in the local zone with its offset; stored in UTC.
        #expect(
            lines.dropFirst().allSatisfy {
                $0.split(separator: ",")[1].range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}$"#, options: .regularExpression) != nil
            })
        #expect(
            try DatabaseQueue(path: user.database).read { try String.fetchAll($0, sql: "SELECT at FROM change_log") }.allSatisfy { $0.hasSuffix("Z") }
        )
        #expect(try user.ok("log", "--since", "2999-01-01", "--format", "csv") == "id,at,user,action,detail\r\n")
    }
}
