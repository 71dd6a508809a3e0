import Foundation
import GRDB
import LubanKit
import Testing

/// Issue 12: nothing lost, nothing leaked. Each attack or careless step is performed through
/// the `luban` binary, and each test fails if it ever works again.
@Suite(.serialized) struct DataSafetyTests {
    func files(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test func aWrongPathNeverLooksLikeAnEmptyOffice() throws {
        let user = try User()
        let before = try files(in: user.folder)
        for args in [
            ["report", "yearly"], ["check"], ["trainee", "list"], ["attend", "1", "T00001", "--status", "present"],
            ["cohort", "add", "c", "--start", "2014-04-01", "--end", "2014-04-30", "--site", "承德"],
        ] {
            for db in ["typo.sqlite", "no/such/folder/office.sqlite"] {
                let r = try user.run(args + ["--db", db])
                #expect(r.status == 1, "\(args)")
                #expect(
                    r.stderr == "Error: no luban database at \(db); create one with luban init (or check --db / LUBAN_DB)\n", "\(args): \(r.stderr)")
            }
        }
        #expect(try files(in: user.folder) == before, "no file or folder was created")
        // Only init, demo and restore create one.
        try user.ok("init", "--db", "new/office.sqlite")
        #expect(FileManager.default.fileExists(atPath: user.folder.appendingPathComponent("new/office.sqlite").path))
        let mode = try FileManager.default.attributesOfItem(atPath: user.folder.appendingPathComponent("new").path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    /// As another account (root ignores permissions): a database in a folder it cannot write
    /// is read, and a write says the folder is read-only.
    @Test func aReadOnlyFolderCanBeReadNotWritten() throws {
        guard getuid() == 0 else { return readOnlyAsOwner() }
        let folder = URL(fileURLWithPath: "/tmp/luban-readonly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("office.sqlite").path
        let binary = folder.appendingPathComponent("luban").path
        try FileManager.default.copyItem(atPath: User.binary.path, toPath: binary)
        let demo = try User()
        #expect(try demo.run(["demo", "--db", db]).status == 0)
        func asNobody(_ args: [String]) throws -> User.Result {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + args + ["--db", db]
            let out = Pipe()
            let err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return User.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
        }
        _ = try Process.run(URL(fileURLWithPath: "/bin/chown"), arguments: ["-R", "65534:65534", folder.path]).waitUntilExit()
        chmod(folder.path, 0o555)
        let report = try asNobody(["report", "yearly", "--format", "csv"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.hasPrefix("year,cohorts"))
        #expect(try asNobody(["certificate", "verify", "LB-2013-0001-9"]).stdout.hasPrefix("VALID"))
        let write = try asNobody(["attend", "1", "T00002", "--status", "absent"])
        #expect(write.status == 1)
        #expect(write.stderr.contains("is read-only: it can be read (reports, verify) but not changed"), "\(write.stderr)")
        chmod(folder.path, 0o755)
    }

    func readOnlyAsOwner() {
        // Not root: the same check with the folder made read-only for its owner.
        let user = try! User()
        _ = try! user.run(["demo"])
        chmod(user.folder.path, 0o555)
        defer { chmod(user.folder.path, 0o755) }
        #expect(try! user.run(["report", "yearly"]).status == 0)
        #expect(try! user.run(["attend", "1", "T00002", "--status", "absent"]).stderr.contains("is read-only"))
    }

    /// Builds a damaged or doctored copy of a backup with SQL run on it.
    func doctored(_ user: User, _ name: String, from backup: String, _ sql: String) throws -> String {
        let path = user.folder.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: backup, toPath: path)
        try DatabaseQueue(path: path).write { try $0.execute(sql: sql) }
        return path
    }

    func summary(_ user: User) throws -> String {
        try user.ok("report", "yearly", "--format", "csv") + (try user.ok("trainee", "list", "--format", "csv"))
    }

    @Test func restoreNeverHarmsTheLiveDatabase() throws {
        let user = try User()
        try user.demo()
        let backup = user.folder.appendingPathComponent("backup.sqlite").path
        try user.ok("backup", backup)
        try user.ok("attend", "1", "T00001", "--status", "absent", "--note", "after the backup")
        let live = try summary(user)
        let attacks: [(String, String, String)] = [
            (
                "missing.sqlite", "DROP TABLE signoff",
                "its schema is not what luban makes (missing or changed: index signoff_cohort, index signoff_trainee, table signoff"
            ),
            (
                "stealer.sqlite",
                """
                CREATE TABLE loot (id_number TEXT);
                CREATE TRIGGER steal BEFORE UPDATE OF id_number ON trainee BEGIN INSERT INTO loot VALUES (OLD.id_number); END;
                """, "its schema is not what luban makes (not made by luban: table loot, trigger steal"
            ),
            ("undeletable.sqlite", "DROP TRIGGER certificate_no_delete", "missing or changed: trigger certificate_no_delete"),
            ("newer.sqlite", "INSERT INTO grdb_migrations VALUES ('v99 from the future')", "was written by a newer luban"),
        ]
        for (name, sql, message) in attacks {
            let file = try doctored(user, name, from: backup, sql)
            let r = try user.run(["restore", file])
            #expect(r.status == 1, "\(name) was restored")
            #expect(r.stderr.contains(message) && r.stderr.contains("nothing was restored"), "\(name): \(r.stderr)")
            #expect(try summary(user) == live, "\(name) changed the live database")
        }
        // A corrupt backup: bytes overwritten in the middle of the file.
        let corrupt = user.folder.appendingPathComponent("corrupt.sqlite").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        for i in stride(from: bytes.count / 2, to: bytes.count / 2 + 8192, by: 1) { bytes[i] = 0x5A }
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        let r = try user.run(["restore", corrupt])
        #expect(r.status == 1 && r.stderr.contains("nothing was restored"), "\(r.stderr)")
        #expect(try summary(user) == live)
        // Another office's (or the demo's) register is not restored by accident.
        let other = try User()
        try other.ok("init")
        try other.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        let foreign = try other.run(["restore", backup])
        #expect(foreign.status == 1 && foreign.stderr.contains("was signed by another issuer key (385b1d694ae86d43"), "\(foreign.stderr)")
        #expect(try other.run(["restore", backup, "--other-issuer"]).status == 0)
        #expect(try user.run(["restore", user.folder.appendingPathComponent("nothing-here.sqlite").path]).stderr.contains("no such file"))
        #expect(try summary(user) == live)
    }

    @Test func aPersonErasedAfterABackupStaysErasedAfterRestore() throws {
        let user = try User()
        try user.demo()
        let backup = user.folder.appendingPathComponent("backup.sqlite").path
        try user.ok("backup", backup)
        #expect(try user.ok("trainee", "show", "T00002").contains("顾建杰"))
        let refused = try user.run(["trainee", "forget", "T00002"])
        #expect(refused.status == 1 && refused.stderr.contains("give --yes"), "not a terminal: it asks for --yes")
        try user.ok("trainee", "forget", "T00002", "--yes")
        let restored = try user.ok("restore", backup)
        #expect(restored.contains("1 people erased since the backup was taken were erased again"))
        #expect(!(try user.ok("trainee", "show", "T00002")).contains("顾建杰"))
        #expect(try user.ok("certificate", "verify", "LB-2013-0001-9").hasPrefix("VALID"))
        let kept = user.database + ".before-restore"
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: user.database + ".erased", encoding: .utf8) == "T00002\n")
        #expect(try user.ok("check").hasSuffix("ok\n"))
        // A second restore does not overwrite the kept database.
        let again = try user.run(["restore", backup])
        #expect(again.status == 1 && again.stderr.contains("before-restore: is left from an earlier restore"))
    }

    @Test func forgettingLeavesNoTraceInTheFileItsLogOrTheAuditLog() throws {
        let user = try User()
        try user.demo()
        let csv = try user.ok("trainee", "list", "--show-id", "--format", "csv").split(separator: "\r\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let names = csv.map { $0[1] }
        // A trainee whose name no one else has, with a phone.
        let person = try #require(csv.first { row in names.filter { $0 == row[1] }.count == 1 && !row[5].isEmpty })
        try user.ok("signoff", "2013-1", person[2], "--technique", "榫卯", "--expert", "周文远", "--result", "pass")
        try user.ok("trainee", "forget", person[0], "--yes")
        var stored = Data()
        for suffix in ["", "-wal"] { stored += (try? Data(contentsOf: URL(fileURLWithPath: user.database + suffix))) ?? Data() }
        for secret in [person[1], person[2], person[5]] {
            #expect(stored.range(of: Data(secret.utf8)) == nil, "'\(secret)' is still in the database file or its log")
        }
        let log = try user.ok("log", "--format", "csv", "--show-id")
        for secret in [person[1], person[2], person[5]] { #expect(!log.contains(secret), "the audit log holds '\(secret)'") }
        #expect(log.contains("signoff,2013-1 \(person[0]) 榫卯 pass"), "a sign-off given by ID number is logged by code")
    }

    @Test func theAuditLogNamesTheAccountNotUSER() throws {
        var user = try User()
        user.environment["USER"] = "mallory"
        try user.ok("init")
        let account = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let log = try user.ok("log", "--format", "csv")
        #expect(log.contains(",\(account),") && !log.contains("mallory"), "\(log)")
    }

    @Test func aSheetLubanPrintedReadsBackWhateverTheNames() throws {
        let user = try User()
        try user.ok("init")
        try user.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        try user.ok("cohort", "add", "c", "--start", "2014-04-01", "--end", "2014-04-30", "--site", "承德")
        for (i, name) in ["=SUM(1)", "+王", "-李", "@张"].enumerated() {
            try user.ok("trainee", "add", "--name=\(name)", "--id-number", validID("1101011980010100\(i)"))
        }
        try user.ok("enroll", "c", "T00001", "T00002", "T00003", "T00004")
        try user.ok("session", "add", "c", "--kind", "classroom", "--date", "2014-04-02", "--hours", "2")
        let sheet = try user.ok("rollcall", "1", "--format", "csv")
        #expect(sheet.contains("'=SUM(1)"))
        let filled = sheet.replacingOccurrences(of: ",,\r\n", with: ",出勤,\r\n")
        let r = try user.run(["attend", "--csv", try user.write("sheet.csv", filled)])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("4 recorded"))
    }

    @Test func outputFilesAreOwnerOnlyAndFollowNoSymlink() throws {
        let user = try User()
        try user.demo()
        let victim = try user.write("victim.txt", "precious\n")
        let out = user.folder.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("trainee.csv").path, withDestinationPath: victim)
        // Under a permissive umask, as a careless shell might have.
        func luban(_ args: String) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "umask 000; exec \"$0\" \(args)", User.binary.path]
            p.environment = user.environment
            p.currentDirectoryURL = user.folder
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        #expect(try luban("export export") == 0)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "the export wrote through the planted link")
        let attributes = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("trainee.csv").path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        for folder in ["certs", "data"] {
            _ =
                folder == "certs"
                ? try luban("certificate print --cohort 2013-1 --out certs")
                : try luban("generate data --cohorts 1 --trainees 60 --trainees-per-cohort 50")
            let mode = try FileManager.default.attributesOfItem(atPath: user.folder.appendingPathComponent(folder).path)[.posixPermissions] as? Int
            #expect(mode == 0o700, "\(folder)")
        }
        for path in [out.path, user.folder.appendingPathComponent("certs").path, user.folder.appendingPathComponent("data").path] {
            for file in try FileManager.default.contentsOfDirectory(atPath: path) {
                let mode = try FileManager.default.attributesOfItem(atPath: path + "/" + file)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(path)/\(file) is \(String(mode ?? 0, radix: 8))")
            }
        }
        // A backup never writes through a link either.
        try FileManager.default.createSymbolicLink(atPath: user.folder.appendingPathComponent("link.sqlite").path, withDestinationPath: victim)
        #expect(try luban("backup link.sqlite") == 1)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }
}
