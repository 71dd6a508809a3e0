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

    /// A minimal well-formed PDF: one empty page, `info` as its document information, `extra` as
    /// one more object nothing refers to.
    static func pdf(info: String, extra: String = "") -> [UInt8] {
        var out = "%PDF-1.5\n"
        var offsets: [Int] = []
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", info, extra.isEmpty ? "null" : extra,
        ]
        for (i, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(format: "%010d 00000 n \n", o) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 4 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    @Test func aStatementIsFoundInAPDFsKeywordsAndNowhereElse() {
        let statement = "编号 LB-2014-0001-X\n签名 00 AA==\n"
        let encoded = Data(statement.utf8).base64EncodedString()
        #expect(Verification.statement(inPDF: Self.pdf(info: "<< /Keywords (luban-statement-v1:\(encoded)) >>")) == statement)
        // As hex, the way some programs write strings again.
        let hex = Array("luban-statement-v1:\(encoded)".utf8).map { String(format: "%02X", $0) }.joined()
        #expect(Verification.statement(inPDF: Self.pdf(info: "<< /Keywords <\(hex)> >>")) == statement)
        #expect(Verification.statement(inPDF: Self.pdf(info: "<< /Keywords (other) >>")) == nil)
        #expect(Verification.statement(inPDF: Self.pdf(info: "<< /Keywords (luban-statement-v1:not base64!) >>")) == nil)
        // Keywords in an object that is not the document information are not the statement.
        #expect(
            Verification.statement(inPDF: Self.pdf(info: "<< /Title (x) >>", extra: "<< /Keywords (luban-statement-v1:\(encoded)) >>")) == nil)
        // Not a PDF at all.
        #expect(Verification.statement(inPDF: Array("%PDF-1.5\n<< /Keywords (luban-statement-v1:\(encoded)) >>\n".utf8)) == nil)
    }
}
