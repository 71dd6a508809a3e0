import ArgumentParser
import Foundation
import LubanKit

struct TraineeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainee", abstract: "Add, import and look at trainees (学员).",
        discussion: "Example: luban trainee import roster.csv --enroll 2014-1",
        subcommands: [Add.self, Import.self, List.self, Find.self, Show.self, Edit.self, Remove.self, Forget.self])

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Correct a trainee's details, with every check trainee add makes; issued certificates keep the details they were issued with.",
            discussion: """
                The correction is listed by trainee show (ID and phone numbers masked) and named in the log.
                Example: luban trainee edit T00042 --name 王建军 --phone 13812345678
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Trainee code or ID number.") var trainee: String
        @Option(help: "Full name.") var name: String?
        @Option(help: "Resident ID number (18 characters).") var idNumber: String?
        @Option(help: "Employer (\"\" to clear).") var employer: String?
        @Option(help: "Craft (\"\" to clear).") var craft: String?
        @Option(help: "Phone number (\"\" to clear).") var phone: String?

        func run() throws {
            let id: IDNumber?
            do { id = try idNumber.map { try IDNumber($0) } } catch let e as IDNumberError { throw LubanError.invalidIDNumber(e.phrase) }
            let (t, changed) = try database.open().editTrainee(trainee, name: name, idNumber: id, employer: employer, craft: craft, phone: phone)
            emit(say(zh: "\(t.code)：\(changed.joined(separator: ", ")) 已更正", en: "\(t.code): \(changed.joined(separator: ", ")) corrected"))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a trainee added by mistake, while nothing refers to them (otherwise: trainee forget).",
            discussion: "Example: luban trainee remove T00042")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Trainee code or ID number.") var trainee: String

        func run() throws {
            let t = try database.open().removeTrainee(trainee)
            emit(say(zh: "\(t.code) 已移除", en: "\(t.code) removed"))
        }
    }

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "find",
            abstract: "Find trainees by part of a name, a code, or the last digits of an ID or phone number.",
            discussion: """
                ID and phone numbers are masked unless --show-id.
                Examples: luban trainee find 建国
                          luban trainee find 8515        (an ID or phone number ending in 8515)
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "What to look for.") var text: String
        func run() throws {
            let found = try database.open().findTrainees(text)
            try output.print(Views.trainees(found, showID: output.showId))
            if found.isEmpty && output.format == .text {
                note(say(zh: "没有找到“\(Visible.text(text))”", en: "nobody found for '\(Visible.text(text))'"))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a trainee; prints their code (e.g. T00042).",
            discussion: "Example: luban trainee add --name 王建国 --id-number 110101199003078515 --employer 北京古建公司 --craft 木工")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "Resident ID number (18 characters, GB 11643-1999).") var idNumber: String
        @Option(help: "Employer.") var employer: String?
        @Option(help: "Craft, e.g. 木工.") var craft: String?
        @Option(help: "Phone number.") var phone: String?

        func run() throws {
            let id: IDNumber
            do { id = try IDNumber(idNumber) } catch { throw LubanError.invalidIDNumber(error.phrase) }
            let t = try database.open().addTrainee(TraineeDetails(name: name, idNumber: id, employer: employer, craft: craft, phone: phone))
            emit(t.code)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a roster CSV (name,id_number[,employer,craft,phone]); all rows or none.",
            discussion: """
                UTF-8 (with or without BOM) or GB18030/GBK as Excel saves it, or the .xlsx workbook itself.
                Known people are not added twice.
                Example: luban trainee import roster.csv --enroll 2014-1
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The roster: CSV, or an Excel/WPS workbook (.xlsx).") var file: String
        @Option(help: "The workbook's sheet to read (default: its one sheet with data).") var sheet: String?
        @Option(help: "Also enrol every row's trainee in this cohort (same transaction).") var enroll: String?
        @Flag(help: "Let rows correct the details of people already known (name, employer, craft, phone); kept in their corrections.") var update =
            false
        @OptionGroup var columns: ColumnOptions

        func run() throws {
            let r = try database.open().importRoster(try columns.reader(file, sheet: sheet), enrollIn: enroll, update: update)
            emit(
                say(
                    zh: "\(file)：新增 \(r.added)，更新 \(r.corrected)，\(r.unchanged) 人已登记" + (enroll.map { c in "，\(r.enrolled) 人新报名 \(c)" } ?? ""),
                    en: "\(file): \(r.added) added, \(r.corrected) updated, \(r.unchanged) already known"
                        + (enroll.map { c in ", \(r.enrolled) newly enrolled in \(c)" } ?? "")))
            emitIgnored(r)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List trainees (ID and phone numbers masked).",
            discussion: "Example: luban trainee list --format csv --excel > trainees.csv")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws { try output.print(Views.trainees(try database.open().trainees(), showID: output.showId)) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a trainee and what they did in each cohort.", discussion: "Example: luban trainee show T00042")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "Trainee code or ID number.") var trainee: String
        func run() throws {
            emit(try database.open().traineeDetails(trainee, format: output.format, showID: output.showId), terminator: "")
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget",
            abstract: "Erase a person's details on request (name, ID number, employer, craft, phone).",
            discussion: """
                What they did stays under their code, so every total stays the same, and their certificates stay \
                verifiable by number. It cannot be undone: on a terminal it asks first; elsewhere give --yes.
                Example: luban trainee forget T00042
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Trainee code or ID number.") var trainee: String
        @Flag(help: "Erase without asking.") var yes = false
        func run() throws {
            let db = try database.open()
            if !yes {
                let person = try db.trainee(trainee)
                guard isatty(STDIN_FILENO) != 0 else {
                    throw LubanError.refused(
                        zh: "删除 \(person.code) 的信息无法撤回；标准输入不是终端，确认请加 --yes",
                        en: "erasing \(person.code) cannot be undone; standard input is not a terminal, so give --yes to confirm")
                }
                emit(
                    say(
                        zh: "永久删除 \(person.code) \(Visible.text(person.name)) 的个人信息？输入 yes 确认：",
                        en: "Erase the details of \(person.code) \(Visible.text(person.name)) for good? Type yes to confirm: "), terminator: "")
                fflush(nil)
                guard readLine()?.trimmed.lowercased() == "yes" else { throw LubanError.refused(zh: "未删除任何内容", en: "nothing was erased") }
            }
            let t = try db.forget(trainee)
            emit(say(zh: "\(t.code)：个人信息已于 \(t.forgottenOn ?? "") 删除", en: "\(t.code): details erased on \(t.forgottenOn ?? "")"))
        }
    }
}
