import ArgumentParser
import LubanKit

struct Certify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Issue the certificates a cohort's trainees have earned, in one transaction; prints their numbers.",
        discussion: """
            Completion certificates first, then inheritor certificates for those who newly reached that tier. \
            Running it again issues nothing.
            Example: luban certify 2014-1 --date 2014-04-20 --dry-run
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The cohort code.") var cohort: String
    @Option(help: "Issue date, YYYY-MM-DD (default: today).") var date: CalendarDate?
    @Flag(help: "Show what would be issued; change nothing.") var dryRun = false

    func run() throws {
        let r = try database.open().certify(cohort: cohort, on: date ?? .today, key: try database.issuerKey(), dryRun: dryRun)
        for c in r.issued { emit("\(c.number)  \(c.tier)") }
        for s in r.skipped { emit("skipped \(s.trainee)  \(s.tier): \(s.reason)") }
        emit("\(r.issued.count) certificates \(dryRun ? "would be issued (dry run; nothing was written)" : "issued")")
    }
}
