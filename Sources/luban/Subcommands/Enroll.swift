import ArgumentParser
import LubanKit

struct Enroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enrol trainees in a cohort (enrolling someone twice changes nothing).",
        discussion: "Examples: luban enroll 2014-1 T00001 T00002   luban enroll 2014-1 --csv list.csv (column trainee)")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The cohort code.") var cohort: String
    @Argument(help: "Trainee codes or ID numbers.") var trainees: [String] = []
    @Option(help: "A CSV with a trainee column (or a roster's id_number column).") var csv: String?

    func validate() throws {
        if trainees.isEmpty == (csv == nil) { throw ValidationError("give either trainees or --csv FILE") }
    }

    func run() throws {
        let db = try database.open()
        let added = try csv.map { try db.enroll(cohort: cohort, csv: CSVReader(path: $0)) } ?? db.enroll(cohort: cohort, trainees: trainees)
        print("\(added) newly enrolled in \(cohort)")
    }
}
