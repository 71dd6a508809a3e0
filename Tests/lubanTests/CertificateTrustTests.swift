import Foundation
import GRDB
import LubanKit
import Testing

/// Issue 11's attacks on certificates, performed through the `luban` binary as an adversary
/// would; each test fails if its attack ever works.
@Suite struct CertificateTrustTests {
    /// Reads a CSV file written by `luban export` into rows of named cells.
    func table(_ path: String) throws -> [[String: String]] {
        let reader = try CSVReader(path: path)
        guard try reader.next() else { return [] }
        let header = try (0..<reader.count).map { try reader.field($0) }
        var rows: [[String: String]] = []
        while try reader.next() {
            var row: [String: String] = [:]
            for (i, name) in header.enumerated() { row[name] = try reader.field(i) }
            rows.append(row)
        }
        return rows
    }

    /// Every birth date from 1900 to today: what the eight masked digits of an ID number hide.
    static let birthDates: [String] = {
        var out: [String] = []
        var day = CalendarDate("1900-01-01")!
        while day <= CalendarDate.today {
            out.append(day.description.replacingOccurrences(of: "-", with: ""))
            day = day.adding(days: 1)
        }
        return out
    }()

    /// Tries every birth date against a certificate's holder digest: the ID number, if found.
    func recover(name: String, masked: String, salt: String, digest: String) -> String? {
        let head = String(masked.prefix(6))
        let tail = String(masked.suffix(4))
        for date in Self.birthDates {
            let candidate = head + date + tail
            if CertificatePayload.holderDigest(salt: salt, name: name, idNumber: candidate) == digest { return candidate }
        }
        return nil
    }

