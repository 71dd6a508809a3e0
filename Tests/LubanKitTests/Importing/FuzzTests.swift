import Foundation
import LubanDemo
import TestSupport
import Testing

@testable import LubanKit

/// Thousands of mutated rosters, schedules and roll-call sheets: each is imported whole or
/// refused with a LubanError that names a line, and a refused file leaves every table as it was.
@Suite struct FuzzTests {
    enum Kind: CaseIterable { case roster, schedule, sheet, signoffs }

    func baseline() throws -> LubanDatabase {
        let db = try scenario(trainees: 4)
        for d in 8...10 {
            try db.addSession(
                cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-\(String(format: "%02d", d))")!, kind: .classroom, hours: 2, course: "GJ"))
        }
        return db
    }

    let seeds: [Kind: String] = [
        .roster:
            "name,id_number,employer,craft,phone\n王建国,\(validID("11010119800101001")),\"北京古建, 一队\",木工,13812345678\n李秀英,\(validID("13080219900909003")),承德,彩画工,\n",
        .schedule: "date,kind,hours,course,site,expert,title\n2014-04-08,classroom,8,GJ,承德,张宝山,第一天\n2014-04-12,field,4,SD,普宁寺,张宝山,\"实地, 普宁寺\"\n",
        .sheet: "session,trainee,name,status,note\n1,T00001,学员1,出勤,\n1,T00002,学员2, late ,\"堵车\n很久\"\n2,T00003,学员3,缺勤,\n",
        .signoffs: "trainee,technique,expert,result,note\nT00001,榫卯,王师傅,pass,\nT00002,彩画,王师傅,fail,需练习\n",
    ]

    func mutate(_ bytes: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var b = bytes
        for _ in 0..<rng.int(1...3) {
            guard !b.isEmpty else {
                b = [UInt8(truncatingIfNeeded: rng.next())]
                continue
            }
            let i = rng.int(0...(b.count - 1))
            switch rng.int(0...8) {
            case 0: b.remove(at: i)
            case 1: b.insert(rng.pick([0x2C, 0x22, 0x0A, 0x0D, 0x00, 0xFF, 0x80, 0x20]), at: i)
            case 2: b[i] = UInt8(truncatingIfNeeded: rng.next())
            case 3: b.removeSubrange(i...)
            case 4: b.insert(contentsOf: Array(repeating: UInt8(ascii: "9"), count: rng.int(1...40)), at: i)
            case 5: b.insert(contentsOf: Array("2014-02-30".utf8), at: i)
            case 6: b.insert(contentsOf: Array("-1e9,".utf8), at: i)
            case 7:
                let j = rng.int(0...(b.count - 1))
                b.swapAt(i, j)
            default:
                if let nl = b[i...].firstIndex(of: 0x0A) { b.insert(contentsOf: b[..<nl], at: nl) }
            }
        }
        return b
    }

    func run(_ kind: Kind, _ bytes: [UInt8], _ db: LubanDatabase) throws {
        let reader = try CSVReader(bytes: bytes, name: "fuzz.csv")
        switch kind {
        case .roster: _ = try db.importRoster(reader, enrollIn: "2014-1")
        case .schedule: _ = try db.importSchedule(cohort: "2014-1", reader)
        case .sheet: _ = try db.importAttendance(reader)
        case .signoffs: _ = try db.importSignOffs(cohort: "2014-1", reader)
        }
    }

    @Test func mutatedFilesAreImportedWholeOrRefusedWithoutATrace() throws {
        var rng = SeededRandom(seed: 20_131_009)
        let template = try baseline()
        var db = try LubanDatabase(copyOf: template)
        var before = try snapshot(db)
        var refused = 0
        var imported = 0
        for _ in 0..<3000 {
            let kind = rng.pick(Kind.allCases)
            let bytes = mutate(Array(seeds[kind]!.utf8), &rng)
            do {
                try run(kind, bytes, db)
                imported += 1
                db = try LubanDatabase(copyOf: template)
                before = try snapshot(db)
            } catch let error as LubanError {
                refused += 1
                let message = error.errorDescription ?? ""
                #expect(!message.isEmpty)
                if case .fileRefused(let file, let findings, _) = error {
                    #expect(file == "fuzz.csv" && findings.allSatisfy { $0.line >= 1 })
                }
                let after = try snapshot(db)
                #expect(after == before, "a refused \(kind) file changed the database: \(message)")
                if after != before { return }
            }
        }
        #expect(refused > 1000 && imported > 100, "the mutations should give both outcomes (refused \(refused), imported \(imported))")
    }

    /// The same, on a database file and from files on disk: the path production takes (a
    /// sheet is then read and checked on a second thread, `SheetPipeline`).
    @Test func mutatedFilesOnDiskAreImportedWholeOrRefusedWithoutATrace() throws {
        var rng = SeededRandom(seed: 20_161_023)
        let folder = Scratch.path("luban-fuzz")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = try LubanDatabase(path: folder + "/office.sqlite", create: true, user: "tester")
        try LubanDatabase(copyOf: try baseline()).writer.backup(to: db.writer)
        var before = try snapshot(db)
        var refused = 0
        var imported = 0
        for i in 0..<400 {
            let kind = rng.pick(Kind.allCases)
            let path = folder + "/fuzz-\(i).csv"
            try Data(mutate(Array(seeds[kind]!.utf8), &rng)).write(to: URL(fileURLWithPath: path))
            do {
                let reader = try CSVReader(path: path, name: "fuzz.csv")
                // A mutated header would refuse most files for its unknown column alone.
                reader.ignoresUnknownColumns = true
                switch kind {
                case .roster: _ = try db.importRoster(reader, enrollIn: "2014-1")
                case .schedule: _ = try db.importSchedule(cohort: "2014-1", reader)
                case .sheet: _ = try db.importAttendance(reader)
                case .signoffs: _ = try db.importSignOffs(cohort: "2014-1", reader)
                }
                imported += 1
                before = try snapshot(db)
            } catch let error as LubanError {
                refused += 1
                if case .fileRefused(let file, let findings, _) = error {
                    #expect(file == "fuzz.csv" && findings.allSatisfy { $0.line >= 1 })
                }
                let after = try snapshot(db)
                #expect(after == before, "a refused \(kind) file changed the database: \(error.message)")
                if after != before { return }
            }
        }
        #expect(refused > 100 && imported > 20, "the mutations should give both outcomes (refused \(refused), imported \(imported))")
        #expect(try db.check(publicKey: testKey.publicKey).problems == [])
    }

    @Test func rollUpsStayEqualToAFullRecomputation() throws {
        var rng = SeededRandom(seed: 7)
        let db = try scenario(trainees: 6)
        try db.addCohort(code: "2014-2", start: CalendarDate("2014-12-20")!, end: CalendarDate("2015-01-10")!, site: "承德")
        try db.enroll(cohort: "2014-2", trainees: ["T00001", "T00002", "T00003", "T00004"])
        var sessions: [String] = []
        for d in 0..<4 {
            sessions.append(
                String(
                    try db.addSession(
                        cohort: "2014-1",
                        SessionDraft(date: CalendarDate("2014-04-08")!.adding(days: d), kind: rng.pick(SessionKind.allCases), hours: 1.5)
                    ).id!))
            sessions.append(
                String(
                    try db.addSession(
                        cohort: "2014-2", SessionDraft(date: CalendarDate("2014-12-30")!.adding(days: d), kind: .classroom, hours: 2.25)
                    ).id!))
        }
        for step in 0..<300 {
            let session = try db.session(rng.pick(sessions))
            let roster = try db.roster(try db.cohort(of: session))
            _ = try db.attend(session: String(session.id!), trainees: [rng.pick(roster).code], status: rng.pick(AttendanceStatus.allCases))
            if step % 25 == 0 {
                #expect(try YearlyTotals.rows(db) == YearlyTotals.recompute(db), "after \(step) marks")
            }
        }
        #expect(try YearlyTotals.rows(db) == YearlyTotals.recompute(db))
        #expect(try YearlyTotals.rows(db, year: 2015) == YearlyTotals.recompute(db, year: 2015))
    }

    /// Whole sheets at once: several marks of one trainee in one batch move a count by more
    /// than one, or leave it where it was while the hours change (sessions of different length).
    @Test func rollUpsStayEqualAfterWholeSheets() throws {
        var rng = SeededRandom(seed: 11)
        let db = try scenario(trainees: 5)
        try db.addCohort(code: "2014-2", start: CalendarDate("2014-12-20")!, end: CalendarDate("2015-01-10")!, site: "承德")
        try db.enroll(cohort: "2014-2", trainees: ["T00001", "T00002", "T00003"])
        var sessions: [(id: Int64, trainees: [String])] = []
        for d in 0..<3 {
            for hours in [1.5, 4] {
                let a = try db.addSession(
                    cohort: "2014-1",
                    SessionDraft(date: CalendarDate("2014-04-08")!.adding(days: d), kind: .classroom, hours: hours, title: "\(hours)"))
                sessions.append((a.id!, (1...5).map { Trainee.code(for: Int64($0)) }))
                let b = try db.addSession(
                    cohort: "2014-2",
                    SessionDraft(date: CalendarDate("2014-12-30")!.adding(days: d * 2), kind: .field, hours: hours + 0.25, title: "\(hours)"))
                sessions.append((b.id!, (1...3).map { Trainee.code(for: Int64($0)) }))
            }
        }
        for sheet in 0..<120 {
            var lines = ["session,trainee,status"]
            var pairs = Set<String>()
            for _ in 0..<rng.int(1...14) {
                let session = rng.pick(sessions)
                let pair = "\(session.id),\(rng.pick(session.trainees))"
                // One mark per trainee and session in a file; several sessions of one trainee.
                guard pairs.insert(pair).inserted else { continue }
                lines.append("\(pair),\(rng.pick(AttendanceStatus.allCases).rawValue)")
            }
            _ = try db.importAttendance(try csv(lines.joined(separator: "\n") + "\n", name: "sheet-\(sheet).csv"))
            #expect(try YearlyTotals.rows(db) == YearlyTotals.recompute(db), "after sheet \(sheet)")
        }
        #expect(try db.check().problems == [])
    }
}
