import ArgumentParser
import LubanKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports for the union.",
        discussion: "Example: luban report yearly --year 2015", subcommands: [Yearly.self, Experts.self, Employers.self])

    struct Experts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "experts",
            abstract: "Each expert's account: sessions led and hours by kind, trainees taught, verdicts given (pass/fail per technique).",
            discussion: """
                What the office pays experts by, and what a master reports to heritage bodies. The text form states the definitions.
                Examples: luban report experts --year 2015
                          luban report experts --year 2015 --by month --format csv
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this calendar year.") var year: Int?
        @Option(help: "year (default) or month.") var by: String = "year"

        func validate() throws {
            if by != "year" && by != "month" { throw usage(zh: "--by 只能是 year 或 month", en: "--by is year or month") }
        }

        func run() throws {
            let rows = try ExpertReport.rows(try database.open(), year: year, byMonth: by == "month")
            try output.print(ExpertReport.table(rows), text: ExpertReport.text(rows))
        }
    }

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
            let program = try YearlyTotals.program(db)
            if output.format == .text {
                emit(YearlyTotals.text(rows, program: program), terminator: "")
            } else {
                try output.print(
                    YearlyTotals.table(rows), sheet: "年度统计",
                    report: ("年度统计 Yearly totals — \(program)", YearlyTotals.definitions.text()))
            }
        }
    }

    struct Employers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "employers",
            abstract: "Per employer (工作单位) and year: person-times, trainees, attended hours, certificates.",
            discussion: """
                What the union asks of its member enterprises; each year's rows add up to that year's totals. The text form \
                states the definitions. Example: luban report employers --year 2015 --format csv
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this calendar year.") var year: Int?

        func run() throws {
            let rows = try EmployerTotals.rows(try database.open(), year: year)
            try output.print(
                EmployerTotals.table(rows), text: EmployerTotals.text(rows), sheet: "各单位统计",
                report: ("各单位统计 Counts per employer", EmployerTotals.definitions.text()))
        }
    }
}
