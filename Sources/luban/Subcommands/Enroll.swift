import ArgumentParser
import LubanKit

struct Enroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enrol trainees in a cohort (enrolling someone twice changes nothing).",
        discussion: """
            Examples: luban enroll 2014-1 T00001 T00002
                      luban enroll 2014-1 --csv list.csv        (column trainee)
                      luban enroll --csv enrolments.csv         (columns cohort,trainee)
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The cohort code (optional with --csv when the file has a cohort column).") var cohort: String?
    @Argument(help: "Trainee codes or ID numbers.") var trainees: [String] = []
    @Option(help: "A CSV or .xlsx with a trainee column (or a roster's id_number column), and a cohort column when no COHORT is given.") var csv:
        String?
    @Option(help: "The workbook's sheet to read (default: its one sheet with data).") var sheet: String?
    @OptionGroup var columns: ColumnOptions

    func validate() throws {
        if csv != nil && !trainees.isEmpty { throw usage(zh: "学员与 --csv 文件 只能二选一", en: "give either trainees or --csv FILE, not both") }
        if csv == nil && (cohort == nil || trainees.isEmpty) { throw usage(zh: "请给出 期次 学员…，或 --csv 文件", en: "give COHORT TRAINEE..., or --csv FILE") }
    }

    func run() throws {
        let db = try database.open()
        let added =
            try csv.map { try db.enroll(cohort: cohort, csv: columns.reader($0, sheet: sheet)).enrolled }
            ?? db.enroll(cohort: cohort ?? "", trainees: trainees)
        emit(say(zh: "新报名 \(added) 人" + (cohort.map { "（\($0)）" } ?? ""), en: "\(added) newly enrolled" + (cohort.map { " in \($0)" } ?? "")))
    }
}
