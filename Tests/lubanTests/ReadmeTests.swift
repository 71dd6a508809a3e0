import Foundation
import Testing

/// Every shell command the README shows runs, as written: the setup of a new office on an empty
/// database, everything else on the demo database, in the README's order, with the files it
/// names written first. The few that are not run here say why, by name.
@Suite struct ReadmeTests {
    /// A command line of the README and where it stands.
    struct Line {
        var text: String
        /// The first line of output the README shows under a `$ ` line, if any.
        var shown: String?
    }

    /// The README's commands: `$ ` lines of any block (with the output's first line) and every
    /// line of an `sh` block, comments dropped.
    static func commands() throws -> [Line] {
        let readme = try String(contentsOf: User.root.appendingPathComponent("README.md"), encoding: .utf8)
        var lines: [Line] = []
        var block: String?
        var pending: Int?
        for raw in readme.components(separatedBy: "\n") {
            if raw.hasPrefix("```") {
                block = block == nil ? String(raw.dropFirst(3)) : nil
                pending = nil
                continue
            }
            guard let kind = block else { continue }
            if raw.hasPrefix("$ ") {
                lines.append(Line(text: Self.uncommented(String(raw.dropFirst(2)))))
                pending = lines.count - 1
            } else if kind == "sh", !raw.trimmingCharacters(in: .whitespaces).isEmpty, !raw.hasPrefix("#") {
                lines.append(Line(text: Self.uncommented(raw)))
            } else if let p = pending, lines[p].shown == nil, !raw.isEmpty {
                lines[p].shown = raw
            }
        }
        return lines
    }

