import ArgumentParser
import LubanKit

struct Certify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Issue the certificates a cohort's trainees have earned, in one transaction; lists who gets what, and who gets nothing and why.",
        discussion: """
            Completion certificates first, then inheritor certificates for those who newly reached that tier. \
            Running it again issues nothing. A certificate once revoked is issued again only with --reissue.
            Examples: luban certify 2014-1 --date 2014-04-20 --dry-run
                      luban certify 2014-1 --date 2014-05-02 --reissue T00042
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The cohort code.") var cohort: String
    @Option(help: "Issue date, YYYY-MM-DD (default: today).") var date: CalendarDate?
    @Flag(help: "Show what would be issued; change nothing.") var dryRun = false
    @Option(help: "Issue again to this trainee (code or ID number) what was revoked; repeat for several.") var reissue: [String] = []

    func run() throws {
        let db = try database.open()
        let r = try db.certify(cohort: cohort, on: date ?? .today, key: try database.issuerKey(), dryRun: dryRun, reissue: reissue)
        let table = CertifyReport.table(r, db)
        try output.print(table)
        if output.format == .text {
            emit(
                say(
                    zh: "\(dryRun ? "将签发 \(r.issued.count) 张证书（试运行；未写入任何内容）" : "已签发 \(r.issued.count) 张证书")",
                    en: "\(r.issued.count) certificates \(dryRun ? "would be issued (dry run; nothing was written)" : "issued")"))
        }
    }
}
