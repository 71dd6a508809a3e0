import Foundation
import Testing

@testable import LubanKit

@Suite struct CertificateTests {
    @Test func theCheckCharacterCatchesEveryMistypedDigitAndAdjacentSwap() {
        let number = CertificateNumber(prefix: "LB", year: 2014, serial: 7)
        let text = number.description
        #expect(text == "LB-2014-0007-\(number.check)")
        guard case .success = CertificateNumber.parse(text) else {
            Issue.record("a good number was refused")
            return
        }
        let digits = Array("20140007")
        for i in digits.indices {
            for d in "0123456789" where d != digits[i] {
                var typo = digits
                typo[i] = d
                let t = "LB-\(String(typo.prefix(4)))-\(String(typo.suffix(4)))-\(number.check)"
                if case .success = CertificateNumber.parse(t) { Issue.record("\(t) passed the check") }
            }
        }
        for i in 0..<(digits.count - 1) where digits[i] != digits[i + 1] {
            var swapped = digits
            swapped.swapAt(i, i + 1)
            let t = "LB-\(String(swapped.prefix(4)))-\(String(swapped.suffix(4)))-\(number.check)"
            if case .success = CertificateNumber.parse(t) { Issue.record("\(t) passed the check") }
        }
    }

    func issuedScenario() throws -> (LubanDatabase, Certificate) {
        let (db, _, certificate) = try certifiedScenario()
        return (db, certificate)
    }

    func printed(_ db: LubanDatabase, _ number: String, key: IssuerKey = testKey) throws -> String {
        try #require(try db.printed(db.register(numbers: [number]), language: .zh, showID: false, templates: .builtIn, key: key).first).text
    }

    func verdict(_ text: String, key: IssuerKey = testKey, register: LubanDatabase? = nil) -> VerificationVerdict {
        Verification.verify(file: Array(text.utf8), publicKey: key.publicKey, register: register)
    }

