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
        subcommands: [Record.self, Import.self, Void.self, History.self],
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
        @Option(help: "The day the expert assessed (default: today).") var on: CalendarDate?

        func run() throws {
            let (r, code) = try database.open().signOff(
                cohort: cohort, trainee: trainee, technique: technique, expert: expert, result: result, note: note ?? "", on: on ?? .today)
            emit(
                r.recorded > 0
                    ? say(zh: "已记录：\(code) \(technique) \(result.rawValue)", en: "recorded: \(code) \(technique) \(result.rawValue)")
                    : say(zh: "未变：同样的考核结果已有记录", en: "unchanged: the same verdict is already recorded"))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import verdicts (trainee,technique,expert,result[,note,assessed_on]); all rows or none.",
            discussion: "Without COHORT, each row names its cohort in a cohort column. Example: luban signoff import 2014-1 verdicts.csv")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var input: CohortFile
        @Flag(help: "Register the experts the file names that are not registered yet (otherwise they are refused).") var addExperts = false
        @OptionGroup var columns: ColumnOptions

        func run() throws {
            let r = try database.open().importSignOffs(
                cohort: input.cohort, try columns.reader(input.file, sheet: input.sheet), addExperts: addExperts)
            emit(
                say(
                    zh: "\(input.file)：记录 \(r.recorded) 条考核结果，\(r.unchanged) 条未变",
                    en: "\(input.file): \(r.recorded) verdicts recorded, \(r.unchanged) unchanged"))
            emitIgnored(r)
        }
    }

    struct Void: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "void",
            abstract: "Void a verdict entered by mistake: it then counts as never given, and stays in the history with the reason.",
            discussion: "Example: luban signoff void 2014-1 T00042 --technique 榫卯 --reason \"entered for the wrong trainee\"")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The cohort code.") var cohort: String
        @Argument(help: "Trainee code or ID number.") var trainee: String
        @Option(help: "The technique whose verdict in force is void.") var technique: String
        @Option(help: "Why it is void.") var reason: String

        func run() throws {
            let v = try database.open().voidSignOff(cohort: cohort, trainee: trainee, technique: technique, reason: reason)
            emit(
                say(
                    zh: "已作废：\(v.technique) \(v.result.rawValue)，专家 \(v.expert)（记录于 \(v.recordedAt.prefix(10))）",
                    en: "voided: \(v.technique) \(v.result.rawValue) by \(v.expert) (recorded \(v.recordedAt.prefix(10)))"))
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "List a cohort's verdicts (or one trainee's), oldest first, with when each was assessed and any voided.",
            discussion: "Example: luban signoff history 2014-1 T00042")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The cohort code.") var cohort: String
        @Argument(help: "Only this trainee (code or ID number).") var trainee: String?

        func run() throws { try output.print(Views.signOffs(try database.open().signOffHistory(cohort: cohort, trainee: trainee))) }
    }
}
