import ArgumentParser
import LubanDemo
import LubanKit

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a federation-sized data set in luban's import formats (for the benchmark).",
        discussion: """
            The same files for the same seed: cohorts.csv, roster.csv, enrolments.csv, schedule.csv, \
            attendance.csv (roll-call sheets) and signoffs.csv. Codes and ids in them are what an empty \
            database assigns in import order; Benchmarks/run.py imports them so.
            Example: luban generate bench-data --cohorts 400 --trainees 20000
            """)
    @Argument(help: "The folder to write into.") var folder: String
    @Option(help: "Cohorts.") var cohorts = 4_000
    @Option(help: "Trainees.") var trainees = 200_000
    @Option(help: "Sessions a cohort.") var sessionsPerCohort = 25
    @Option(help: "Trainees a cohort.") var traineesPerCohort = 50
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1

    func run() throws {
        var g = Generator()
        (g.cohorts, g.trainees, g.sessionsPerCohort, g.traineesPerCohort, g.seed) = (cohorts, trainees, sessionsPerCohort, traineesPerCohort, seed)
        for (file, rows) in try g.write(to: folder) { emit(say(zh: "\(folder)/\(file)：\(rows) 行", en: "\(folder)/\(file): \(rows) rows")) }
    }
}