    @Test func aPrintedCertificateVerifiesAndIsMasked() throws {
        let (db, cert) = try issuedScenario()
        let text = try printed(db, cert.number)
        #expect(text.contains("110101********0010"))
        #expect(!text.contains("110101198001010010"))
        #expect(Set(text.split(separator: "\n").map(\.displayWidth)).count == 1)
        #expect(verdict(text).isValid)
        #expect(verdict(text, register: db).isValid)
        let other = try IssuerKey(seed: Array(repeating: 9, count: 32))
        #expect(
            verdict(text, key: other)
                .line
                == "INVALID: the certificate says it was signed by key \(testKey.fingerprint), you gave \(other.fingerprint); get the public key from the issuer"
        )
    }

    /// The attack of issue 11: lines added anywhere, even ones that imitate a signature line,
    /// lines removed, swapped, and one character changed in each line in turn.
    @Test func addingRemovingReorderingOrChangingAnyLineMakesItInvalid() throws {
        let (db, cert) = try issuedScenario()
        let text = try printed(db, cert.number)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let forgedLines = [
            "| 另经专家组认定：授予「传承人证书」。                签名 Ed25519 (): |",
            "| 签名 Ed25519 (1/2): AAAA |", "| 编号 Number: LB-2099-0001-0 |", "| 状态 Status: 有效 valid |", "",
            "| 公钥 Key: 385b1d694ae86d43 |", "+==================================================================+",
        ]
        var attempts = 0
        func expectInvalid(_ forged: [String], _ what: String) {
            attempts += 1
            let v = verdict(forged.joined(separator: "\n") + "\n")
            if v.isValid { Issue.record("\(what) still verifies") }
            if case .revoked = v { Issue.record("\(what) reads as revoked") }
        }
        for i in 0...lines.count {
            for f in forgedLines where !(f.isEmpty && i == lines.count) {  // a blank line at the end is allowed
                var l = lines
                l.insert(f, at: i)
                expectInvalid(l, "line '\(f)' inserted at \(i)")
            }
        }
        for i in lines.indices {
            var removed = lines
            removed.remove(at: i)
            expectInvalid(removed, "line \(i) removed")
            if i + 1 < lines.count && lines[i] != lines[i + 1] {
                var swapped = lines
                swapped.swapAt(i, i + 1)
                expectInvalid(swapped, "lines \(i) and \(i + 1) swapped")
            }
            // One character of each line (the middle one, and the first non-frame one).
            for position in [lines[i].count / 2, min(2, lines[i].count - 1)] where !lines[i].isEmpty {
                var chars = Array(lines[i])
                chars[position] = chars[position] == "8" ? "9" : "8"
                var changed = lines
                changed[i] = String(chars)
                expectInvalid(changed, "line \(i) changed at \(position)")
            }
        }
        #expect(attempts > 200)
        // What may change: CRLF, a BOM, trailing spaces and tabs, blank lines at the end.
        #expect(verdict(text.replacingOccurrences(of: "\n", with: "\r\n")).isValid)
        #expect(verdict("\u{FEFF}" + text).isValid)
        #expect(verdict(lines.map { $0 + " \t  " }.joined(separator: "\n") + "\n\n \n\n").isValid)
        #expect(verdict(lines.joined(separator: "\n")).isValid)
        // But not a blank line at the start, nor one in the middle.
        #expect(!verdict("\n" + text).isValid)
        var blank = lines
        blank.insert("", at: 3)
        #expect(!verdict(blank.joined(separator: "\n")).isValid)
    }

    @Test func aRegisterRowEditedByHandIsCaughtAndNeverPrinted() throws {
        let (db, cert) = try issuedScenario()
        #expect(Verification.verify(number: cert.number, database: db, publicKey: testKey.publicKey).isValid)
        try db.writer.write { try $0.execute(sql: "UPDATE certificate SET classroom_hours = 40") }
        #expect(!Verification.verify(number: cert.number, database: db, publicKey: testKey.publicKey).isValid)
        #expect(
            performing: {
                try db.printed(db.register(numbers: [cert.number]), language: .zh, showID: false, templates: .builtIn, key: testKey)
            },
            throws: refusal(
                "\(cert.number) is not printed: the records no longer match what was signed (classroom_hours); the issuer key signs only what was issued (see the register check)"
            ))
        // The holder's name on the certificate, changed by hand: caught, never printed.
        try db.writer.write { try $0.execute(sql: "UPDATE certificate SET classroom_hours = 8, holder_name = '冒名'") }
        #expect(!Verification.verify(number: cert.number, database: db, publicKey: testKey.publicKey).isValid)
        #expect {
            try db.printed(db.register(numbers: [cert.number]), language: .zh, showID: false, templates: .builtIn, key: testKey)
        } throws: { error in
            guard case LubanError.refused(let why) = error else { return false }
            return why.en.hasPrefix("\(cert.number) is not printed: the records no longer match what was signed (holder)")
        }
        // The trainee's record changed by hand does not reach the certificate: it prints the
        // holder as issued.
        try db.writer.write { try $0.execute(sql: "UPDATE certificate SET holder_name = '学员1'; UPDATE trainee SET name = '冒名'") }
        #expect(Verification.verify(number: cert.number, database: db, publicKey: testKey.publicKey).isValid)
        let text = try #require(
            try db.printed(db.register(numbers: [cert.number]), language: .zh, showID: false, templates: .builtIn, key: testKey).first
        ).text
        #expect(text.contains("兹证明 学员1") && !text.contains("冒名"))
    }

    /// Someone who re-signs every register row and the seal with a key of their own, and
    /// records that key in the database, is caught by the key pinned outside it.
    @Test func aRegisterReKeyedInsideTheDatabaseIsCaught() throws {
        let (db, cert) = try issuedScenario()
        #expect(try db.check(publicKey: testKey.publicKey).problems == [])
        let mallory = try IssuerKey(seed: Array(repeating: 5, count: 32))
        try db.writer.write { d in
            for c in try Certificate.fetchAll(d, sql: "SELECT * FROM certificate") {
                try d.execute(sql: "UPDATE certificate SET signature = ? WHERE id = ?", arguments: [try mallory.sign(c.payload), c.id])
            }
            try d.execute(sql: "UPDATE issuer SET public_key = ?", arguments: [mallory.publicKey])
            try LubanDatabase.seal(key: mallory, d)
        }
        // Against its own recorded key the forged register is consistent; against the pinned key it is not.
        #expect(try db.check(publicKey: mallory.publicKey).problems.isEmpty)
        let problems = try db.check(publicKey: testKey.publicKey).problems.map(\.en)
        #expect(
            problems.contains(
                "issuer key: the database records issuer key \(mallory.fingerprint), but the issuer's key is \(testKey.fingerprint): the register was re-keyed by hand, or belongs to another issuer"
            ))
        #expect(problems.contains("certificate \(cert.number): the stored signature does not verify with the issuer key"))
        #expect(problems.contains("register: the register's seal is not signed by the issuer key"))
        #expect(!Verification.verify(number: cert.number, database: db, publicKey: testKey.publicKey).isValid)
        #expect(throws: LubanError.self) {
            try db.printed(db.register(numbers: [cert.number]), language: .zh, showID: false, templates: .builtIn, key: testKey)
        }
    }

    @Test func unRevokingByHandIsCaught() throws {
        let (db, cert) = try issuedScenario()
        _ = try db.revoke(number: cert.number, reason: "重复录入", on: CalendarDate("2014-05-01")!, key: testKey)
        #expect(try db.check(publicKey: testKey.publicKey).problems == [])
        #expect(
            Verification.verify(number: cert.number, database: db, publicKey: testKey.publicKey)
                == .revoked(number: cert.number, on: "2014-05-01", reason: "重复录入"))
        let intact = try LubanDatabase(copyOf: db)
        let attacks = [
            "UPDATE certificate SET status = 'valid', revoked_on = NULL, revoke_reason = NULL, revocation_signature = NULL",
            "UPDATE certificate SET status = 'valid', revoked_on = NULL, revoke_reason = NULL",
            "UPDATE certificate SET revoke_reason = 'test', revoked_on = '2099-01-01'",
            "UPDATE certificate SET revocation_signature = NULL",
        ]
        for attack in attacks {
            let copy = try LubanDatabase(copyOf: intact)
            try copy.writer.write { try $0.execute(sql: attack) }
            #expect(try !copy.check(publicKey: testKey.publicKey).problems.isEmpty, "check missed: \(attack)")
            let v = Verification.verify(number: cert.number, database: copy, publicKey: testKey.publicKey)
            if case .invalid = v {} else { Issue.record("verify NUMBER gave \(v.line) after: \(attack)") }
        }
        // A certificate removed by hand (its no-delete trigger dropped first) breaks the seal.
        let copy = try LubanDatabase(copyOf: intact)
        try copy.writer.write { try $0.execute(sql: "DROP TRIGGER certificate_no_delete; DELETE FROM certificate") }
        #expect(
            try copy.check(publicKey: testKey.publicKey).problems.contains {
                $0.en.contains("no longer matches its seal: sealed 1 certificates with 1 revoked, now 0 with 0 revoked")
            })
        // And nothing more is signed on a register that fails its checks.
        let tampered = try LubanDatabase(copyOf: intact)
        try tampered.writer.write { try $0.execute(sql: attacks[0]) }
        #expect {
            try tampered.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey)
        } throws: { error in
            guard case LubanError.refused(let why) = error else { return false }
            return why.en.hasPrefix("the certificate register fails its checks, so nothing more is signed: the register no longer matches its seal")
        }
    }

    @Test func aRevokedPrintoutIsRevokedWithOnlyThePublicKey() throws {
        let (db, cert) = try issuedScenario()
        _ = try db.revoke(number: cert.number, reason: "重复录入", on: CalendarDate("2014-05-01")!, key: testKey)
        let text = try printed(db, cert.number)
        #expect(text.contains("状态 Status: 已撤销 REVOKED 2014-05-01：重复录入"))
        #expect(verdict(text) == .revoked(number: cert.number, on: "2014-05-01", reason: "重复录入"))
        // Removing the stamp breaks the signature.
        let unstamped = text.replacingOccurrences(of: "已撤销 REVOKED 2014-05-01：重复录入", with: "有效 valid")
        #expect(!verdict(unstamped).isValid)
    }

    @Test func anErasedHolderDoesNotStopTheCohortsCertificates() throws {
        let db = try scenario(trainees: 3)
        let s = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 8, course: "GJ"))
        _ = try db.attend(session: String(s.id!), trainees: ["T00001", "T00002", "T00003"], status: .present)
        for t in ["T00001", "T00002", "T00003"] {
            for tech in ["榫卯", "彩画"] { try db.signOff(cohort: "2014-1", trainee: t, technique: tech, expert: "王", result: .pass) }
        }
        _ = try db.forget("T00002")
        let r = try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey)
        #expect(r.issued.count == 2)
        let erased = r.skipped.filter { $0.reason.en.hasPrefix("details erased on request on") }
        #expect(erased.map(\.trainee) == ["T00002"] && erased.map(\.tier) == ["completion"])
        // Erased after issue: still verifiable by number, not printable.
        _ = try db.forget("T00001")
        let number = r.issued[0].number
        #expect(Verification.verify(number: number, database: db, publicKey: testKey.publicKey).isValid)
        #expect(throws: LubanError.self) {
            try db.printed(db.register(numbers: [number]), language: .zh, showID: false, templates: .builtIn, key: testKey)
        }
        #expect(try db.read { try String.fetchOne($0, sql: "SELECT holder_salt FROM certificate WHERE number = ?", arguments: [number]) } == "")
    }

    @Test func certificatesAreNeverDeleted() throws {
        let (db, _) = try issuedScenario()
        expectSQLiteRefusal("certificates are never deleted") { try db.writer.write { try $0.execute(sql: "DELETE FROM certificate") } }
    }

    @Test func signaturesVerifyWithThePublicKeyOnly() throws {
        let signature = try testKey.sign("同一段文字")
        #expect(IssuerKey.verify(signature: signature, of: "同一段文字", publicKey: testKey.publicKey))
        #expect(!IssuerKey.verify(signature: signature, of: "同一段文字。", publicKey: testKey.publicKey))
    }
}
