import ArgumentParser
import LubanKit

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Withdraw a trainee from a cohort: off the sheets of later sessions and off its eligibility; --undo takes it back.",
        discussion: """
            What they attended before stays counted in the totals.
            Examples: luban withdraw 2014-1 T00042 --reason "moved to Tianjin" --on 2014-04-15
                      luban withdraw 2014-1 T00042 --undo
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The cohort code.") var cohort: String
    @Argument(help: "Trainee code or ID number.") var trainee: String
    @Option(help: "Why they leave.") var reason: String?
    @Option(help: "The day they leave: no mark is taken for sessions from that day (default: today).") var on: CalendarDate?
    @Flag(help: "Take the withdrawal back.") var undo = false

    func validate() throws {
        if !undo && reason == nil { throw usage(zh: "请用 --reason 说明原因，或用 --undo 撤回", en: "say why with --reason, or take it back with --undo") }
    }

    func run() throws {
        let t = try database.open().withdraw(cohort: cohort, trainee: trainee, reason: reason ?? "", on: on ?? .today, undo: undo)
        emit(
            undo
                ? say(zh: "\(t.code) 已回到 \(cohort)", en: "\(t.code) is back in \(cohort)")
                : say(
                    zh: "\(t.code) 已于 \((on ?? .today).description) 退出 \(cohort)",
                    en: "\(t.code) withdrawn from \(cohort) on \((on ?? .today).description)"))
    }
}

struct Transfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Move a trainee from one cohort to another: withdrawn from the first, enrolled in the second.",
        discussion: "Example: luban transfer T00042 --from 2014-1 --to 2014-2 --on 2014-04-15")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Trainee code or ID number.") var trainee: String
    @Option(help: "The cohort they leave.") var from: String
    @Option(help: "The cohort they join.") var to: String
    @Option(help: "The day of the move (default: today).") var on: CalendarDate?

    func run() throws {
        let t = try database.open().transfer(trainee: trainee, from: from, to: to, on: on ?? .today)
        emit(
            say(
                zh: "\(t.code) 已于 \((on ?? .today).description) 由 \(from) 转入 \(to)",
                en: "\(t.code) moved from \(from) to \(to) on \((on ?? .today).description)"))
    }
}
