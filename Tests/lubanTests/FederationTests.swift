import Foundation
import GRDB
import LubanKit
import Testing

/// Centres publish bundles; HQ gathers them in a real PostgreSQL server (docs/FEDERATION.md).
@Suite struct FederationTests {
    /// Publishes the centre's next bundle, applies it at HQ, and checks that HQ's figures for the
    /// centre are the centre's own, byte for byte.
    func sync(_ centre: User, _ code: String, _ hq: User, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bundle = try centre.publish()
        let applied = try hq.ok("hq", "apply", bundle)
        #expect(applied.contains("applied: \(code)"), "\(applied)", sourceLocation: sourceLocation)
        let own = try centre.ok("report", "yearly", "--format", "csv")
        let atHQ = try hq.ok("hq", "report", "yearly", "--office", code, "--format", "csv")
        #expect(own == atHQ, "HQ's figures for \(code) differ from its own:\n\(unifiedDiff(own, atHQ))", sourceLocation: sourceLocation)
    }

    @Test func aCentresFiguresAtHQAreItsOwnAfterEveryKindOfCorrection() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        try sync(cd, "CD", hq)
        // A new cohort (the demo's have certificates, which freeze what they rest on), then a
        // moved session, a cancelled one, a corrected mark, a mark taken back, a withdrawal, a
        // transfer, a voided verdict, a certificate revoked and one issued anew, a person
        // forgotten: after each, HQ's figures are the centre's.
        let trainees = (1...6).map { String(format: "T%05d", $0) }
        try cd.ok("cohort", "add", "2026-1", "--start", "2026-03-02", "--end", "2026-03-13", "--site", "承德")
        try cd.ok("cohort", "add", "2026-2", "--start", "2026-09-07", "--end", "2026-09-18", "--site", "承德")
        try cd.ok(["enroll", "2026-1"] + trainees)
        let first = try cd.ok("session", "add", "2026-1", "--kind", "classroom", "--date", "2026-03-02", "--hours", "4")
        let session = first.split(whereSeparator: { !$0.isNumber }).first.map(String.init) ?? ""
        let second = try cd.ok("session", "add", "2026-1", "--kind", "field", "--date", "2026-03-03", "--hours", "6")
        let field = second.split(whereSeparator: { !$0.isNumber }).first.map(String.init) ?? ""
        try cd.ok(["attend", session] + trainees + ["--status", "present"])
        try cd.ok(["attend", field] + trainees + ["--status", "present"])
        try sync(cd, "CD", hq)
        let corrections: [[String]] = [
            ["session", "edit", session, "--date", "2026-03-04"],
            ["session", "cancel", field, "--reason", "rained off"],
            ["session", "cancel", field, "--undo"],
            ["attend", session, "T00001", "--status", "absent"],
            ["attend", session, "T00002", "--unmark"],
            ["withdraw", "2026-1", "T00003", "--reason", "moved to Tianjin", "--on", "2026-03-05"],
            ["transfer", "T00004", "--from", "2026-1", "--to", "2026-2", "--on", "2026-03-05"],
            ["signoff", "record", "2026-1", "T00005", "--technique", "彩画", "--expert", "周文远", "--result", "pass"],
            ["signoff", "void", "2026-1", "T00005", "--technique", "彩画", "--reason", "entered by mistake"],
            ["certificate", "revoke", "LB-2013-0002-7", "--reason", "wrong hours", "--cascade"],
            ["certify", "2013-1", "--date", "2026-12-07", "--reissue", "T00003"],
            ["trainee", "forget", "T00006", "--yes"],
        ]
        for correction in corrections {
            let r = try cd.run(correction)
            #expect(r.status == 0, "luban \(correction.joined(separator: " ")): \(r.stderr)")
            try sync(cd, "CD", hq)
        }
        // Issued after joining: numbered with the centre's code, and checked at HQ by name.
        let register = try cd.ok("certificate", "print", "--all", "--format", "csv", "--show-id")
        let reissued = try #require(register.split(separator: "\r\n").first { $0.hasPrefix("CD-2026-") && $0.contains(",completion,") })
        let number = String(reissued.split(separator: ",")[0])
        let name = String(reissued.split(separator: ",")[2])
        #expect(try hq.ok("hq", "verify", number, "--name", name).contains("VALID \(number): 结业证书"))
        #expect(try hq.ok("hq", "verify", number, "--name", name).contains("CD 培训中心 (CD)"))
        let revoked = try hq.run(["hq", "verify", "LB-2013-0002-7", "--name", "徐德"])
        #expect(revoked.status == 1 && revoked.stdout.hasPrefix("REVOKED LB-2013-0002-7"))
        // A wrong name says nothing of who holds the number.
        let wrong = try hq.run(["hq", "verify", number, "--name", "王五"])
        #expect(wrong.status == 1 && wrong.stdout.hasPrefix("INVALID") && !wrong.stdout.contains(name) && !wrong.stdout.contains("培训中心"))
        // A mistyped number is told as such, not as an unknown certificate.
        let typo = try hq.run(["hq", "verify", String(number.dropLast()) + (number.hasSuffix("0") ? "1" : "0"), "--name", name])
        #expect(typo.status == 1 && typo.stderr.contains("fails its check character"), "\(typo.stdout)\(typo.stderr)")
        // Nothing new: no bundle.
        #expect(try cd.ok("publish", "--out", cd.folder.appendingPathComponent("bundles").path).contains("nothing recorded"))
    }

    /// A bundle of an older luban is of format 1 (signed over its bytes, not their SHA-256) and
    /// holds every ledger entry after the last one published, in the ledger's order (a
    /// correction after what it corrects); luban now publishes the newest entry of each pair, in
    /// key order. HQ reads both alike: the newest entry decides.
    @Test func aBundleWithEveryEntryInTheLedgersOrderAppliesAsTheCentreCountsIt() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        try sync(cd, "CD", hq)
        // Marks and their corrections, in an order unlike the key's: the older entry of a pair
        // would count other hours than the newer one.
        for (session, trainee, status) in [("3", "T00014", "absent"), ("3", "T00001", "absent"), ("3", "T00014", "late"), ("3", "T00001", "present")]
        {
            try cd.ok("attend", session, trainee, "--status", status)
        }
        let published = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try cd.publish())))
        let key = try IssuerKey.load(at: IssuerKey.path(forDatabase: cd.database))
        let bundle = try FederationBundle.read(published) { _ in key.publicKey }
        let ledger = try DatabaseQueue(path: cd.database).read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, session_id, trainee_id, status FROM attendance_entry WHERE id > (SELECT last_entry FROM published_bundle WHERE number = 1) ORDER BY id"
            )
        }
        var lines: [UInt8] = []
        var count = 0
        bundle.forEachRecord(
            mark: { _ in },
            other: { record in
                record.write(into: &lines)
                count += 1
            })
        for row in ledger {
            BundleMark(entry: row[0], session: row[1], trainee: row[2], status: row[3]).write(into: &lines)
            count += 1
        }
        var marks = 0
        bundle.forEachMark { _ in marks += 1 }
        #expect(ledger.count == 4 && marks == 2, "the ledger's 4 entries are 2 pairs' marks")
        let older = FederationBundle(
            office: bundle.office, number: bundle.number, previous: bundle.previous, made: bundle.made, seal: bundle.seal, lines: lines[...],
            count: count, formatVersion: 1)
        let file = try cd.write("CD-000002-ledger-order.luban-bundle", String(decoding: try older.file(signedBy: key), as: UTF8.self))
        #expect(try hq.ok("hq", "apply", file).contains("applied: CD 2"))
        let own = try cd.ok("report", "yearly", "--format", "csv")
        let atHQ = try hq.ok("hq", "report", "yearly", "--office", "CD", "--format", "csv")
        #expect(own == atHQ, "HQ's figures for CD differ from its own:\n\(unifiedDiff(own, atHQ))")
        let rows = try TestPostgres.psql(
            hq.environment["LUBAN_HQ"]!,
            "SELECT session_id, trainee_id, status FROM luban.mark WHERE office = 'CD' AND session_id = 3 AND trainee_id IN (1, 14) ORDER BY 2")
        #expect(rows == "3|1|0\n3|14|1\n", "\(rows)")
        // The bundle as luban published it is the same bundle 2 by number, with other bytes.
        #expect(try hq.run(["hq", "apply", cd.folder.appendingPathComponent("bundles/CD-000002.luban-bundle").path]).stdout.contains("conflict"))
    }

    @Test func theUnionCountsAPersonTrainedAtTwoCentresOnce() throws {
        let hq = try User.hq()
        // Two centres with the same people (the same seed): every figure doubles but trainees.
        let gz = try User.generatedCentre("GZ", joining: hq)
        let sz = try User.generatedCentre("SZ", joining: hq)
        // Both centres' first bundles applied at the same time: each waits for the other where
        // they share the union's rows, and both apply.
        let applies = try [gz.publish(), sz.publish()].map { try hq.spawn(["hq", "apply", $0]) }
        for apply in applies {
            apply.waitUntilExit()
            #expect(apply.terminationStatus == 0)
        }
        for (centre, code) in [(gz, "GZ"), (sz, "SZ")] {
            #expect(try hq.ok("hq", "report", "yearly", "--office", code, "--format", "csv") == centre.ok("report", "yearly", "--format", "csv"))
        }
        let own = try gz.ok("report", "yearly", "--format", "csv").split(separator: "\r\n").last!.split(separator: ",")
        let union = try hq.ok("hq", "report", "yearly", "--format", "csv").split(separator: "\r\n").last!.split(separator: ",")
        #expect(union[0] == "total")
        #expect(Int(union[1])! == 2 * Int(own[1])!, "cohorts")
        #expect(Int(union[6])! == 2 * Int(own[6])!, "person_times")
        #expect(Int(own[7])! > 100 && union[7] == own[7], "trainees: the same persons at both centres count once")
        #expect(Double(union[8])! == 2 * Double(own[8])!, "attended hours")
        // One person forgotten at one centre: HQ can no longer tell that centre's trainee is
        // the same person, so they count twice in the union.
        try gz.ok("trainee", "forget", "T00002", "--yes")
        try sync(gz, "GZ", hq)
        let after = try hq.ok("hq", "report", "yearly", "--format", "csv").split(separator: "\r\n").last!.split(separator: ",")
        #expect(Int(after[7])! == Int(own[7])! + 1)
        let offices = try hq.ok("hq", "report", "offices", "--format", "csv")
        #expect(offices.contains("\r\nGZ,GZ 培训中心,,2,") && offices.contains("\r\nSZ,SZ 培训中心,,1,"), "\(offices)")
        // One key, one centre: a third centre with SZ's key is refused.
        let key = try sz.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let twice = try hq.run(["hq", "office", "add", "XA", "--name", "西安", "--key", key])
        #expect(twice.status != 0 && twice.stderr.contains("this key is registered to centre SZ"))
    }

    @Test func noFullIDNumberTravelsOrRestsAtHQAndForgettingReachesHQ() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        let bundle = try Data(contentsOf: URL(fileURLWithPath: try cd.publish()))
        try hq.ok("hq", "apply", cd.folder.appendingPathComponent("bundles").path)
        let people = try TestPostgres.run("/usr/bin/env", ["sqlite3", cd.database, "SELECT id_number || '|' || name FROM trainee"])
            .split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(people.count > 400)
        let dump = try TestPostgres.run("/usr/bin/env", ["pg_dump", "--data-only", "--schema", "luban", hq.environment["LUBAN_HQ"]!])
        #expect(dump.contains("LB-2013-0001-9"), "the dump holds the records")
        for person in people {
            #expect(bundle.range(of: Data(person[0].utf8)) == nil, "an ID number travels in the clear")
            #expect(bundle.range(of: Data(person[1].utf8)) == nil, "a name travels in the clear")
            #expect(!dump.contains(person[0]) && !dump.contains(person[1]), "an ID number or a name rests at HQ in the clear")
        }
        #expect(try hq.ok("hq", "verify", "LB-2013-0001-9", "--name", "顾建杰").hasPrefix("VALID"))
        try cd.ok("trainee", "forget", "T00002", "--yes")
        try cd.publish()
        try hq.ok("hq", "apply", cd.folder.appendingPathComponent("bundles").path)
        #expect(try hq.run(["hq", "verify", "LB-2013-0001-9", "--name", "顾建杰"]).stdout.hasPrefix("INVALID"))
        let kept = try TestPostgres.psql(
            hq.environment["LUBAN_HQ"]!,
            "SELECT count(*) FROM luban.trainee t LEFT JOIN luban.certificate c ON c.office = t.office AND c.trainee_id = t.id "
                + "WHERE t.office = 'CD' AND t.id = 2 AND (t.person IS NOT NULL OR c.holder IS NOT NULL)")
        #expect(kept.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "a digest of the forgotten person stays at HQ")
    }

    @Test func aBundleThatIsNotRightIsRefusedWholeAndChangesNothing() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        let bj = try User.generatedCentre("BJ", joining: hq)
        let first = try cd.publish()
        try hq.ok("hq", "apply", first)
        func state() throws -> String {
            try hq.ok("hq", "report", "offices", "--format", "csv") + hq.ok("hq", "report", "yearly", "--format", "csv")
        }
        let before = try state()
        func refused(_ bytes: [UInt8], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = hq.folder.appendingPathComponent("attack-\(UUID().uuidString.prefix(6)).luban-bundle").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let r = try hq.run(["hq", "apply", path])
            #expect(r.status == 1, sourceLocation: sourceLocation)
            #expect(r.stdout.contains(expected), "\(r.stdout)\(r.stderr)", sourceLocation: sourceLocation)
            #expect(try state() == before, "a refused bundle changed HQ", sourceLocation: sourceLocation)
        }
        // The centre's next bundle, attacked in every way before it is applied.
        try cd.ok("attend", "3", "T00001", "--status", "absent")
        let second = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try cd.publish())))
        let text = String(decoding: second, as: UTF8.self)
        // Tampered: one mark changed from absent (3) to present (0).
        try refused(Array(text.replacingOccurrences(of: "\t3\t1\t3\n", with: "\t3\t1\t0\n").utf8), "refused: its signature is not by CD's")
        #expect(text.contains("\t3\t1\t3\n"))
        // Truncated: cut short, in the middle of its signature or of a record.
        try refused(Array(second.dropLast(30)), "refused: not a luban bundle")
        try refused(Array(second.prefix(second.count / 2)), "refused: not a luban bundle")
        // Another centre's bundle, relabelled as CD's.
        let bjBundle = String(decoding: try Data(contentsOf: URL(fileURLWithPath: try bj.publish())), as: UTF8.self)
        try refused(Array(bjBundle.replacingOccurrences(of: "office BJ\n", with: "office CD\n").utf8), "refused: its signature is not by CD's")
        // Re-signed: a forger's centre registered as CD at another HQ signs its own bundle.
        let otherHQ = try User.hq()
        let forger = try User.generatedCentre("CD", joining: otherHQ)
        try refused([UInt8](try Data(contentsOf: URL(fileURLWithPath: try forger.publish()))), "refused: its signature is not by CD's")
        // A format this HQ does not read.
        try refused(
            Array(text.replacingOccurrences(of: "luban-bundle 2\n", with: "luban-bundle 3\n").utf8), "format version 3; this HQ reads versions 1, 2")
        // Relabelled as the previous format (whose signature is of the bytes themselves): the
        // signature of version 2 does not hold for version 1.
        try refused(Array(text.replacingOccurrences(of: "luban-bundle 2\n", with: "luban-bundle 1\n").utf8), "refused: its signature is not by CD's")
        // Replayed: the first bundle again changes nothing.
        #expect(try hq.ok("hq", "apply", first).contains("already applied: CD 1, nothing changed"))
        #expect(try state() == before)
        // Out of order: bundle 3 alone names 2 as missing; given together in any order, both apply.
        try cd.ok("attend", "3", "T00014", "--status", "late")
        let third = try cd.publish()
        let early = try hq.run(["hq", "apply", third])
        #expect(early.status == 1 && early.stdout.contains("out of order: CD 3; bundle 2 is missing"), "\(early.stdout)")
        #expect(try state() == before)
        let secondPath = cd.folder.appendingPathComponent("bundles/CD-000002.luban-bundle").path
        let both = try hq.ok("hq", "apply", third, secondPath)
        #expect(both.contains("CD-000003.luban-bundle: applied: CD 3") && both.contains("CD-000002.luban-bundle: applied: CD 2"), "\(both)")
        // A retired key: what HQ has stays; the next bundle is refused.
        let retired = try hq.ok("hq", "office", "retire", "CD")
        #expect(retired.contains("CD's key retired"))
        let listed = try hq.ok("hq", "report", "offices")
        #expect(listed.contains("key retired") && listed.contains("retired 20"), "\(listed)")
        let afterRetire = try state()
        try cd.ok("attend", "3", "T00015", "--status", "late")
        let fourth = try cd.publish()
        let refusedRetired = try hq.run(["hq", "apply", fourth])
        #expect(refusedRetired.status == 1 && refusedRetired.stdout.contains("refused: CD's key was retired"), "\(refusedRetired.stdout)")
        #expect(try state() == afterRetire)
    }

    @Test func aConflictingBundleUnderAKnownNumberIsRefused() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        try hq.ok("hq", "apply", try cd.publish())
        // The centre's database as it is now, restored elsewhere: it publishes another bundle 2.
        var restored = try User()
        let backup = restored.folder.appendingPathComponent("backup.sqlite").path
        try cd.ok("backup", backup, "--with-key")
        try restored.ok("restore", backup)
        restored.environment["LUBAN_LANG"] = "en"
        try cd.ok("attend", "3", "T00001", "--status", "absent")
        try hq.ok("hq", "apply", try cd.publish())
        let before = try hq.ok("hq", "report", "yearly", "--format", "csv")
        try restored.ok("attend", "3", "T00014", "--status", "absent")
        let other = try restored.publish()
        let r = try hq.run(["hq", "apply", other])
        #expect(r.status == 1 && r.stdout.contains("conflict: CD 2: HQ applied another bundle 2"), "\(r.stdout)\(r.stderr)")
        #expect(try hq.ok("hq", "report", "yearly", "--format", "csv") == before)
    }

    /// The servers these tests start come through `TestPostgres.run`. A server started while
    /// the tests held a thousand files open got them all and would not start ("insufficient file
    /// descriptors"): what it runs gets standard input, output and error and nothing else.
    @Test func whatTheTestsRunGetsNoneOfTheirOpenFiles() throws {
        let held = open("/dev/null", O_RDONLY)  // no O_CLOEXEC: a child would inherit it
        #expect(held > 2)
        defer { close(held) }
        // `ls` itself holds one more: the folder it reads.
        let open = try TestPostgres.run("/bin/ls", ["/proc/self/fd"]).split(separator: "\n")
        #expect(open == ["0", "1", "2", "3"], "the program got files it did not ask for: \(open)")
    }

    @Test func killedMidApplyWithPostgresCrashingHQEndsAsOneCleanApply() throws {
        // A server of this test's own: it is crashed and restarted.
        let server = try TestPostgres.start().get()
        defer { _ = try? TestPostgres.script(["--stop", server.folder!]) }
        let hq = try User.hq(on: server)
        let centre = try User.generatedCentre("GZ", joining: hq, cohorts: 16, trainees: 600)
        let bundle = try centre.publish()
        let url = hq.environment["LUBAN_HQ"]!
        // Killed mid-transaction, three times. After a bundle's records are written, HQ's
        // roll-ups take the union's advisory lock (7708, Figures.swift); this test holds it from
        // a session of its own, so that each apply waits there, holding all it wrote, until it is
        // killed. (Watching for the moment an apply writes missed one that ended between two
        // looks.)
        func count(_ sql: String) throws -> String { try TestPostgres.psql(url, sql).trimmingCharacters(in: .whitespacesAndNewlines) }
        var killedMidway = 0
        for _ in 0..<3 {
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            holder.arguments = ["psql", url, "-XAtq", "-c", "SELECT pg_advisory_lock(7708)", "-c", "SELECT pg_sleep(600)"]
            holder.standardOutput = FileHandle.nullDevice
            holder.standardError = FileHandle.nullDevice
            try holder.run()
            var held = false
            for _ in 0..<2000 where !held {
                held = try count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7708 AND granted") != "0"
            }
            let apply = try hq.spawn(["hq", "apply", bundle])
            var waiting = false
            for _ in 0..<2000 where apply.isRunning && !waiting {
                waiting =
                    try count(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'luban-hq' AND backend_xid IS NOT NULL AND wait_event = 'advisory'"
                    ) != "0"
            }
            kill(apply.processIdentifier, SIGKILL)
            apply.waitUntilExit()
            if held && waiting && apply.terminationReason == .uncaughtSignal { killedMidway += 1 }
            try TestPostgres.script(["--crash", server.folder!])
            holder.terminate()
            holder.waitUntilExit()
            let bundles = try count("SELECT count(*) FROM luban.bundle")
            let marks = try count("SELECT count(*) FROM luban.mark")
            #expect(bundles == "0" && marks == "0", "a killed apply left part of itself: \(bundles) bundles, \(marks) marks")
        }
        #expect(killedMidway == 3, "an apply was not killed while it held what it wrote (\(killedMidway) of 3 were)")
        #expect(try hq.ok("hq", "apply", bundle).contains("applied: GZ 1"))
        #expect(try hq.ok("hq", "apply", bundle).contains("already applied"))
        let own = try centre.ok("report", "yearly", "--format", "csv")
        #expect(try hq.ok("hq", "report", "yearly", "--office", "GZ", "--format", "csv") == own)
    }

    /// A bundle signed by its centre that HQ still cannot take (a certificate numbered as
    /// another centre's, a sealed field altered) is refused when HQ reaches the record, after
    /// the records before it went in: the transaction is rolled back, nothing of it stays.
    @Test func aBundleRefusedPartWayLeavesNothingBehind() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        _ = try User.generatedCentre("BJ", joining: hq)
        let key = try IssuerKey.load(at: IssuerKey.path(forDatabase: cd.database))
        let published = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try cd.publish())))
        let bundle = try FederationBundle.read(published) { _ in key.publicKey }
        let text = String(decoding: bundle.lines, as: UTF8.self)
        let url = hq.environment["LUBAN_HQ"]!
        func altered(adding: Int = 0, _ change: (String) -> String) throws -> String {
            let lines = Array(change(text).utf8)
            let file = FederationBundle(
                office: bundle.office, number: bundle.number, previous: bundle.previous, made: bundle.made, seal: bundle.seal, lines: lines[...],
                count: bundle.count + adding)
            return try hq.write(
                "CD-altered-\(UUID().uuidString.prefix(6)).luban-bundle", String(decoding: try file.file(signedBy: key), as: UTF8.self))
        }
        func nothingOfCD() throws -> String {
            try TestPostgres.psql(
                url,
                "SELECT (SELECT count(*) FROM luban.trainee WHERE office = 'CD') + (SELECT count(*) FROM luban.mark WHERE office = 'CD') + (SELECT count(*) FROM luban.certificate WHERE office = 'CD') + (SELECT count(*) FROM luban.person_year WHERE office = 'CD')"
            )
        }
        // The last certificate, numbered with BJ's prefix: every trainee, session and verdict
        // went in before HQ reads it.
        let certificates = text.split(separator: "\n").filter { $0.hasPrefix("certificate\t") }
        let last = try #require(certificates.last)
        let number = String(last.split(separator: "\t")[1])
        let foreign = try altered { $0.replacingOccurrences(of: "certificate\t\(number)\t", with: "certificate\tBJ\(number.drop { $0 != "-" })\t") }
        let conflict = try hq.run(["hq", "apply", foreign])
        #expect(conflict.status == 1 && conflict.stdout.contains("has another centre's prefix"), "\(conflict.stdout)\(conflict.stderr)")
        #expect(try nothingOfCD() == "0\n")
        // The last trainee's sealed ID number, altered (still base64): it does not open.
        let trainee = try #require(
            text.split(separator: "\n").last { $0.hasPrefix("trainee\t") && !$0.split(separator: "\t", omittingEmptySubsequences: false)[3].isEmpty })
        var fields = trainee.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        fields[3] = "A" + fields[3].dropFirst()
        let sealed = try altered { $0.replacingOccurrences(of: String(trainee), with: fields.joined(separator: "\t")) }
        let refused = try hq.run(["hq", "apply", sealed])
        #expect(refused.status == 1 && refused.stdout.contains("a sealed field does not open"), "\(refused.stdout)\(refused.stderr)")
        #expect(try nothingOfCD() == "0\n")
        // A mark is never removed (a later entry replaces it): a removal of one is no record.
        let removal = try altered(adding: 1) { $0 + "-mark\t5\n" }
        let notARecord = try hq.run(["hq", "apply", removal])
        #expect(notARecord.status == 1 && notARecord.stdout.contains("is not a record luban knows"), "\(notARecord.stdout)\(notARecord.stderr)")
        #expect(try nothingOfCD() == "0\n")
        // The bundle as it was applies whole.
        #expect(try hq.ok("hq", "apply", cd.folder.appendingPathComponent("bundles/CD-000001.luban-bundle").path).contains("applied: CD 1"))
        #expect(try nothingOfCD() != "0\n")
    }

    /// An HQ made by an older luban (schema 1: text in the database's collation, no index of
    /// persons) is told to run init, which brings it up to date with its records.
    @Test func anHQOfTheFirstSchemaIsToldToRunInitAndInitUpdatesIt() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        try sync(cd, "CD", hq)
        let before = try hq.ok("hq", "report", "yearly", "--format", "csv")
        let url = hq.environment["LUBAN_HQ"]!
        try TestPostgres.psql(
            url,
            """
            DROP INDEX luban.person_year_person;
            DO $$ DECLARE t record; BEGIN
                FOR t IN SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'luban' AND data_type = 'text' LOOP
                    EXECUTE format('ALTER TABLE luban.%I ALTER COLUMN %I TYPE text COLLATE "default"', t.table_name, t.column_name);
                END LOOP; END $$;
            UPDATE luban.hq SET schema_version = 1
            """)
        let collations = "SELECT DISTINCT collation_name FROM information_schema.columns WHERE table_schema = 'luban' AND data_type = 'text'"
        #expect(try TestPostgres.psql(url, collations) == "\n")
        let old = try hq.run(["hq", "report", "yearly"])
        #expect(old.status != 0 && old.stderr.contains("schema is version 1 and this luban uses 2: run luban hq init first"), "\(old.stderr)")
        try hq.ok("hq", "init")
        #expect(try TestPostgres.psql(url, collations) == "C\n")
        #expect(try hq.ok("hq", "report", "yearly", "--format", "csv") == before)
        try cd.ok("attend", "3", "T00014", "--status", "late")
        try sync(cd, "CD", hq)
    }

    @Test func aCentreOrHQMisusedSaysWhatToDo() throws {
        let centre = try User()
        try centre.demo()
        let early = try centre.run(["publish", "--out", "x"])
        #expect(early.status != 0 && early.stderr.contains("has not joined the federation: run luban office join"))
        var nowhere = try User()
        nowhere.environment.removeValue(forKey: "LUBAN_HQ")
        let noPG = try nowhere.run(["hq", "report", "yearly"])
        #expect(noPG.status != 0 && noPG.stderr.contains("give HQ's PostgreSQL database with --pg (or set LUBAN_HQ)"))
        let hq = try User.hq()
        let badCode = try hq.run(["hq", "office", "add", "cd1", "--name", "x", "--key", "ed25519:AAAA"])
        #expect(badCode.status != 0 && badCode.stderr.contains("must be 2 to 8 capital letters"))
        var unreachable = hq
        unreachable.environment["LUBAN_HQ"] = "postgresql://luban@127.0.0.1:1/hq"
        let down = try unreachable.run(["hq", "report", "yearly"])
        #expect(
            down.status == 1
                && down.stderr.hasPrefix("Error: cannot connect to PostgreSQL (postgresql://luban@127.0.0.1:1/hq): ")
                && down.stderr.hasSuffix(
                    "Connection refused. Is the server running on that host and accepting TCP/IP connections?; check --pg or LUBAN_HQ\n"),
            "\(down.stderr)")
        let mistyped = try hq.run(["hq", "apply", "CD-00001.luban-bundle"])
        #expect(
            mistyped.status == 1
                && mistyped.stdout == "CD-00001.luban-bundle: refused: cannot be read (No such file or directory); check the path\n",
            "\(mistyped.stdout)")
        // A statement checked against the wrong HQ key is refused.
        let key = try centre.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let statement = try centre.write("st.txt", try hq.ok("hq", "office", "add", "CD", "--name", "承德", "--key", key))
        let otherHQ = try User.hq()
        let wrongKey = try otherHQ.ok("hq", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let refused = try centre.run(["office", "join", "CD", "--hq-key", wrongKey, "--statement", statement])
        #expect(refused.status != 0 && refused.stderr.contains("the statement is not signed by HQ's key"))
        #expect(try centre.run(["publish"]).status != 0)
    }
}