    /// A line without its trailing `# comment` (a `#` after a space).
    static func uncommented(_ line: String) -> String {
        guard let r = line.range(of: " # ") ?? line.range(of: "  #") else { return line.trimmingCharacters(in: .whitespaces) }
        return String(line[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
    }

    /// What is not run here, and why.
    static let elsewhere: [(prefix: String, why: String)] = [
        ("swift run luban demo", "the README's first command: CI's fresh clone runs the build, and every test starts from `luban demo`"),
        ("swift test", "the README's second command: it is this test run"),
        ("swift build -c release", "a release build takes minutes: the benchmark makes it"),
        ("install -m 0755", "installs into /usr/local/bin"),
        ("python3 Benchmarks/run.py", "the benchmark: minutes, run by hand and recorded in Benchmarks/"),
        ("luban serve", "starts a server: WebServerTests and WebGuardTests run it over a socket"),
        ("luban hq serve", "starts a server: HQServerTests runs it over a socket"),
        ("luban user add", "asks for a password on the terminal: WebServerTests adds accounts"),
        ("luban user password", "asks for a password on the terminal: WebGuardTests sets one"),
    ]

    /// The commands that set up a new office: run on an empty database.
    static let newOffice = [
        "luban init", "luban curriculum load", "luban cohort add 2014-1", "luban trainee add", "luban trainee import roster.csv --enroll",
        "luban enroll 2014-1", "luban session import 2014-1 schedule.csv",
    ]

    /// Commands the README shows failing, on purpose.
    static let failing = ["cohort show 2099-1", "LANG=zh_CN.UTF-8 luban trainee import roster.csv"]

    /// Files the commands read, written before them.
    static func files(for line: String, _ user: User, demo: Bool) throws {
        if line.contains("trainee import roster.csv") {
            let id = demo ? "110101199003078516" : validID("11010119800101001")
            _ = try user.write("roster.csv", "name,id_number,employer\n张三,\(id),北京古建公司\n")
        }
        if line.contains("schedule.csv") {
            _ = try user.write(
                "schedule.csv", "date,kind,hours,course,site,expert,title\n2014-04-08,classroom,4,,北京,,开班\n2014-04-10,field,4,,普宁寺,,\n")
        }
        if line.contains("schedule-v2.csv") {
            let current = try user.ok("session", "list", "2014-1", "--format", "csv")
            _ = try user.write("schedule-v2.csv", Self.scheduleFile(current, dropping: 1))
        }
        if line.contains("verdicts.csv") {
            _ = try user.write("verdicts.csv", "trainee,technique,expert,result\nT00023,彩画,周文远,pass\n")
        }
        if line.contains("/backups/") {
            try FileManager.default.createDirectory(atPath: user.folder.appendingPathComponent("backups").path, withIntermediateDirectories: true)
        }
        // The corrections: the demo's cohorts all hold certificates, under which no session
        // moves (CorrectionsTests): 2014-1's are revoked first, as the README says.
        if line.hasPrefix("luban session edit 12") {
            let resting = try NeighbourTests.sqlite3(
                user.database,
                """
                SELECT number FROM certificate WHERE status = 'valid' AND trainee_id IN
                    (SELECT trainee_id FROM enrolment JOIN cohort ON cohort.id = enrolment.cohort_id WHERE cohort.code = '2014-1')
                ORDER BY tier DESC, number
                """)
            for number in resting.split(whereSeparator: \.isNewline) {
                let r = try user.run(["certificate", "revoke", String(number), "--reason", "更正前撤销", "--cascade"])
                #expect(r.status == 0 || r.stderr.contains("already revoked"), "\(r.stderr)")
            }
        }
        // A second revision of the curriculum to move a cohort to: the same file loaded again, edited.
        if line.hasPrefix("luban cohort set-curriculum") {
            let yaml = try String(contentsOf: User.root.appendingPathComponent("Curriculum/luban.yaml"), encoding: .utf8)
            let edited = try user.write("luban-v2.yaml", yaml.replacingOccurrences(of: "\ntitle: ", with: "\ntitle: （第二版）"))
            try user.ok("curriculum", "load", edited)
        }
        // The printed certificate the employer verifies.
        if line.contains("verify LB-2013-0001-9.txt") {
            try user.ok("certificate", "print", "LB-2013-0001-9", "--out", "LB-2013-0001-9.txt")
        }
        // The nightly backup the restore takes.
        if line.contains("restore /backups/luban-2016-04-23.sqlite") {
            try user.ok("backup", "backups/luban-2016-04-23.sqlite")
        }
    }

    /// What a line needs beside the database: the employer's key for `ed25519:…`; `--yes` where
    /// the README says a script gives it (a person at the keyboard is asked); no database for
    /// the employer, who has only the file and the key.
    static func asTyped(_ line: String, _ user: User) throws -> (line: String, user: User) {
        var (line, user) = (line, user)
        // HQ: the test's own PostgreSQL database for the README's example server; the centre
        // joins with HQ's key as HQ printed it.
        if let url = user.environment["LUBAN_HQ"] {
            line = line.replacingOccurrences(of: "postgresql://luban@db.example:5432/luban_hq", with: url)
        }
        if line.hasPrefix("luban office join") {
            line = line.replacingOccurrences(of: "ed25519:…", with: try user.ok("hq", "key").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if line.contains("ed25519:…") {
            line = line.replacingOccurrences(of: "ed25519:…", with: try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines))
            user.environment["LUBAN_DB"] = user.folder.appendingPathComponent("employer-has-none.sqlite").path
        }
        if line.hasPrefix("luban trainee forget") || line.contains("--replace") { line += " --yes" }
        return (line, user)
    }

    /// A cohort's schedule as `session list --format csv` gives it, written as a schedule file
    /// without its last `dropping` sessions.
    static func scheduleFile(_ listing: String, dropping: Int) -> String {
        let rows = listing.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = rows.first else { return "" }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        let wanted = ["date", "kind", "hours", "course", "site", "expert", "title"]
        var out = wanted.joined(separator: ",") + "\n"
        for row in rows.dropFirst().dropLast(dropping) {
            out += wanted.map { name in column(name).map { row[$0] } ?? "" }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Runs `line` with `sh`, as typed, in the user's folder with `luban` on the PATH.
    static func shell(_ user: User, _ line: String, stdin: String = "") throws -> User.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `/backups/…` in the README is the office's backup folder: here, one in the test's folder.
        p.arguments = ["-c", line.replacingOccurrences(of: " /backups/", with: " backups/")]
        var environment = user.environment
        environment["PATH"] = User.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        p.environment = environment
        p.currentDirectoryURL = user.folder
        let (out, err, input) = (Pipe(), Pipe(), Pipe())
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return User.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func everyCommandInTheReadmeRuns() throws {
        let commands = try Self.commands()
        #expect(commands.count > 50, "found only \(commands.count) commands in the README")
        // As a user's shell has it: the machine's locale, no test's language setting.
        func plain(_ user: User) -> User {
            var user = user
            user.environment.removeValue(forKey: "LUBAN_LANG")
            user.environment["LANG"] = "C.UTF-8"
            return user
        }
        let office = plain(try User())
        try FileManager.default.createSymbolicLink(
            at: office.folder.appendingPathComponent("Curriculum"), withDestinationURL: User.root.appendingPathComponent("Curriculum"))
        var demo = plain(try User())
        // The union's headquarters: a database of its own on the tests' PostgreSQL server.
        demo.environment["LUBAN_HQ"] = try TestPostgres.database()
        demo.environment["LUBAN_HQ_KEY_FILE"] = demo.folder.appendingPathComponent("hq.key").path
        try demo.ok("demo")
        try FileManager.default.createSymbolicLink(
            at: demo.folder.appendingPathComponent("Curriculum"), withDestinationURL: User.root.appendingPathComponent("Curriculum"))
        // The corrections block changes what certificates rest on: it runs on its own copy of the
        // demo, so that the rest of the README meets the demo as its outputs show it.
        let corrections = plain(try User())
        try corrections.ok("demo")
        let first = try #require(commands.firstIndex { $0.text.hasPrefix("luban session edit 12") })
        let last = try #require(commands.firstIndex { $0.text.hasPrefix("luban log --trainee") })
        var ran = 0
        for (index, command) in commands.enumerated() {
            let line = command.text
            // Not run here: `elsewhere` says why, line by line.
            if Self.elsewhere.contains(where: { line.hasPrefix($0.prefix) }) { continue }
            let fresh = Self.newOffice.contains { line.hasPrefix($0) }
            let target = fresh ? office : (first...last).contains(index) ? corrections : demo
            try Self.files(for: line, target, demo: !fresh)
            let (typed, user) = try Self.asTyped(line, target)
            let result = try Self.shell(user, typed)
            ran += 1
            if Self.failing.contains(where: { line.contains($0) }) {
                #expect(result.status == 1, "\(line): expected to fail as the README shows")
                if let shown = command.shown { #expect(result.stderr.hasPrefix(shown), "\(line):\n\(result.stderr)\nREADME: \(shown)") }
                continue
            }
            #expect(result.status == 0, "\(line): exit \(result.status)\n\(result.stdout.prefix(600))\n\(result.stderr.prefix(600))")
            if let shown = command.shown, !shown.hasPrefix("…") {
                let first = String(result.stdout.prefix { $0 != "\n" })
                #expect(first == shown, "\(line): prints\n\(first)\nthe README shows\n\(shown)")
            }
        }
        #expect(ran > 45)
    }
}