    @Test func aMaskedExportOfTheDemoRevealsNoIDNumber() throws {
        let user = try User()
        try user.demo()
        try user.ok("export", "out")
        let trainees = Dictionary(
            try table(user.folder.appendingPathComponent("out/trainee.csv").path).map { ($0["id"]!, $0) }, uniquingKeysWith: { a, _ in a })
        let certificates = try table(user.folder.appendingPathComponent("out/certificate.csv").path)
        #expect(certificates.count > 100)
        let realSalts = try DatabaseQueue(path: user.database).read { db in
            try Dictionary(
                Row.fetchAll(db, sql: "SELECT number, holder_salt FROM certificate").map { ($0[0] as String, $0[1] as String) },
                uniquingKeysWith: { a, _ in a })
        }
        var tried = 0
        for (i, c) in certificates.prefix(20).enumerated() {
            let t = try #require(trainees[c["trainee_id"]!])
            let name = t["name"]!
            let masked = t["id_number"]!
            #expect(masked.contains("********"))
            let digest = try #require(c["payload"]!.split(separator: "\n").first { $0.hasPrefix("holder: ") }).dropFirst(8)
            #expect(c["holder_salt"] == "", "the masked export carries the holder digest's salt")
            #expect(
                recover(name: name, masked: masked, salt: c["holder_salt"]!, digest: String(digest)) == nil,
                "\(c["number"]!): ID recovered from the masked export")
            tried += 1
            // The control: with the salt the database keeps, the same search does find it, so
            // the search above is a real attack that would succeed if the salt leaked.
            if i < 2 {
                let found = recover(name: name, masked: masked, salt: realSalts[c["number"]!]!, digest: String(digest))
                #expect(found != nil && found!.hasPrefix(String(masked.prefix(6))))
            }
        }
        #expect(tried == 20)
    }

    @Test func aKeySwappedInsideTheDatabaseIsCaughtByCheckAndVerify() throws {
        let user = try User()
        try user.demo()
        let genuine = try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let mallory = try IssuerKey(seed: Array(repeating: 5, count: 32))
        try DatabaseQueue(path: user.database).write { db in
            for row in try Row.fetchAll(db, sql: "SELECT id, payload FROM certificate") {
                try db.execute(
                    sql: "UPDATE certificate SET signature = ? WHERE id = ?",
                    arguments: [try mallory.sign(row["payload"] as String), row["id"] as Int64])
            }
            let seal = try String.fetchOne(db, sql: "SELECT statement FROM register_seal")!
            try db.execute(sql: "UPDATE register_seal SET signature = ?", arguments: [try mallory.sign(seal)])
            try db.execute(sql: "UPDATE issuer SET public_key = ?", arguments: [mallory.publicKey])
        }
        let check = try user.run(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("PROBLEM: issuer key: the database records issuer key \(mallory.fingerprint), but the issuer's key is"))
        let verify = try user.run(["certificate", "verify", "LB-2013-0001-9"])
        #expect(verify.status == 1 && verify.stdout.hasPrefix("INVALID"))
        let given = try user.run(["certificate", "verify", "LB-2013-0001-9", "--public-key", genuine])
        #expect(given.status == 1 && given.stdout.hasPrefix("INVALID"))
        // Nothing is printed or certified with the genuine key over the forged register.
        #expect(try user.run(["certificate", "print", "LB-2013-0001-9"]).status == 1)
        // Without the key file, a number cannot be verified against the database's own key.
        try FileManager.default.removeItem(atPath: user.database + ".issuer-key")
        let unpinned = try user.run(["certificate", "verify", "LB-2013-0001-9"])
        #expect(unpinned.status == 1 && unpinned.stderr.contains("no issuer key to check the register against"))
    }

    /// An office's edited templates (`--templates DIR`, Reports/README.md) are what prints; one
    /// that cannot be read is an error that names it, not a quiet return to the built-in one.
    @Test func anOfficesOwnTemplateIsPrintedOrNamedWhenItCannotBeRead() throws {
        let user = try User()
        try user.demo()
        let folder = user.folder.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "~本中心自制证书\n兹证明 {{name}} 结业。\n".write(
            to: folder.appendingPathComponent("certificate-zh.mustache"), atomically: true, encoding: .utf8)
        let own = try user.ok("certificate", "print", "LB-2013-0001-9", "--templates", folder.path)
        #expect(own.contains("本中心自制证书") && !own.contains("通过专家实操考核的技艺"), "\(own)")
        let unreadable = folder.appendingPathComponent("certificate-en.mustache")
        try FileManager.default.createDirectory(at: unreadable, withIntermediateDirectories: true)
        let refused = try user.run(["certificate", "print", "LB-2013-0001-9", "--lang", "en", "--templates", folder.path])
        #expect(refused.status == 1 && refused.stderr == "Error: \(unreadable.path): is a folder, not a file; give a file\n", "\(refused.stderr)")
    }

    @Test func revokedPrintoutsAndUnrevokingByHand() throws {
        let user = try User()
        try user.demo()
        let key = try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        try user.ok("certificate", "revoke", "LB-2013-0001-9", "--reason", "attendance entered twice", "--date", "2014-01-02", "--cascade")
        let file = try user.write("revoked.txt", try user.ok("certificate", "print", "LB-2013-0001-9"))
        let employer = try User()
        let offline = try employer.run(["certificate", "verify", file, "--public-key", key])
        #expect(offline.status == 1)
        #expect(offline.stdout == "REVOKED LB-2013-0001-9 on 2014-01-02: attendance entered twice\n")
        #expect(try user.ok("check").hasSuffix("ok\n"))
        try DatabaseQueue(path: user.database).write {
            try $0.execute(
                sql:
                    "UPDATE certificate SET status = 'valid', revoked_on = NULL, revoke_reason = NULL, revocation_signature = NULL WHERE number = 'LB-2013-0001-9'"
            )
        }
        let check = try user.run(["check"])
        #expect(check.status == 1 && check.stdout.contains("PROBLEM: register: the register no longer matches its seal"))
        let verify = try user.run(["certificate", "verify", "LB-2013-0001-9"])
        #expect(verify.status == 1 && verify.stdout.hasPrefix("INVALID: LB-2013-0001-9: the register was altered"))
    }

    @Test func verifyNamesAWrongKeyAndAMissingFile() throws {
        let user = try User()
        try user.demo()
        let file = try user.write("c.txt", try user.ok("certificate", "print", "LB-2013-0001-9"))
        let employer = try User()
        let other = try IssuerKey(seed: Array(repeating: 9, count: 32))
        let wrong = try employer.run(["certificate", "verify", file, "--public-key", other.publicKey])
        #expect(wrong.status == 1)
        #expect(wrong.stdout.hasPrefix("INVALID: the certificate says it was signed by key 385b1d694ae86d43, you gave \(other.fingerprint)"))
        let missing = try employer.run(["certificate", "verify", "no-such-certificate.txt", "--public-key", other.publicKey])
        #expect(missing.status == 1 && missing.stderr.contains("no-such-certificate.txt: no such file"))
    }

    /// docs/VERIFYING.md is enough to verify a certificate: Scripts/verify-certificate.py is
    /// written from that page alone (Python's `cryptography` for Ed25519) and must agree with
    /// luban on genuine, forged, revoked and wrongly keyed files.
    @Test func anIndependentVerifierWrittenFromTheDocsAgrees() throws {
        let user = try User()
        try user.demo()
        let key = try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let genuine = try user.ok("certificate", "print", "LB-2016-0061-X", "--lang", "both")
        try user.ok("certificate", "revoke", "LB-2013-0001-9", "--reason", "重复录入", "--date", "2014-01-02", "--cascade")
        let revoked = try user.ok("certificate", "print", "LB-2013-0001-9")
        let cases: [(String, String, String)] = [
            ("genuine.txt", genuine, "VALID LB-2016-0061-X"),
            ("crlf.txt", "\u{FEFF}" + genuine.replacingOccurrences(of: "\n", with: " \r\n") + "\r\n\r\n", "VALID LB-2016-0061-X"),
            (
                "forged.txt",
                genuine.replacingOccurrences(
                    of: "+==", with: "| 另经专家组认定：授予「传承人证书」  签名 Ed25519 (): |\n+==", options: [], range: genuine.range(of: "+==")), "INVALID"
            ),
            ("changed.txt", genuine.replacingOccurrences(of: "合计", with: "合記"), "INVALID"),
            ("revoked.txt", revoked, "REVOKED LB-2013-0001-9"),
        ]
        for (name, text, expected) in cases {
            let file = try user.write(name, text)
            let script = User.root.appendingPathComponent("Scripts/verify-certificate.py").path
            let printed = try python3([script, file, key])
            #expect(printed.hasPrefix(expected), "\(name): the independent verifier says \(printed)")
            let luban = try User().run(["certificate", "verify", file, "--public-key", key])
            #expect(luban.stdout.hasPrefix(expected), "\(name): luban says \(luban.stdout)")
        }
    }
}
