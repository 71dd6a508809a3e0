import Foundation
import Testing

/// The benchmark's data path at a small size: generate, import as a user would, check.
@Suite struct FederationScaleTests {
    @Test func aGeneratedDataSetImportsAndItsFiguresEqualARecomputation() throws {
        let user = try User()
        let data = user.folder.appendingPathComponent("data").path
        try user.ok("generate", data, "--cohorts", "12", "--trainees", "400", "--seed", "3")
        let again = user.folder.appendingPathComponent("again").path
        try user.ok("generate", again, "--cohorts", "12", "--trainees", "400", "--seed", "3")
        for file in ["cohorts.csv", "roster.csv", "enrolments.csv", "schedule.csv", "attendance.csv", "signoffs.csv"] {
            #expect(
                FileManager.default.contentsEqual(atPath: "\(data)/\(file)", andPath: "\(again)/\(file)"), "\(file) is the same for the same seed")
        }
        try user.ok("init")
        try user.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        #expect(try user.ok("cohort", "import", "\(data)/cohorts.csv").contains("12 cohorts added"))
        #expect(try user.ok("cohort", "import", "\(data)/cohorts.csv").contains("0 cohorts added, 12 already there"))
        try user.ok("trainee", "import", "\(data)/roster.csv")
        try user.ok("enroll", "--csv", "\(data)/enrolments.csv")
        try user.ok("session", "import", "\(data)/schedule.csv", "--add-experts")
        #expect(try user.ok("attend", "--csv", "\(data)/attendance.csv").hasPrefix("15000 recorded"))
        try user.ok("signoff", "import", "\(data)/signoffs.csv", "--add-experts")
        #expect(try user.ok("check").contains("roll-ups match a full recomputation"))
        let csv = try user.ok("report", "yearly", "--format", "csv")
        #expect(csv.contains("\r\ntotal,12,300,"))
    }
}
