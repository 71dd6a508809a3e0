import ArgumentParser
import LubanKit

struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "Look at the attendance ledger.",
        discussion: "Example: luban attendance history 12", subcommands: [History.self, Grid.self])

    struct Grid: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grid",
            abstract: "A cohort's attendance at a glance: trainees × sessions, with totals per trainee and per session.",
            discussion: """
                Text shows one character per status (出 present, 迟 late, 请 excused, 缺 absent, · not marked); csv and json
                the status words. Cancelled sessions are left out.
                Example: luban attendance grid 2015-2 --format csv --excel > grid.csv
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The cohort code.") var cohort: String
        func run() throws {
            let grid = try database.open().attendanceGrid(cohort: cohort)
            try output.print(Views.grid(grid, short: false), text: Views.grid(grid, short: true).text())
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "List ledger entries (all of them, corrections included), oldest first: of a session, or of one trainee.",
            discussion: """
                Examples: luban attendance history 12
                          luban attendance history 12 T00042
                          luban attendance history --trainee T00042     (every mark of one person)
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The session id.") var session: String?
        @Argument(help: "Only this trainee (code or ID number).") var trainee: String?
        @Option(name: .customLong("trainee"), help: "Every mark of this trainee (code or ID number), at every session.") var person: String?

        func validate() throws {
            if session == nil && person == nil { throw usage(zh: "请给出 课次，或 --trainee 学员", en: "give a SESSION, or --trainee TRAINEE") }
            if trainee != nil && person != nil {
                throw usage(zh: "学员只需给一次：课次 学员，或 --trainee 学员", en: "give the trainee once: SESSION TRAINEE, or --trainee TRAINEE")
            }
        }

        func run() throws {
            try output.print(Views.history(try database.open().attendanceHistory(session: session, trainee: trainee ?? person)))
        }
    }
}
