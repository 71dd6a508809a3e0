import ArgumentParser
import LubanDemo
import LubanKit

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill an empty database with the program as the source tells it: six cohorts, 2013-2016.",
        discussion: """
            Goes through the same paths as the user's commands (import, attend, signoff, certify). The same \
            data on every run. Refuses a database that already holds data.
            Example: luban demo --db demo.sqlite
            """)
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let summary = try DemoProgram.run(databasePath: database.resolvedPath, log: { note($0) })
        emit(summary, terminator: "")
    }
}
