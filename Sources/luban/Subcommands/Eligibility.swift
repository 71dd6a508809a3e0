import ArgumentParser
import LubanKit

struct EligibilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eligibility",
        abstract: "List every enrolled trainee with, for each tier, eligible or exactly what is missing.",
        discussion: "Example: luban eligibility 2014-1 --format csv")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The cohort code.") var cohort: String

    func run() throws {
        let db = try database.open()
        let lines = try db.eligibility(cohort: cohort)
        if output.format == .text {
            emit(EligibilityReport.text(lines, cohort: try db.cohort(cohort)), terminator: "")
        } else {
            try output.print(EligibilityReport.table(lines))
        }
    }
}
