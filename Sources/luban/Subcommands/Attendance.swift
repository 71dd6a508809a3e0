import ArgumentParser
import LubanKit

struct AttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance", abstract: "Look at the attendance ledger.",
        discussion: "Example: luban attendance history 12", subcommands: [History.self])

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "List a session's ledger entries (all of them, corrections included), oldest first.",
            discussion: "Example: luban attendance history 12 T00042")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The session id.") var session: String
        @Argument(help: "Only this trainee (code or ID number).") var trainee: String?
        func run() throws { output.print(Views.history(try database.open().attendanceHistory(session: session, trainee: trainee))) }
    }
}
