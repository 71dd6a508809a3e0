import Foundation
import Testing

/// Counts per employer: each year's employers add up to that year's yearly totals (after a
/// revocation, a withdrawal and an erasure), and the certificates per employer are recomputed
/// from the register and the trainee list, as an office clerk would in a spreadsheet.
@Suite struct EmployerReportTests {
    static func rows(_ csv: String) -> [[String]] {
        csv.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func employersAddUpToTheYearAndCertificatesRecompute() throws {
        let user = try User()
        try user.demo()
        try user.ok("certificate", "revoke", "LB-2015-0073-1", "--reason", "重复录入", "--cascade")
        try user.ok("trainee", "forget", "T00050", "--yes")
        let employers = Self.rows(try user.ok("report", "employers", "--format", "csv"))
        let yearly = Self.rows(try user.ok("report", "yearly", "--format", "csv")).filter { $0[0] != "total" }
        #expect(!yearly.isEmpty)
        for year in yearly {
            let mine = employers.filter { $0[0] == year[0] }
            #expect(!mine.isEmpty)
            func sum(_ column: Int) -> Double { mine.reduce(0) { $0 + (Double($1[column]) ?? .nan) } }
            #expect(sum(2) == Double(year[6])!, "\(year[0]) person-times")
            #expect(sum(3) == Double(year[7])!, "\(year[0]) trainees")
            #expect(sum(4) == Double(year[8])!, "\(year[0]) attended hours")
            #expect(sum(5) == Double(year[9])!, "\(year[0]) certificates")
        }
        // The erased trainee's figures stay, under "(none)".
        #expect(employers.contains { $0[1] == "(none)" })
        // Certificates per employer and year, from the register and the trainee list.
        let employerOf = Dictionary(
            Self.rows(try user.ok("trainee", "list", "--format", "csv")).map { ($0[0], $0[3].isEmpty ? "(none)" : $0[3]) },
            uniquingKeysWith: { a, _ in a })
        var counted: [String: Int] = [:]
        for c in Self.rows(try user.ok("certificate", "print", "--all", "--format", "csv")) where c[7] == "valid" {
            counted["\(c[6].prefix(4)) \(employerOf[c[1]] ?? "?")", default: 0] += 1
        }
        let reported = Dictionary(employers.map { ("\($0[0]) \($0[1])", Int($0[5])!) }, uniquingKeysWith: +).filter { $0.value > 0 }
        #expect(reported == counted)
        // The text form states its definitions.
        let text = try user.ok("report", "employers", "--year", "2015")
        #expect(text.contains("Definitions") && text.contains("add up to that year's yearly totals"))
    }
}
