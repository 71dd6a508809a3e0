import ArgumentParser
import LubanKit

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Schedule and list a cohort's sessions (课次).",
        discussion: "Example: luban session list 2014-1", subcommands: [Add.self, Import.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Schedule a session; prints its id.",
            discussion: "Example: luban session add 2014-1 --kind field --date 2014-04-12 --hours 4 --course SD --site 普宁寺 --expert 李师傅")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The cohort code.") var cohort: String
        @Option(help: "classroom, field or demonstration.") var kind: SessionKind
        @Option(help: "The day, YYYY-MM-DD (within the cohort's dates).") var date: CalendarDate
        @Option(help: "Scheduled hours, more than 0 and at most 12, in quarter hours.") var hours: String
        @Option(help: "A course code of the cohort's curriculum.") var course: String?
        @Option(help: "Where, e.g. 普宁寺.") var site: String?
        @Option(help: "The expert teaching.") var expert: String?
        @Option(help: "A title.") var title: String?

        func run() throws {
            let draft = SessionDraft(
                date: date, kind: kind, hours: try Hours.parse(hours), course: course ?? "", site: site ?? "", expert: expert ?? "",
                title: title ?? "")
            emit(String(try database.open().addSession(cohort: cohort, draft).id ?? 0))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a schedule CSV (date,kind,hours[,course,site,expert,title]); all rows or none.",
            discussion: """
                Importing the same schedule again adds nothing. Without COHORT, each row names its cohort in a cohort column.
                Examples: luban session import 2014-1 schedule.csv
                          luban session import all-schedules.csv
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var input: CohortFile

        func run() throws {
            let r = try database.open().importSchedule(cohort: input.cohort, try CSVReader(path: input.file))
            emit("\(input.file): \(r.recorded) sessions added, \(r.unchanged) already scheduled")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List a cohort's sessions with their ids.", discussion: "Example: luban session list 2014-1")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The cohort code.") var cohort: String
        func run() throws { output.print(Views.sessions(try database.open().sessions(cohort: cohort))) }
    }
}