/// `luban hq serve` over a socket: the union's page, the public check, bundles POSTed.
@Suite struct HQServerTests {
    @Test func hqServesItsFiguresTheCheckAndTakesBundlesOverASocket() throws {
        let hq = try User.hq()
        let cd = try User.centre("CD", joining: hq)
        let bundle = try String(contentsOfFile: try cd.publish(), encoding: .utf8)
        let server = Process()
        server.executableURL = User.binary
        server.arguments = ["hq", "serve", "--port", "0"]
        server.environment = hq.environment
        let pipe = Pipe()
        server.standardOutput = pipe
        try server.run()
        defer { server.terminate() }
        var banner = ""
        while !banner.contains("\n") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            banner += String(decoding: data, as: UTF8.self)
        }
        let port = try #require(first("http://127\\.0\\.0\\.1:([0-9]+)/", banner).flatMap { UInt16($0) }, "\(banner)")
        let phone = Phone(port: port)
        // Bundles: applied, already applied, and a tampered one refused, each with its status.
        let applied = try phone.send("POST", "/bundles", body: bundle, json: false)
        #expect(applied.status == 200 && applied.body.contains("applied: CD 1"), "\(applied.body)")
        let again = try phone.send("POST", "/bundles", body: bundle, json: false)
        #expect(again.status == 200 && again.body.contains("already applied"))
        let tampered = try phone.send("POST", "/bundles", body: bundle.replacingOccurrences(of: "office CD\n", with: "office CD\n\n"), json: false)
        #expect(tampered.status == 400 && tampered.body.contains("refused"), "\(tampered.body)")
        // The union's page: the figures and a chart for the centre.
        let home = try phone.get("/")
        #expect(home.status == 200 && home.body.contains("CD 培训中心 (CD)") && home.body.contains("<svg"))
        let own = try cd.ok("report", "yearly", "--format", "csv").split(separator: "\r\n").last!.split(separator: ",")
        #expect(home.body.contains("<td class=\"n\">\(own[6])</td>"), "the centre's person-times are on the page")
        // The public check: the number and the name, or nothing about the holder.
        let name = "%E6%AF%9B%E6%8C%AF%E7%94%9F"  // 毛振生
        let valid = try phone.get("/verify?number=LB-2016-0001-1&name=\(name)")
        #expect(valid.body.contains("VALID") && valid.body.contains("CD 培训中心 (CD)") && valid.body.contains("2016-04-23"))
        let wrong = try phone.get("/verify?number=LB-2016-0001-1&name=%E7%8E%8B%E4%BA%94")
        #expect(wrong.body.contains("INVALID") && !wrong.body.contains("CD 培训中心") && !wrong.body.contains("2016-04-23"))
        let posted = try phone.post("/verify", ["number": "LB-2016-0001-1", "name": "毛振生"])
        #expect(posted.body.contains("VALID") && !posted.body.contains("INVALID"))
        // The centre sends its next bundle itself; HQ's figures follow.
        try cd.ok("attend", "3", "T00001", "--status", "absent")
        let sent = try cd.ok("publish", "--out", cd.folder.appendingPathComponent("bundles").path, "--to", "http://127.0.0.1:\(port)")
        #expect(sent.contains("HQ: applied: CD 2"), "\(sent)")
        #expect(try hq.ok("hq", "report", "yearly", "--office", "CD", "--format", "csv") == cd.ok("report", "yearly", "--format", "csv"))
        let nowhere = try cd.run(["publish", "--again", "2", "--out", "again", "--to", "http://127.0.0.1:1"])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("cannot connect to 127.0.0.1:1"), "\(nowhere.stderr)")
        // Bundles are read whole before they are checked, so only two are taken in at once: while
        // two uploads are still arriving, a third is asked to come back; once they are gone, it
        // is taken.
        func arrive() throws -> Int32 {
            let fd = try phone.connect()
            let head = "POST /bundles HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 1000000\r\n\r\nluban-bundle 2\n"
            #expect(head.withCString { write(fd, $0, strlen($0)) } > 0)
            return fd
        }
        /// Whether the server answered an arriving upload (it asked it to come back) or closed it.
        func answered(_ fd: Int32) -> Bool {
            var byte: UInt8 = 0
            return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) >= 0
        }
        var arriving = [try arrive(), try arrive()]
        var busy = try phone.send("POST", "/bundles", body: bundle, json: false)
        for _ in 0..<50 where busy.status != 503 {
            // The server takes the three in whatever order its threads reach them: when the
            // third came first, an arriving one was asked to come back instead, and comes back.
            arriving = try arriving.map { fd in
                guard answered(fd) else { return fd }
                close(fd)
                return try arrive()
            }
            usleep(100_000)
            busy = try phone.send("POST", "/bundles", body: bundle, json: false)
        }
        #expect(busy.status == 503 && busy.body.contains("send it again in a moment"), "\(busy.status) \(busy.body)")
        #expect(busy.headers.contains { $0.0 == "retry-after" })
        for fd in arriving { close(fd) }
        var taken = try phone.send("POST", "/bundles", body: bundle, json: false)
        for _ in 0..<50 where taken.status == 503 {
            usleep(100_000)
            taken = try phone.send("POST", "/bundles", body: bundle, json: false)
        }
        #expect(taken.status == 200 && taken.body.contains("already applied: CD 1"), "\(taken.status) \(taken.body)")
        // The pages speak the server's language (here English) until a visitor chooses another,
        // which a cookie keeps, as at the centre.
        let english = try phone.get("/verify")
        #expect(english.body.contains("<h1>Check a certificate</h1>") && english.body.contains("<a href=\"/lang/zh?to=/verify\">中文</a>"))
        let chosen = try phone.get("/lang/zh?to=/verify")
        #expect(chosen.status == 303 && chosen.headers.contains { $0.0 == "location" && $0.1 == "/verify" }, "\(chosen.headers)")
        let chinese = try phone.get("/verify")
        #expect(chinese.body.contains("<h1>查验证书</h1>") && chinese.body.contains("lang=\"zh-CN\"") && !chinese.body.contains("Check a certificate"))
        #expect(try phone.get("/").body.contains("全联合会年度统计"))
        // Back to a path of this server only.
        let away = try phone.get("/lang/en?to=//evil.example/")
        #expect(away.status == 303 && away.headers.contains { $0.0 == "location" && $0.1 == "/" }, "\(away.headers)")
        #expect(try phone.get("/verify").body.contains("<h1>Check a certificate</h1>"))
    }
}
