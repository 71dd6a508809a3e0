import ArgumentParser
import LubanKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports for the union.",
        discussion: "Example: luban report yearly --year 2015", subcommands: [Yearly.self])

    struct Yearly: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "yearly",
            abstract: "Yearly totals (cohorts, sessions, hours, person-times, trainees, attended hours, certificates) and a total row.",
            discussion: "The text form states the definitions under the table. Example: luban report yearly --format csv")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this calendar year.") var year: Int?

        func run() throws {
            let db = try database.open()
            let rows = try YearlyTotals.rows(db, year: year)
            if output.format == .text {
                emit(YearlyTotals.text(rows, program: try YearlyTotals.program(db)), terminator: "")
            } else {
                output.print(YearlyTotals.table(rows))
            }
        }
    }
}
