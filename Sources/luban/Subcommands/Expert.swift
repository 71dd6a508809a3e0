import ArgumentParser
import LubanKit

struct ExpertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expert", abstract: "Register and look at the experts (专家) who teach, demonstrate and assess.",
        discussion: "Example: luban expert add 周文远 --title 非物质文化遗产代表性传承人 --techniques 榫卯,彩画",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Rate.self, Rates.self])

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

    struct Rate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rate",
            abstract: "Set what the office pays: yuan per hour of classroom, field or demonstration teaching, and per verdict.",
            discussion: """
                Without EXPERT the rates are for every expert who has none of their own. A rate is in force from --since
                (default: from the start) until a later one; `luban report experts` prices each session and verdict at the
                rate in force on its day.
                Examples: luban expert rate --classroom 300 --field 400 --demonstration 500 --assessment 50
                          luban expert rate E001 --demonstration 800 --since 2015-01-01
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Expert code or registered name (default: every expert without rates of their own).") var expert: String?
        @Option(help: "Yuan per hour of classroom teaching (课堂).") var classroom: String?
        @Option(help: "Yuan per hour of field teaching (实地).") var field: String?
        @Option(help: "Yuan per hour of demonstration (演示).") var demonstration: String?
        @Option(help: "Yuan per verdict (考核).") var assessment: String?
        @Option(help: "The first day the rates are in force, YYYY-MM-DD (default: from the start).") var since: CalendarDate?

        func run() throws {
            var rates: [FeeKind: Int] = [:]
            for (kind, text) in [(FeeKind.classroom, classroom), (.field, field), (.demonstration, demonstration), (.assessment, assessment)] {
                guard let text else { continue }
                guard let fen = Money.fen(text) else {
                    throw usage(
                        zh: "--\(kind.rawValue) 的金额“\(text)”无法识别；请写元，最多两位小数，例如 300 或 87.50",
                        en: "--\(kind.rawValue) '\(text)' is not an amount; give yuan with at most two decimals, e.g. 300 or 87.50")
                }
                rates[kind] = fen
            }
            let db = try database.open()
            try db.setFeeRates(expert: expert, since: since, rates)
            func listed(_ word: (FeeKind) -> String, _ separator: String) -> String {
                FeeKind.allCases.compactMap { k in rates[k].map { "\(word(k)) \(Money.format($0))" } }.joined(separator: separator)
            }
            emit(say(zh: "已设定费率（元）：\(listed(\.chinese, "，"))", en: "rates set (yuan): \(listed(\.rawValue, ", "))"))
        }
    }

    struct Rates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rates", abstract: "List the rates: for every expert, then each expert's own.", discussion: "Example: luban expert rates")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws { try output.print(Views.feeRates(try database.open().feeRates())) }
    }
}
