import Foundation
import TestSupport
import Testing

/// One owner per table: `Scripts/table-writers.py` lists, for every table, the files that write
/// it. Every table of a real database (a centre's SQLite file, HQ's PostgreSQL schema) is listed, each with one file, none in the folders that
/// hold no feature rules; and a write planted in a second file is caught.
@Suite struct OwnershipTests {
    @Test func everyTableHasOneWriter() throws {
        let user = try User()
        try user.demo()
        let script = User.root.appendingPathComponent("Scripts/table-writers.py").path
        let listing = try python3([script])
        #expect(!listing.contains("error:"), "\(listing)")
        let lines = listing.split(whereSeparator: \.isNewline).map(String.init)
        let tables = lines.map { String($0.prefix { $0 != ":" }) }
        #expect(Set(tables).count == tables.count, "a table with more than one writer:\n\(listing)")
        let schema = try NeighbourTests.sqlite3(
            user.database, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'grdb_migrations' ORDER BY 1")
        #expect(tables.filter { !$0.hasPrefix("hq.") }.sorted() == schema.split(whereSeparator: \.isNewline).map(String.init), "\(listing)")
        // HQ's PostgreSQL database: its tables are listed as `hq.…`, each with its one writer.
        let hq = try User.hq()
        let hqSchema = try TestPostgres.psql(
            hq.environment["LUBAN_HQ"]!, "SELECT 'hq.' || table_name FROM information_schema.tables WHERE table_schema = 'luban' ORDER BY 1")
        #expect(tables.filter { $0.hasPrefix("hq.") }.sorted() == hqSchema.split(whereSeparator: \.isNewline).map(String.init), "\(listing)")

        // The same check on a copy of the sources with a second writer of `trainee` planted in
        // Database/: refused, naming both.
        let copy = URL(fileURLWithPath: Scratch.path("luban-owners"))
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: User.root.appendingPathComponent("Sources"), to: copy.appendingPathComponent("Sources"))
        let planted = copy.appendingPathComponent("Sources/LubanKit/Database/Planted.swift")
        try Data("let planted = \"UPDATE trainee SET name = ? WHERE id = ?\"\n".utf8).write(to: planted)
        let caught = try python3([script, "--root", copy.path])
        #expect(caught.contains("error: trainee is written from 2 files"), "\(caught)")
        #expect(caught.contains("Database/Planted.swift, a folder that holds no feature rules"), "\(caught)")
    }
}
