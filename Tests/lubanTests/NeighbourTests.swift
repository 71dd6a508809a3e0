import Foundation
import Glibc
import Synchronization
import Testing

/// The records beside their neighbours: the server, the command line and an outside `sqlite3`
/// on one file at once; the file moved or removed under the server; a backup crafted to slip
/// something in. Each test performs the attack and fails if it ever works again.
@Suite struct NeighbourTests {
    /// The device number of the database file and its inode, as /proc/locks writes them.
    static func lockKey(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw POSIXError(.ENOENT) }
        let major = (info.st_dev >> 8) & 0xfff
        let minor = (info.st_dev & 0xff) | ((info.st_dev >> 12) & 0xfff00)
        return String(format: "%02x:%02x:%llu", major, minor, UInt64(info.st_ino))
    }

    /// The lines of /proc/locks that `pid` holds on `path`.
    static func locks(of pid: Int32, on path: String) throws -> [String] {
        let key = try lockKey(path)
        let all = try String(contentsOfFile: "/proc/locks", encoding: .utf8)
        return all.split(separator: "\n").map(String.init).filter {
            let f = $0.split(separator: " ", omittingEmptySubsequences: true)
            return f.count > 5 && f[4] == "\(pid)" && f[5] == key
        }
    }

    /// `sqlite3 PATH SQL`: an outside reader, opening and closing the file as any tool does.
    @discardableResult
    static func sqlite3(_ path: String, _ sql: String, waiting: Bool = false) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = ["-bail"] + (waiting ? ["-cmd", ".timeout 5000"] : []) + [path, sql]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theServerKeepsItsLocksOnTheDatabaseWhateverItOpens() throws {
        let (user, session) = try WebServerTests.fieldSite()
        let field = try WebServerTests.rollCall(user, session)
        defer { if field.server.isRunning { field.server.terminate() } }
        let phone = field.phone
        // Pages that open the database in every way the server does: the link, the board, a mark,
        // a certificate checked by number (the verifier's own look at the register).
        _ = try phone.get(field.link)
        #expect(try phone.post(field.link + "/pin", ["pin": field.pin]).status == 303)
        #expect(try phone.post(field.link + "/mark", ["m": "T00001 present"]).status == 303)
        _ = try phone.get("/verify")
        #expect(try phone.post("/verify", ["text": "LB-2013-0001-9"]).status == 200)
        // A command beside it, which opens and closes the file.
        try user.ok("attend", session, "T00002", "--status", "late")
        let held = try Self.locks(of: field.server.processIdentifier, on: user.database)
        // SQLite's shared lock on the database file, held as long as the connection is open in
        // WAL mode: without it the next process to close the file thinks it is the last one.
        let table = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
        #expect(!held.isEmpty, "the server holds no lock on \(user.database): \(table)")
        kill(field.server.processIdentifier, SIGINT)
        field.server.waitUntilExit()
    }

    /// 20 phones tapping, the command line marking and `sqlite3` reading, all at once on one
    /// file (as the README invites): every answered tap and every "recorded" is in the ledger,
    /// and the file is whole.
    @Test func phonesTheCommandLineAndAnOutsideReaderTogether() throws {
        let seconds = Double(ProcessInfo.processInfo.environment["LUBAN_SOAK_SECONDS"] ?? "") ?? 30
        let (user, session) = try WebServerTests.fieldSite()
        try user.ok(["enroll", "2026-9"] + (41...50).map { String(format: "T%05d", $0) })
        let field = try WebServerTests.rollCall(user, session)
        defer { if field.server.isRunning { field.server.terminate() } }
        let port = field.phone.port
        let end = Date().addingTimeInterval(seconds)
        // Each phone its own device and its own two trainees; each tap changes the status, so
        // each answered tap is one ledger entry.
        let answered = Mutex<[String: Int]>([:])
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for i in 0..<20 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let phone = Phone(port: port, address: "127.0.0.\(10 + i)")
                do {
                    _ = try phone.get(field.link)
                    guard try phone.post(field.link + "/pin", ["pin": field.pin]).status == 303 else {
                        failures.withLock { $0.append("phone \(i): PIN refused") }
                        return
                    }
                    let trainees = [String(format: "T%05d", 2 * i + 1), String(format: "T%05d", 2 * i + 2)]
                    var n = 0
                    while Date() < end {
                        let code = trainees[n % 2]
                        let status = (n / 2) % 2 == 0 ? "present" : "late"
                        let answer = try phone.post(field.link + "/mark", ["m": "\(code) \(status)"], json: true)
                        if answer.status == 200 {
                            answered.withLock { $0[code, default: 0] += 1 }
                        } else {
                            failures.withLock { $0.append("phone \(i) \(code): \(answer.status) \(answer.body.prefix(200))") }
                        }
                        n += 1
                    }
                } catch {
                    failures.withLock { $0.append("phone \(i): \(error)") }
                }
            }
        }
        // The command line, marking ten other trainees of the same session in turn.
        let recorded = Mutex<[String: Int]>([:])
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            var n = 0
            while Date() < end {
                let code = String(format: "T%05d", 41 + n % 10)
                let status = (n / 10) % 2 == 0 ? "absent" : "excused"
                do {
                    let r = try user.run(["attend", session, code, "--status", status])
                    if r.status == 0 && r.stdout.contains("1 recorded") {
                        recorded.withLock { $0[code, default: 0] += 1 }
                    } else {
                        failures.withLock { $0.append("attend \(code): \(r.status) \(r.stdout) \(r.stderr)") }
                    }
                } catch {
                    failures.withLock { $0.append("attend: \(error)") }
                }
                n += 1
            }
        }
        // An outside reader, opening and closing the file again and again. Like any reader
        // (Python's sqlite3 waits 5 s), it waits for a lock SQLite holds for a moment (the
        // write-ahead log's index, rebuilt or reset while a writer commits) instead of failing.
        let reads = Mutex(0)
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            while Date() < end {
                let out = (try? Self.sqlite3(user.database, "SELECT count(*) FROM attendance_entry", waiting: true)) ?? "sqlite3 did not run"
                if Int(out) != nil {
                    reads.withLock { $0 += 1 }
                } else {
                    failures.withLock { $0.append("sqlite3 read failed: \(out)") }
                }
                usleep(20_000)
            }
        }
        group.wait()
        kill(field.server.processIdentifier, SIGINT)
        field.server.waitUntilExit()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(10) })")
        let taps = answered.withLock { $0 }
        let marks = recorded.withLock { $0 }
        let (tapCount, markCount, readCount) = (taps.values.reduce(0, +), marks.values.reduce(0, +), reads.withLock { $0 })
        #expect(tapCount > 100 && markCount >= 5 && readCount > 10, "\(tapCount) taps, \(markCount) marks, \(readCount) reads")
        // Every answer is an entry in the ledger, by the right hand.
        let history = try user.ok("attendance", "history", session, "--format", "csv")
        #expect(history.count > 100, "\(history.prefix(500))")
        var entries: [String: Int] = [:]
        for line in history.split(whereSeparator: \.isNewline).dropFirst() {
            if let code = line.split(separator: ",").first(where: { $0.hasPrefix("T000") }) { entries[String(code), default: 0] += 1 }
        }
        for (code, n) in taps { #expect(entries[code] == n, "\(code): \(n) taps answered, \(entries[code] ?? 0) in the ledger") }
        for (code, n) in marks { #expect(entries[code] == n, "\(code): \(n) recorded, \(entries[code] ?? 0) in the ledger") }
        #expect(try Self.sqlite3(user.database, "PRAGMA integrity_check") == "ok")
        let check = try user.run(["check"])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
    }

    @Test func aDatabaseReplacedUnderTheServerIsNeverWrittenInto() throws {
        let (user, session) = try WebServerTests.fieldSite()
        let copy = user.folder.appendingPathComponent("copy.sqlite").path
        try user.ok("backup", copy)
        let before = try Self.sqlite3(copy, "SELECT count(*) FROM attendance_entry")
        let field = try WebServerTests.expertAtWork(user, session)
        defer { if field.server.isRunning { field.server.terminate() } }
        let phone = field.phone
        for i in 1...5 { #expect(try phone.post(field.link + "/mark", ["m": String(format: "T%05d late", i)]).status == 303) }
        // Another file moved over the database while the server runs.
        #expect(rename(copy, user.database) == 0)
        let refused = try phone.post(field.link + "/mark", ["m": "T00006 late"], json: true)
        #expect(refused.status == 503 && refused.body.contains("被移走、替换或删除"), "\(refused.body)")
        // A command opening the file now finds it whole, with none of the server's marks.
        #expect(try Self.sqlite3(user.database, "PRAGMA integrity_check") == "ok")
        #expect(try Self.sqlite3(user.database, "SELECT count(*) FROM attendance_entry") == before)
        try user.ok("check")
        kill(field.server.processIdentifier, SIGINT)
        field.server.waitUntilExit()
        #expect(field.output.text.withLock { $0 }.contains("none kept"))
        #expect(try Self.sqlite3(user.database, "PRAGMA integrity_check") == "ok")
        #expect(try Self.sqlite3(user.database, "SELECT count(*) FROM attendance_entry") == before)
        try user.ok("check")
    }

    @Test func aDatabaseRemovedUnderTheServerRefusesMarksSayingSo() throws {
        let (user, session) = try WebServerTests.fieldSite()
        let field = try WebServerTests.expertAtWork(user, session)
        defer { if field.server.isRunning { field.server.terminate() } }
        let phone = field.phone
        #expect(try phone.post(field.link + "/mark", ["m": "T00001 late"]).status == 303)
        #expect(unlink(user.database) == 0)
        let refused = try phone.post(field.link + "/mark", ["m": "T00002 late"], json: true)
        #expect(refused.status == 503 && refused.body.contains("此项未保存"), "\(refused.body)")
        kill(field.server.processIdentifier, SIGINT)
        field.server.waitUntilExit()
        let log = field.output.text.withLock { $0 }
        #expect(log.contains("none kept") && !log.contains("every mark is in the database"))
    }

    // MARK: - Restore

    /// A backup made with `luban backup`, then changed with `sqlite3` as an attacker would.
    static func crafted(_ user: User, _ name: String, _ sql: String) throws -> String {
        let file = user.folder.appendingPathComponent(name).path
        try user.ok("backup", file)
        let out = try sqlite3(file, sql)
        #expect(out.isEmpty, "\(name): \(out)")
        return file
    }

    @Test func aCraftedBackupIsNotRestored() throws {
        let user = try User()
        try user.demo()
        let cases: [(String, String)] = [
            // Names that SQLite's own match as `LIKE 'sqlite_%'` (`_` is any character).
            (
                "forget.sqlite",
                """
                CREATE TABLE sqliteXkept (name TEXT, id_number TEXT, phone TEXT);
                CREATE TRIGGER sqliteXforget BEFORE UPDATE OF name ON trainee
                BEGIN INSERT INTO sqliteXkept VALUES (old.name, old.id_number, old.phone); END;
                """
            ),
            (
                "drop.sqlite",
                "CREATE TRIGGER sqlite1drop AFTER INSERT ON attendance_entry BEGIN SELECT 1; END;"
            ),
            // A trigger under a name SQLite keeps for itself, planted through the schema table.
            (
                "planted.sqlite",
                """
                PRAGMA writable_schema = ON;
                INSERT INTO sqlite_master VALUES ('trigger', 'sqlite_planted', 'trainee', 0,
                  'CREATE TRIGGER sqlite_planted AFTER UPDATE ON trainee BEGIN SELECT 1; END');
                """
            ),
        ]
        let before = try user.ok("report", "yearly", "--format", "csv")
        for (name, sql) in cases {
            let file = try Self.crafted(user, name, sql)
            let r = try user.run(["restore", file])
            #expect(
                r.status == 1 && r.stderr.contains("its schema is not what luban makes") && r.stderr.contains("nothing was restored"),
                "\(name): \(r.stderr)")
        }
        #expect(try user.ok("report", "yearly", "--format", "csv") == before)
        #expect(!FileManager.default.fileExists(atPath: user.database + ".before-restore"))
    }

    @Test func aBackupWithOfficeAccountsIsRestoredOnlyWhenAskedAndItsLinksAreClosed() throws {
        let (user, session) = try WebServerTests.fieldSite()
        try user.run(["user", "add", "planted"], stdin: "a password long enough\n")
        // An open roll-call link in the backup.
        let field = try WebServerTests.rollCall(user, session)
        kill(field.server.processIdentifier, SIGINT)
        field.server.waitUntilExit()
        let backup = user.folder.appendingPathComponent("with-account.sqlite").path
        try user.ok("backup", backup)
        try user.ok("user", "remove", "planted")
        let refused = try user.run(["restore", backup])
        #expect(refused.status == 1 && refused.stderr.contains("holds 1 office account(s)") && refused.stderr.contains("'planted'"))
        #expect(refused.stderr.contains("--with-accounts") && refused.stderr.contains("nothing was restored"))
        #expect(!(try user.ok("user", "list", "--format", "csv").contains("planted")))
        // A copy a killed restore left behind (its process is gone) is removed by the next one.
        let abandoned = user.database + ".restoring-4194000"
        #expect(FileManager.default.createFile(atPath: abandoned, contents: Data("the backup's people".utf8)))
        try user.ok("restore", backup, "--with-accounts")
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(try user.ok("user", "list", "--format", "csv").contains("planted"))
        #expect(try Self.sqlite3(user.database, "SELECT count(*) FROM rollcall_link WHERE closed_at IS NULL") == "0")
        let log = try user.ok("log", "--format", "csv")
        #expect(log.contains("restore"))
    }
}
