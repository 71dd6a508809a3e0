import Foundation
import Testing

@testable import LubanKit

/// The statement a certificate's QR code holds: attacked the ways a forger would.
struct StatementTests {
    func statement() throws -> (LubanDatabase, String, String) {
        let (db, _, certificate) = try certifiedScenario()
        let entry = try #require(try db.register(numbers: [certificate.number]).first)
        return (db, certificate.number, try CertificateStatement.text(entry, key: testKey))
    }

    @Test func aStatementVerifiesAndNeverHoldsAFullIDNumber() throws {
        let (db, number, text) = try statement()
        #expect(text.contains("编号 \(number)\n"))
        let id = try #require(try db.trainee("T00001").idNumber)
        #expect(!text.contains(id) && text.contains(Mask.idNumber(id)))
        #expect(Verification.verify(statement: text, publicKey: testKey.publicKey, register: nil).isValid)
        #expect(Verification.verify(statement: text, publicKey: testKey.publicKey, register: db).isValid)
        // What a phone hands over: CRLF, trailing spaces, a blank line either end.
        let pasted = "\n" + text.replacingOccurrences(of: "\n", with: "  \r\n") + "\n"
        #expect(Verification.verify(statement: pasted, publicKey: testKey.publicKey, register: nil).isValid)
    }

    @Test func everyChangedLineIsInvalid() throws {
        let (_, _, text) = try statement()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the empty string after the final LF
        for i in 0..<(lines.count - 1) {
            var changed = lines
            changed[i] += "0"
            #expect(
                !Verification.verify(statement: changed.joined(separator: "\n"), publicKey: testKey.publicKey, register: nil).isValid, "line \(i)")
        }
        var added = lines
        added.insert("技艺 彩画", at: 5)
        #expect(!Verification.verify(statement: added.joined(separator: "\n"), publicKey: testKey.publicKey, register: nil).isValid)
        var swapped = lines
        swapped.swapAt(3, 4)
        #expect(!Verification.verify(statement: swapped.joined(separator: "\n"), publicKey: testKey.publicKey, register: nil).isValid)
        var dropped = lines
        dropped.remove(at: 5)
        #expect(!Verification.verify(statement: dropped.joined(separator: "\n"), publicKey: testKey.publicKey, register: nil).isValid)
    }

    @Test func aStatementSignedWithAnotherKeyIsInvalid() throws {
        let (db, number, _) = try statement()
        let mallory = try IssuerKey(seed: Array(repeating: 9, count: 32))
        let entry = try #require(try db.register(numbers: [number]).first)
        let forged = try CertificateStatement.text(entry, key: mallory)
        let verdict = Verification.verify(statement: forged, publicKey: testKey.publicKey, register: db)
        #expect(
            verdict.line
                == "INVALID: the statement says it was signed by key \(mallory.fingerprint), you gave \(testKey.fingerprint); get the public key from the issuer"
        )
        // Mallory's fingerprint written over her signature changes nothing.
        let disguised = forged.replacingOccurrences(of: mallory.fingerprint, with: testKey.fingerprint)
        #expect(!Verification.verify(statement: disguised, publicKey: testKey.publicKey, register: db).isValid)
    }

    @Test func aRevokedCertificatesStatementIsRevokedWithTheRegister() throws {
        let (db, number, text) = try statement()
        _ = try db.revoke(number: number, reason: "重复录入", on: CalendarDate("2014-05-01")!, key: testKey)
        // Printed before the revocation: still signed, but the register says REVOKED.
        #expect(
            Verification.verify(statement: text, publicKey: testKey.publicKey, register: db)
                == .revoked(number: number, on: "2014-05-01", reason: "重复录入"))
        // Printed after it: REVOKED even offline.
        let entry = try #require(try db.register(numbers: [number]).first)
        let after = try CertificateStatement.text(entry, key: testKey)
        #expect(
            Verification.verify(statement: after, publicKey: testKey.publicKey, register: nil)
                == .revoked(number: number, on: "2014-05-01", reason: "重复录入"))
    }

    @Test func aStatementIsFoundInAPDFsKeywordsAndNowhereElse() {
        let statement = "编号 LB-2014-0001-X\n签名 00 AA==\n"
        let pdf = Array("%PDF-1.5\n<< /Keywords (luban-statement-v1:\(Data(statement.utf8).base64EncodedString())) >>\n%%EOF\n".utf8)
        #expect(Verification.statement(inPDF: pdf) == statement)
        #expect(Verification.statement(inPDF: Array("%PDF-1.5\n<< /Keywords (other) >>\n".utf8)) == nil)
        #expect(Verification.statement(inPDF: Array("%PDF-1.5\n<< /Keywords (luban-statement-v1:not base64!) >>\n".utf8)) == nil)
    }
}
