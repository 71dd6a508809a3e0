import Foundation
import LubanKit
import Testing

/// Reports/samples/ is what the demo prints today: every file is regenerated and compared.
@Suite(.serialized) struct SampleReportsTests {
    static let manifest: [(file: String, args: [String])] = {
        let text = (try? String(contentsOf: User.root.appendingPathComponent("Reports/samples/MANIFEST"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
    }()

    @Test func theDemoPrintsTheGoldenSamples() throws {
        #expect(Self.manifest.count >= 8)
        let user = try User()
        let demo = try user.run(["demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("6 cohorts"))
        let key = try user.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        for (file, args) in Self.manifest {
            let expected = try String(contentsOf: User.root.appendingPathComponent("Reports/samples/\(file)"), encoding: .utf8)
            let actual = try user.ok(args)
            // Signatures are compared by verifying them, not byte by byte: any valid signature is
            // right (Ed25519 signing may be randomized, as CryptoKit's is).
            #expect(
                Self.unsigned(actual) == Self.unsigned(expected),
                "Reports/samples/\(file) differs from `luban \(args.joined(separator: " "))` (regenerate: Scripts/make-samples.sh)\n\(unifiedDiff(expected, actual))"
            )
            if actual.contains("签名 Ed25519 (1/2): ") {
                #expect(
                    Verification.verify(file: Array(actual.utf8), publicKey: key, register: nil).isValid, "\(file): the signature does not verify")
            }
        }
        // The demo's totals are the source's: six cohorts, 500 to 600 person-times.
        let total = try user.ok("report", "yearly", "--format", "csv").components(separatedBy: "\r\n").first { $0.hasPrefix("total,") } ?? ""
        let fields = total.split(separator: ",")
        #expect(fields[1] == "6")
        #expect((500...600).contains(Int(fields[6]) ?? 0))
        // A second run on the same database refuses.
        let again = try user.run(["demo"])
        #expect(again.status == 1 && again.stderr.contains("already holds data"))
    }

    @Test func anEmployerVerifiesWithOnlyTheFileAndThePublicKey() throws {
        let office = try User()
        try office.demo()
        let key = try office.ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let text = try office.ok("certificate", "print", "LB-2013-0001-9")
        let employer = try User()
        let file = try employer.write("certificate.txt", text)
        #expect(try employer.run(["certificate", "verify", file, "--public-key", key]).stdout.hasPrefix("VALID LB-2013-0001-9"))
        let forged = try employer.write("forged.txt", text.replacingOccurrences(of: "课堂授课 40", with: "课堂授课 48"))
        let r = try employer.run(["certificate", "verify", forged, "--public-key", key])
        #expect(r.status == 1 && r.stdout.hasPrefix("INVALID"))
        #expect(!FileManager.default.fileExists(atPath: employer.database), "verifying created no database")
    }
}

extension SampleReportsTests {
    /// `text` with the 44 signature characters of each signature line replaced by `#`.
    static func unsigned(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let r = line.range(of: "签名 Ed25519 ("), let colon = line[r.upperBound...].range(of: "): ") else { return String(line) }
            let start = colon.upperBound
            let end = line.index(start, offsetBy: 44, limitedBy: line.endIndex) ?? line.endIndex
            return String(line[..<start]) + String(repeating: "#", count: line.distance(from: start, to: end)) + String(line[end...])
        }.joined(separator: "\n")
    }
}

extension User {
    @discardableResult
    func ok(_ args: [String]) throws -> String {
        let r = try run(args)
        #expect(r.status == 0, "luban \(args.joined(separator: " ")) failed: \(r.stderr)")
        return r.stdout
    }
}
