import ArgumentParser
import LubanKit

struct ExpertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expert", abstract: "Register and look at the experts (专家) who teach, demonstrate and assess.",
        discussion: "Example: luban expert add 周文远 --title 非物质文化遗产代表性传承人 --techniques 榫卯,彩画",
        subcommands: [Add.self, List.self, Show.self, Edit.self])

    /// `--title`, `--craft`, `--affiliation`, `--phone`, `--techniques`: what add and edit take.
    struct Details: ParsableArguments {
        @Option(help: "A title, e.g. 高级工程师.") var title: String?
        @Option(help: "Craft, e.g. 木作.") var craft: String?
        @Option(help: "Where they work.") var affiliation: String?
        @Option(help: "Phone number.") var phone: String?
        @Option(help: "The techniques they assess, separated by commas (榫卯,彩画); empty: any.") var techniques: String?

        func details(name: String?) -> ExpertDetails {
            ExpertDetails(
                name: name, title: title, craft: craft, affiliation: affiliation, phone: phone,
                techniques: techniques.map { $0.split(whereSeparator: { ",，、".contains($0) }).map { String($0).trimmed } })
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Register an expert; prints their code (e.g. E007).",
            discussion: "Example: luban expert add 周文远 --title 非物质文化遗产代表性传承人 --craft 木作 --techniques 榫卯,彩画")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The expert's name.") var name: String
        @OptionGroup var more: Details

        func run() throws { emit(try database.open().addExpert(more.details(name: name)).code) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the registered experts (phone numbers masked unless --show-id).",
            discussion: "Example: luban expert list")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws { try output.print(Views.experts(try database.open().experts(), showID: output.showId)) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One expert: details, and their yearly account.", discussion: "Example: luban expert show E001")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Expert code or registered name.") var expert: String
        func run() throws {
            let db = try database.open()
            let e = try db.expert(expert)
            try output.print(Views.experts([e], showID: output.showId))
            if output.format == .text {
                emit("")
                try output.print(ExpertReport.table(try ExpertReport.rows(db, expert: e.code)))
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit", abstract: "Correct an expert's details; a new name is carried to their sessions and verdicts.",
            discussion: "Example: luban expert edit E003 --title 高级工艺美术师 --techniques 砖雕,木雕")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Expert code or registered name.") var expert: String
        @Option(help: "The expert's name.") var name: String?
        @OptionGroup var more: Details
        func run() throws {
            let e = try database.open().editExpert(expert, more.details(name: name))
            emit(say(zh: "\(e.code) \(e.name) 已更正", en: "\(e.code) \(e.name) corrected"))
        }
    }
}
