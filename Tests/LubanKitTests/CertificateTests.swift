import Foundation
import Testing
@testable import LubanKit

@Suite struct CertificateTests {
    @Test func theCheckCharacterCatchesEveryMistypedDigitAndAdjacentSwap() {
        let number = CertificateNumber(prefix: "LB", year: 2014, serial: 7)
        let text = number.description
        #expect(text == "LB-2014-0007-\(number.check)")
        guard case .success = CertificateNumber.parse(text) else { Issue.record("a good number was refused"); return }
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
        let db = try scenario(trainees: 1)
        let c = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 8, course: "GJ"))
        _ = try db.attend(session: String(c.id!), trainees: ["T00001"], status: .present)
        for t in ["榫卯", "彩画"] { try db.signOff(cohort: "2014-1", trainee: "T00001", technique: t, expert: "王", result: .pass) }
        let r = try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey)
        return (db, try #require(r.issued.first))
    }

    @Test func aPrintedCertificateVerifiesAndAnyChangedCharacterFails() throws {
        let (db, cert) = try issuedScenario()
        let entries = try db.register(numbers: [cert.number])
        let text = try #require(try db.printed(entries, language: .zh, showID: false, templates: .builtIn, key: testKey).first).text
        #expect(text.contains("110101********0010"))
        #expect(!text.contains("110101198001010010"))
        let widths = Set(text.split(separator: "\n").map(\.displayWidth))
        #expect(widths.count == 1)
        #expect(Verification.verify(file: text, publicKey: testKey.publicKey, register: nil).isValid)
        #expect(Verification.verify(file: text, publicKey: testKey.publicKey, register: db).isValid)
        // Change one character anywhere outside the signature: INVALID.
        var chars = Array(text)
        for (i, c) in chars.enumerated() where c == "8" { chars[i] = "9"; break }
        let forged = String(chars)
        #expect(forged != text)
        #expect(!Verification.verify(file: forged, publicKey: testKey.publicKey, register: nil).isValid)
        // Another key: INVALID.
        let other = try IssuerKey(seed: Array(repeating: 9, count: 32))
        #expect(!Verification.verify(file: text, publicKey: other.publicKey, register: nil).isValid)
        // Revoked: REVOKED, with the reason.
        _ = try db.revoke(number: cert.number, reason: "重复录入", on: CalendarDate("2014-05-01")!)
        #expect(Verification.verify(file: text, publicKey: testKey.publicKey, register: db) == .revoked(number: cert.number, on: CalendarDate("2014-05-01"), reason: "重复录入"))
    }

    @Test func aRegisterRowEditedByHandIsCaught() throws {
        let (db, cert) = try issuedScenario()
        #expect(Verification.verify(number: cert.number, database: db, publicKey: nil).isValid)
        try db.writer.write { try $0.execute(sql: "UPDATE certificate SET classroom_hours = 40") }
        #expect(!Verification.verify(number: cert.number, database: db, publicKey: nil).isValid)
        try db.writer.write { try $0.execute(sql: "UPDATE certificate SET classroom_hours = 8; UPDATE trainee SET name = '冒名'") }
        #expect(!Verification.verify(number: cert.number, database: db, publicKey: nil).isValid)
    }

    @Test func certificatesAreNeverDeleted() throws {
        let (db, _) = try issuedScenario()
        #expect(throws: (any Error).self) { try db.writer.write { try $0.execute(sql: "DELETE FROM certificate") } }
    }

    @Test func signingIsDeterministicSoSamplesAreStable() throws {
        #expect(try testKey.sign("同一段文字") == testKey.sign("同一段文字"))
    }
}
