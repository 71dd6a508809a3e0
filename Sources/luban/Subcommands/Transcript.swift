import ArgumentParser
import LubanKit

struct TranscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript",
        abstract: "A trainee's cumulative record, cohort by cohort, and progress toward the inheritor tier.",
        discussion: "Example: luban transcript T00042")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Trainee code or ID number.") var trainee: String

    func run() throws {
        let t = try database.open().transcript(trainee)
        if output.format == .text {
            emit(TranscriptReport.text(t, showID: output.showId), terminator: "")
        } else {
            try output.print(TranscriptReport.table(t))
        }
    }
}
