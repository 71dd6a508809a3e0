import Foundation
import GRDB
import TestSupport
import Testing

@testable import LubanKit

/// A valid ID number from 17 digits.
func validID(_ d17: String) -> String {
    d17 + String(ISO7064.mod11Check(d17.compactMap(\.wholeNumberValue)))
}

/// A path to a fixture file.
func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
}

/// CSV held in memory, as a reader.
func csv(_ text: String, name: String = "test.csv") throws -> CSVReader {
    try CSVReader(bytes: Array(text.utf8), name: name)
}

/// A test issuer key (fixed, so signatures are stable).
let testKey = try! IssuerKey(seed: Array(repeating: 7, count: 32))

/// A fresh in-memory database with the Luban curriculum and one cohort `2014-1`
/// (2014-04-08 to 2014-04-20) and trainees T00001…T0000n enrolled.
func scenario(trainees n: Int = 3, cohort: String = "2014-1", start: String = "2014-04-08", end: String = "2014-04-20") throws -> LubanDatabase {
    let db = try LubanDatabase(inMemory: "tester")
    let curriculum = try CurriculumLoader.parse(BuiltIn.lubanCurriculum, file: "luban.yaml")
    try db.loadCurriculum(curriculum, source: BuiltIn.lubanCurriculum)
    try db.addCohort(code: cohort, start: CalendarDate(start)!, end: CalendarDate(end)!, site: "承德", title: "第二期")
    for name in ["王", "王师傅", "李", "李师傅"] { try db.addExpert(ExpertDetails(name: name)) }
    var codes: [String] = []
    for i in 0..<n {
        let t = try db.addTrainee(
            TraineeDetails(name: "学员\(i + 1)", idNumber: try IDNumber(validID(String(format: "110101198001%02d%03d", i + 1, 1 + 2 * i)))))
        codes.append(t.code)
    }
    try db.enroll(cohort: cohort, trainees: codes)
    return db
}

/// A snapshot of every table's rows, to prove that a refused input wrote nothing.
func snapshot(_ db: LubanDatabase) throws -> [String] {
    try db.read { d in
        let tables = try String.fetchAll(d, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return try tables.map { t in "\(t): " + (try Row.fetchAll(d, sql: "SELECT * FROM \(t)").map(\.description).joined(separator: "|")) }
    }
}

/// Expects `body` to be refused by SQLite itself (a trigger, a CHECK, a foreign key) with a
/// message containing `text`: the database's own rules, tested without going through luban.
func expectSQLiteRefusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    #expect(sourceLocation: sourceLocation) { try body() } throws: { error in
        guard let e = error as? DatabaseError else { return false }
        return e.message?.contains(text) == true
    }
}

/// A cohort `2014-1` whose first trainee attended one 8-hour classroom session, passed two
/// techniques and holds the completion certificate; returns the database, that session's id
/// and the certificate.
func certifiedScenario(trainees n: Int = 1) throws -> (db: LubanDatabase, session: Int64, certificate: Certificate) {
    let db = try scenario(trainees: n)
    let s = try db.addSession(cohort: "2014-1", SessionDraft(date: CalendarDate("2014-04-08")!, kind: .classroom, hours: 8, course: "GJ"))
    _ = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .present)
    for t in ["榫卯", "彩画"] { try db.signOff(cohort: "2014-1", trainee: "T00001", technique: t, expert: "王", result: .pass) }
    let r = try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey)
    return (db, s.id!, try #require(r.issued.first))
}

/// `luban export` of `db` loaded into plain tables of an in-memory database (cells as text, NULL
/// as an empty cell), so that a test recomputes figures from the exported records alone.
func exportedTables(_ db: LubanDatabase, _ tables: [String]) throws -> DatabaseQueue {
    let folder = Scratch.path("luban-export")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    _ = try Export.write(db, to: folder, showID: false, excel: false)
    let check = try DatabaseQueue()
    try check.write { d in
        for table in tables {
            let reader = try CSVReader(path: "\(folder)/\(table).csv")
            _ = try reader.next()
            let header = try (0..<reader.count).map { try reader.field($0) }
            try d.execute(sql: "CREATE TABLE \(table) (\(header.joined(separator: ", ")))")
            while try reader.next() {
                let values = try (0..<reader.count).map { try reader.field($0) }
                try d.execute(
                    sql: "INSERT INTO \(table) VALUES (\(values.map { _ in "?" }.joined(separator: ",")))", arguments: StatementArguments(values))
            }
        }
    }
    return check
}

/// Whether an error is a refusal that reads `english` in English.
func refusal(_ english: String) -> (any Error) -> Bool {
    { error in (error as? LubanError)?.phrase.en == english }
}

/// Whether an error refuses `file` for exactly these lines, each with its English message.
func fileRefusal(_ file: String, _ lines: [(Int, String)]) -> (any Error) -> Bool {
    { error in
        guard case LubanError.fileRefused(let f, let findings, let total) = error else { return false }
        return f == file && total == lines.count && findings.map(\.line) == lines.map(\.0) && findings.map(\.message.en) == lines.map(\.1)
    }
}
