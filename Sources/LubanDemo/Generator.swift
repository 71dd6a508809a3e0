import Foundation
import LubanKit

// MARK: - Federation-scale data for the benchmark

/// Writes a federation-sized data set in luban's own import formats, the same for a seed:
/// `cohorts.csv`, `roster.csv`, `enrolments.csv`, `schedule.csv`, `attendance.csv` (roll-call
/// sheets, one row per trainee and session) and `signoffs.csv`.
///
/// Trainee codes and session ids in the files are the ones an empty database gives in import
/// order (T00001…, 1…), so import them, in that order, into an empty database.
public struct Generator: Sendable {
    public var cohorts = 4_000
    public var trainees = 200_000
    public var sessionsPerCohort = 25
    public var traineesPerCohort = 50
    public var seed: UInt64 = 1

    public init() {}

    /// What was written: file name and rows.
    public func write(to folder: String) throws(LubanError) -> [(String, Int)] {
        guard cohorts >= 1, sessionsPerCohort >= 3, traineesPerCohort >= 1, trainees >= traineesPerCohort else {
            throw .refused(
                zh: "数据集至少要有 1 个期次、每期 3 个课次，学员数不少于一期的人数",
                en: "a data set needs at least 1 cohort, 3 sessions a cohort, and at least as many trainees as a cohort holds")
        }
        try OutputFile.makeFolder(folder)
        var rng = SeededRandom(seed: seed)
        var written: [(String, Int)] = []
        let start = CalendarDate(year: 2013, month: 9, day: 9)!
        func cohortStart(_ c: Int) -> CalendarDate { start.adding(days: c * 3650 / max(cohorts, 1)) }
        func code(_ c: Int) -> String { "C\(c + 1)" }

        var out = try Output(folder, "cohorts.csv", header: "code,start,end,site,title")
        for c in 0..<cohorts {
            let s = cohortStart(c)
            try out.line("\(code(c)),\(s),\(s.adding(days: 27)),\(rng.pick(["承德", "北京", "保定", "天津"])),第\(c + 1)期")
        }
        written.append(try out.close())

        out = try Output(folder, "roster.csv", header: "name,id_number,employer,craft,phone")
        for t in 0..<trainees {
            let birth = CalendarDate(year: 1960, month: 1, day: 1)!.adding(days: t / 450)
            let d17 =
                rng.pick(["110101", "110105", "130802", "130602"])
                + String(format: "%04d%02d%02d%03d", birth.year, birth.month, birth.day, (t % 450) * 2 + 1)
            let id = d17 + String(ISO7064.mod11Check(d17.compactMap(\.wholeNumberValue)))
            try out.line(
                "\(PeopleGenerator.name(&rng)),\(id),\(rng.pick(PeopleGenerator.employers)),\(rng.pick(PeopleGenerator.crafts)),\(PeopleGenerator.phone(&rng))"
            )
        }
        written.append(try out.close())

        // Rosters: mostly new people in turn, a fifth returning from earlier cohorts.
        var rosters: [[Int]] = []
        rosters.reserveCapacity(cohorts)
        var next = 0
        out = try Output(folder, "enrolments.csv", header: "cohort,trainee")
        for c in 0..<cohorts {
            var members: [Int] = []
            var seen = Set<Int>()
            while members.count < traineesPerCohort {
                let t: Int
                if c > 10 && rng.chance(0.2) {
                    let earlier = rosters[rng.int(max(0, c - 40)...(c - 1))]
                    t = earlier[rng.int(0...(earlier.count - 1))]
                } else {
                    t = next % trainees
                    next += 1
                }
                if seen.insert(t).inserted { members.append(t) }
            }
            rosters.append(members)
            for t in members { try out.line("\(code(c)),\(Trainee.code(for: Int64(t + 1)))") }
        }
        written.append(try out.close())

        out = try Output(folder, "schedule.csv", header: "cohort,date,kind,hours,course,site,expert,title")
        let field = max(1, sessionsPerCohort / 5)
        let demo = max(1, sessionsPerCohort / 5)
        for c in 0..<cohorts {
            let s = cohortStart(c)
            for k in 0..<sessionsPerCohort {
                let (kind, course, hours) =
                    k < sessionsPerCohort - field - demo
                    ? ("classroom", k % 2 == 0 ? "GJ" : "JJ", "3")
                    : k < sessionsPerCohort - demo ? ("field", "SD", "4") : ("demonstration", "YS", "3")
                try out.line("\(code(c)),\(s.adding(days: k)),\(kind),\(hours),\(course),,专家\(c % 97),第\(k + 1)课")
            }
        }
        written.append(try out.close())

        out = try Output(folder, "attendance.csv", header: "session,trainee,status,note")
        var session = 0
        for c in 0..<cohorts {
            for _ in 0..<sessionsPerCohort {
                session += 1
                let prefix = String(session) + ","
                for t in rosters[c] {
                    let r = rng.next() % 100
                    let status = r < 90 ? "present" : r < 94 ? "late" : r < 97 ? "excused" : "absent"
                    try out.line(prefix + Trainee.code(for: Int64(t + 1)) + "," + status + ",")
                }
            }
        }
        written.append(try out.close())

        out = try Output(folder, "signoffs.csv", header: "cohort,trainee,technique,expert,result")
        let techniques = ["榫卯", "彩画", "木雕", "油饰", "砖雕", "裱糊"]
        for c in 0..<cohorts {
            for t in rosters[c] {
                let first = rng.int(0...5)
                for k in 0..<rng.int(2...3) {
                    try out.line(
                        "\(code(c)),\(Trainee.code(for: Int64(t + 1))),\(techniques[(first + k) % 6]),专家\(c % 97),\(rng.chance(0.88) ? "pass" : "fail")"
                    )
                }
            }
        }
        written.append(try out.close())
        return written
    }

    /// A buffered CSV file being written.
    struct Output {
        let file: OutputFile
        let name: String
        var buffer: [UInt8] = []
        var rows = 0

        init(_ folder: String, _ name: String, header: String) throws(LubanError) {
            let path = (folder as NSString).appendingPathComponent(name)
            file = try OutputFile(path: path)
            self.name = name
            buffer.reserveCapacity(1 << 20)
            buffer.append(contentsOf: header.utf8)
            buffer.append(0x0A)
        }

        mutating func line(_ text: String) throws(LubanError) {
            buffer.append(contentsOf: text.utf8)
            buffer.append(0x0A)
            rows += 1
            if buffer.count >= 1 << 20 { try flush() }
        }

        mutating func flush() throws(LubanError) {
            try file.write(String(decoding: buffer, as: UTF8.self))
            buffer.removeAll(keepingCapacity: true)
        }

        mutating func close() throws(LubanError) -> (String, Int) {
            try flush()
            try file.commit()
            return (name, rows)
        }
    }
}
