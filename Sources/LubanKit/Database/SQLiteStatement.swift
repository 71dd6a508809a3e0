import Foundation
import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - A statement on SQLite's C API

/// A prepared statement bound and stepped directly: the one place luban uses SQLite's C API,
/// for the few statements run once per row of a large import (5,000,000 marks). GRDB's
/// `Statement` owns it; this skips GRDB's argument arrays and rows, which cost more than the
/// insert itself at that rate. Every feature that needs it uses this type; apart from the
/// connection's set-up (`LubanDatabase.configuration`), nothing else calls `sqlite3_*`.
final class SQLiteStatement {
    private let owner: Statement
    private let handle: OpaquePointer
    private let db: Database

    init(_ db: Database, _ sql: String) throws {
        owner = try db.makeStatement(sql: sql)
        handle = owner.sqliteStatement
        self.db = db
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    /// Binds text that outlives the statement's next step (SQLite keeps the pointer).
    func bind(_ index: Int32, staticText: UnsafePointer<CChar>) { sqlite3_bind_text(handle, index, staticText, -1, nil) }
    /// Binds text that SQLite copies.
    func bind(_ index: Int32, _ text: String) {
        if text.isEmpty { return bind(index, staticText: Self.empty) }
        text.withCString { _ = sqlite3_bind_text(handle, index, $0, -1, sqliteTransient) }
    }

    /// Binds bytes that SQLite copies.
    func bind(_ index: Int32, _ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { _ = sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
    }

    /// Binds bytes that SQLite reads where they are (not copied): valid until the statement's
    /// next step ends, as `run(blob:)` keeps them.
    private func bind(_ index: Int32, staticBlob bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), nil)
    }

    /// Runs a statement that returns no rows, its parameter at `index` bound to `blob` as it
    /// lies (a bundle of several MiB is not copied to be stored) and the others as they are.
    func run(blob: [UInt8], at index: Int32) throws {
        try blob.withUnsafeBytes { bytes in
            bind(index, staticBlob: bytes)
            defer { sqlite3_clear_bindings(handle) }
            _ = try changes([])
        }
    }

    /// Binds text, or NULL for nil.
    func bind(_ index: Int32, orNull text: String?) {
        guard let text else {
            sqlite3_bind_null(handle, index)
            return
        }
        bind(index, text)
    }

    /// Binds the first parameters, in order, to `keys`.
    private func bind(leading keys: [Int64]) {
        for (i, key) in keys.enumerated() { bind(Int32(i + 1), key) }
    }

    nonisolated(unsafe) private static let empty: UnsafePointer<CChar> = UnsafePointer(strdup("")!)

    /// Runs a statement that returns no rows, its leading parameters bound to `keys`.
    func run(_ keys: Int64...) throws {
        _ = try changes(keys)
    }

    /// Runs a statement that returns no rows, its leading parameters bound to `keys`; returns
    /// how many rows it changed.
    func changes(_ keys: Int64...) throws -> Int { try changes(keys) }

    func changes(_ keys: [Int64]) throws -> Int {
        bind(leading: keys)
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE else { throw failure(rc) }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// The first column of the first row, the parameter at `index` (the last one, the others
    /// already bound) bound to `text`; nil when there is no row.
    func firstInt64(_ text: String, at index: Int32 = 1) throws -> Int64? {
        bind(index, text)
        defer { sqlite3_reset(handle) }
        return try step() ? int64(0) : nil
    }

    /// Calls `body` for each row, the statement's one parameter bound to `key`.
    func forEachRow(_ key: Int64, _ body: (SQLiteStatement) throws -> Void) throws {
        bind(1, key)
        try forEachRow(body)
    }

    /// Calls `body` for each row, with the parameters as they are bound.
    func forEachRow(_ body: (SQLiteStatement) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while try step() { try body(self) }
    }

    /// Calls `body` for each row, the statement's two parameters bound to `a` and `b`.
    func forEachRow(_ a: Int64, _ b: Int64, _ body: (SQLiteStatement) throws -> Void) throws {
        bind(2, b)
        try forEachRow(a, body)
    }

    /// Whether the query gives any row, its leading parameters bound to `keys`.
    func exists(_ keys: Int64...) throws -> Bool {
        bind(leading: keys)
        defer { sqlite3_reset(handle) }
        return try step()
    }

    /// Moves to the next row: false when there are no more.
    private func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw failure(rc)
        }
    }

    // Columns of the current row.
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    /// The column's UTF-8 bytes, valid until the next step (no String made).
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let p = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column)))
    }
    func text(_ column: Int32) -> String { String(decoding: bytes(column), as: UTF8.self) }
    /// The column's bytes as a blob, valid until the next step.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: Int(sqlite3_column_bytes(handle, column)))
    }

    private func failure(_ rc: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
}

/// SQLite's "copy the bytes now" destructor.
let sqliteTransient = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)
