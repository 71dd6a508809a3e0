import ArgumentParser
import Foundation
import LubanKit

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Schedule and list a cohort's sessions (课次).",
        discussion: "Example: luban session list 2014-1", subcommands: [Add.self, Import.self, List.self, Edit.self, Cancel.self])

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Correct a session: another date, hours, kind, course, site, expert or title; every figure follows.",
            discussion: """
                The change log keeps each field before and after. Date, hours and kind cannot change while the cohort has
                certificates issued on its attendance.
                Example: luban session edit 12 --date 2014-04-14 --site 普乐寺
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The session id.") var session: String
        @Option(help: "The new day, YYYY-MM-DD.") var date: CalendarDate?
        @Option(help: "The new hours.") var hours: String?
        @Option(help: "classroom, field or demonstration.") var kind: SessionKind?
        @Option(help: "A course code of the cohort's curriculum.") var course: String?
        @Option(help: "Where.") var site: String?
        @Option(help: "The expert teaching.") var expert: String?
        @Option(help: "A title.") var title: String?

        func run() throws {
            let change = SessionChange(
                date: date, hours: try hours.map { try Hours.parse($0) }, kind: kind, course: course, site: site, expert: expert, title: title)
            let (before, _) = try database.open().editSession(session, change)
            emit(say(zh: "课次 \(before.id ?? 0) 已修改", en: "session \(before.id ?? 0) edited"))
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a session (it stays, with its marks, and counts for nothing), or restore it with --undo.",
            discussion: """
                A cancelled session is left out of roll-call sheets, certificate rules and yearly totals.
                Examples: luban session cancel 12 --reason "rained off, moved to session 15"
                          luban session cancel 12 --undo
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The session id.") var session: String
        @Option(help: "Why it is cancelled.") var reason: String?
        @Option(help: "When it was cancelled (default: today).") var on: CalendarDate?
        @Flag(help: "Restore a cancelled session.") var undo = false

        func validate() throws {
            if !undo && reason == nil { throw usage(zh: "请用 --reason 说明原因，或用 --undo 恢复", en: "say why with --reason, or restore with --undo") }
        }

        func run() throws {
            let s = try database.open().cancelSession(session, reason: reason ?? "", on: on ?? .today, undo: undo)
            emit(
                undo
                    ? say(zh: "课次 \(s.id ?? 0) 已恢复", en: "session \(s.id ?? 0) restored")
                    : say(
                        zh: "课次 \(s.id ?? 0) 已于 \(s.cancelledOn?.description ?? "") 取消",
                        en: "session \(s.id ?? 0) cancelled on \(s.cancelledOn?.description ?? "")"))
        }
    }

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
                Importing the same schedule again adds nothing, and names the scheduled sessions the file does not have.
                With --replace the cohort's schedule becomes the file: sessions are added, moved or edited, and those not
                in the file are cancelled (never deleted; their marks stay). The changes are shown first, and asked about
                on a terminal (--yes elsewhere). Without COHORT, each row names its cohort in a cohort column.
                Examples: luban session import 2014-1 schedule.csv
                          luban session import 2014-1 schedule-v2.csv --replace
                          luban session import all-schedules.csv
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var input: CohortFile
        @Flag(help: "Make the cohort's schedule equal to the file (add, edit, cancel).") var replace = false
        @Flag(help: "With --replace: apply without asking.") var yes = false
        @Flag(help: "Register the experts the file names that are not registered yet (otherwise they are refused).") var addExperts = false
        @OptionGroup var columns: ColumnOptions

        func validate() throws {
            if replace && input.cohort == nil {
                throw usage(zh: "--replace 只作用于一个期次：请给出 期次 文件", en: "--replace works on one cohort: give COHORT FILE")
            }
        }

        func run() throws {
            let db = try database.open()
            if replace, let cohort = input.cohort {
                let plan = try db.planSchedule(cohort: cohort, try columns.reader(input.file, sheet: input.sheet), addExperts: addExperts)
                guard !plan.isEmpty else {
                    emit(
                        say(
                            zh: "\(input.file)：\(cohort) 的日程已一致（\(plan.unchanged) 个课次）",
                            en: "\(input.file): the schedule of \(cohort) already matches (\(plan.unchanged) sessions)"))
                    return
                }
                for line in plan.lines { emit(line) }
                if !yes {
                    guard isatty(STDIN_FILENO) != 0 else {
                        throw LubanError.refused(
                            zh: "未做任何更改；标准输入不是终端，要应用这些更改请加 --yes",
                            en: "nothing was changed; standard input is not a terminal, so give --yes to apply these changes")
                    }
                    emit(say(zh: "对 \(cohort) 应用这些更改？输入 yes：", en: "Apply these changes to \(cohort)? Type yes: "), terminator: "")
                    fflush(nil)
                    guard readLine()?.trimmed.lowercased() == "yes" else { throw LubanError.refused(zh: "未做任何更改", en: "nothing was changed") }
                }
                try db.applySchedule(cohort: cohort, plan, file: input.file, addExperts: addExperts)
                emit(
                    say(
                        zh: "\(input.file)：新增 \(plan.add.count)，修改 \(plan.edit.count)，恢复 \(plan.restore.count)，取消 \(plan.cancel.count)",
                        en:
                            "\(input.file): \(plan.add.count) added, \(plan.edit.count) edited, \(plan.restore.count) restored, \(plan.cancel.count) cancelled"
                    ))
                return
            }
            let r = try db.importSchedule(cohort: input.cohort, try columns.reader(input.file, sheet: input.sheet), addExperts: addExperts)
            emit(
                say(
                    zh: "\(input.file)：新增 \(r.recorded) 个课次，\(r.unchanged) 个已排",
                    en: "\(input.file): \(r.recorded) sessions added, \(r.unchanged) already scheduled"))
            emitIgnored(r)
            if let cohort = input.cohort {
                let inFile = Set(r.ids)
                let missing = try db.sessions(cohort: cohort).filter { $0.cancelledOn == nil && !inFile.contains($0.id!) }
                if !missing.isEmpty {
                    emit(
                        say(
                            zh: "已排但不在 \(input.file) 中（要让日程与文件一致：--replace）：",
                            en: "scheduled but not in \(input.file) (to make the schedule the file's: --replace):"))
                    for m in missing {
                        emit(
                            "  " + say(zh: "课次", en: "session")
                                + " \(m.id!)  \(m.date) \(m.kind.rawValue) \(Hours.format(m.hours)) h \(m.title.isEmpty ? m.site : m.title)")
                    }
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List a cohort's sessions with their ids.", discussion: "Example: luban session list 2014-1")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The cohort code.") var cohort: String
        func run() throws { try output.print(Views.sessions(try database.open().sessions(cohort: cohort))) }
    }
}
