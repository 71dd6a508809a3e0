import ArgumentParser
import LubanKit

struct SignOffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signoff",
        abstract: "Record experts' verdicts on trainees' hands-on practice (实操考核).",
        discussion: """
            Examples: luban signoff 2014-1 T00042 --technique 榫卯 --expert 王师傅 --result pass
                      luban signoff import 2014-1 verdicts.csv
            """,
        subcommands: [Record.self, Import.self],
        defaultSubcommand: Record.self)

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record one verdict; a later one for the same technique supersedes it (both stay in the history).",
            discussion: "Example: luban signoff 2014-1 T00042 --technique 榫卯 --expert 王师傅 --result pass")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The cohort code.") var cohort: String
        @Argument(help: "Trainee code or ID number.") var trainee: String
        @Option(help: "A technique of the cohort's curriculum, e.g. 榫卯.") var technique: String
        @Option(help: "The expert who judged.") var expert: String
        @Option(help: "pass or fail.") var result: SignOffResult
        @Option(help: "A note.") var note: String?

        func run() throws {
            let (r, code) = try database.open().signOff(
                cohort: cohort, trainee: trainee, technique: technique, expert: expert, result: result, note: note ?? "")
            emit(r.recorded > 0 ? "recorded: \(code) \(technique) \(result.rawValue)" : "unchanged: the same verdict is already recorded")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import verdicts (trainee,technique,expert,result[,note]); all rows or none.",
            discussion: "Without COHORT, each row names its cohort in a cohort column. Example: luban signoff import 2014-1 verdicts.csv")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var input: CohortFile

        func run() throws {
            let r = try database.open().importSignOffs(cohort: input.cohort, try CSVReader(path: input.file))
            emit("\(input.file): \(r.recorded) verdicts recorded, \(r.unchanged) unchanged")
        }
    }
}
