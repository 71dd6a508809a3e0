import ArgumentParser
import LubanKit

struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort", abstract: "Add and look at cohorts (期).",
        discussion: "Example: luban cohort add 2014-1 --start 2014-04-08 --end 2014-04-20 --site 承德",
        subcommands: [Add.self, Import.self, List.self, Show.self, SetCurriculum.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a cohort.",
            discussion: "Example: luban cohort add 2014-1 --start 2014-04-08 --end 2014-04-20 --site 承德 --title 第二期")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A short code, e.g. 2014-1.") var code: String
        @Option(help: "First day, YYYY-MM-DD.") var start: CalendarDate
        @Option(help: "Last day, YYYY-MM-DD.") var end: CalendarDate
        @Option(help: "Where it is held, e.g. 承德.") var site: String
        @Option(help: "A title, e.g. 第二期.") var title: String?
        @Option(help: "The curriculum id (may be left out when one is loaded).") var curriculum: String?

        func run() throws {
            let cohort = try database.open().addCohort(code: code, start: start, end: end, site: site, title: title, curriculumID: curriculum)
            emit(cohort.code)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import cohorts from a CSV (code,start,end,site[,title,curriculum]); all rows or none.",
            discussion: "Example: luban cohort import cohorts.csv")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file, or an Excel/WPS workbook (.xlsx).") var file: String
        @Option(help: "The workbook's sheet to read (default: its one sheet with data).") var sheet: String?
        @OptionGroup var columns: ColumnOptions
        func run() throws {
            let r = try database.open().importCohorts(try columns.reader(file, sheet: sheet))
            emit(
                say(zh: "\(file)：新增 \(r.recorded) 个期次，\(r.unchanged) 个已存在", en: "\(file): \(r.recorded) cohorts added, \(r.unchanged) already there"))
            emitIgnored(r)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List cohorts, oldest first.", discussion: "Example: luban cohort list --format csv")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            let db = try database.open()
            try output.print(Views.cohorts(try db.cohorts(), counts: try db.cohortCounts()))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a cohort: details, and its roster with each trainee's progress.",
            discussion: "Example: luban cohort show 2014-1")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The cohort code.") var code: String
        func run() throws {
            emit(try database.open().cohortDetails(code, format: output.format, showID: output.showId), terminator: "")
        }
    }

    struct SetCurriculum: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-curriculum",
            abstract: "Move a cohort to another revision of its curriculum, on purpose (a cohort keeps the revision it started under).",
            discussion: "Example: luban cohort set-curriculum 2016-1 --revision 2")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The cohort code.") var cohort: String
        @Option(help: "The revision (see: luban curriculum list).") var revision: Int

        func run() throws {
            let c = try database.open().setCurriculumRevision(cohort: cohort, revision: revision)
            emit(
                say(
                    zh: "\(c.code) 采用 \(c.curriculumId) 第 \(c.curriculumRevision ?? 0) 版",
                    en: "\(c.code) follows \(c.curriculumId) revision \(c.curriculumRevision ?? 0)"))
        }
    }
}
