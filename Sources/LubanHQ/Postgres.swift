import CLibPQ
import Foundation
import LubanKit

// MARK: - A PostgreSQL connection, through libpq

/// One connection to HQ's PostgreSQL server. Statements take their values as parameters (text),
/// never spliced into the SQL; rows come back as text. Not shared between threads.
final class Postgres {
    fileprivate let connection: OpaquePointer

    /// Connects to `url` (`postgresql://user@host:port/database`, or any libpq connection string)
    /// and runs `setup` (settings for the session) in the same round trip as its own.
    init(url: String, setup: String = "") throws(LubanError) {
        // Named, so that pg_stat_activity tells luban's connections apart (unless the URL
        // names them itself).
        let made = Self.withCStrings(["dbname", "fallback_application_name", nil]) { keywords in
            Self.withCStrings([url, "luban-hq", nil]) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let c = made else { throw .refused(zh: "无法连接 PostgreSQL", en: "cannot connect to PostgreSQL") }
        guard PQstatus(c) == CONNECTION_OK else {
            // One line: libpq puts its hint ("Is the server running …?") on a line of its own,
            // and each address it tried on another.
            let reason = Self.message(c).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.reduce("") {
                $0.isEmpty ? $1 : $0 + ($0.last.map { ".?!:".contains($0) } == true ? " " : ". ") + $1
            }
            PQfinish(c)
            throw .refused(
                zh: "无法连接 PostgreSQL（\(Self.redacted(url))）：\(reason)；请检查 --pg 或 LUBAN_HQ",
                en: "cannot connect to PostgreSQL (\(Self.redacted(url))): \(reason); check --pg or LUBAN_HQ")
        }
        connection = c
        // Quiet: no NOTICE lines on standard error for a table that already exists.
        try script("SET client_min_messages TO warning; " + setup)
    }

    deinit { PQfinish(connection) }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"), scheme.upperBound < at else { return url }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    private static func message(_ c: OpaquePointer?) -> String {
        String(cString: PQerrorMessage(c)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs one statement with `parameters` ($1, $2 …; nil is NULL) and returns its rows.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(LubanError) -> [[String?]] {
        let result = Self.withCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql)
        var rows: [[String?]] = []
        let count = PQntuples(result)
        let fields = PQnfields(result)
        rows.reserveCapacity(Int(count))
        for r in 0..<count {
            var row: [String?] = []
            for f in 0..<fields {
                row.append(PQgetisnull(result, r, f) == 1 ? nil : String(cString: PQgetvalue(result, r, f)))
            }
            rows.append(row)
        }
        return rows
    }

    /// Runs a script of several statements (no parameters): the schema.
    func script(_ sql: String) throws(LubanError) {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    /// Starts `COPY … FROM STDIN`: its rows, which the caller appends (COPY's text format) and
    /// which are sent a chunk at a time while it goes on, never all in memory; to be ended
    /// (`end`) or abandoned (`abandon`) before the connection takes another statement.
    func beginCopy(_ sql: String) throws(LubanError) -> CopyRows {
        let start = PQexec(connection, sql)
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_IN else { throw failure(sql) }
        return CopyRows(self, sql)
    }

    /// The rows of a `COPY … FROM STDIN` being made.
    final class CopyRows {
        private let pg: Postgres
        private let sql: String
        /// Rows not sent yet, in COPY's text format.
        var buffer: [UInt8] = []

        fileprivate init(_ pg: Postgres, _ sql: String) {
            self.pg = pg
            self.sql = sql
            buffer.reserveCapacity(Self.chunk + 4096)
        }

        /// Rows are sent 64 KiB at a time: PostgreSQL stores them while the next are made (a run
        /// of 10,000 trainees is one MiB, and would wait until its last was made).
        static let chunk = 1 << 16

        /// Ends a row (a newline); sends the rows once they make a chunk.
        func endRow() throws(LubanError) {
            buffer.append(10)
            if buffer.count >= Self.chunk { try send() }
        }

        /// Sends the rest of the rows and ends the COPY: PostgreSQL's answer (an error names the
        /// row it refused).
        func end() throws(LubanError) {
            do {
                try send()
            } catch {
                abandon()
                throw error
            }
            guard PQputCopyEnd(pg.connection, nil) == 1 else { throw pg.failure(sql) }
            while let result = PQgetResult(pg.connection) {
                defer { PQclear(result) }
                try pg.check(result, sql)
            }
        }

        /// Ends the COPY as failed (nothing of it stays): the connection takes statements again,
        /// in a transaction to be rolled back (or back to a savepoint before the COPY).
        func abandon() {
            _ = PQputCopyEnd(pg.connection, "luban stopped the copy")
            while let result = PQgetResult(pg.connection) { PQclear(result) }
        }

        /// Sends the rows made so far.
        func send() throws(LubanError) {
            var offset = 0
            while offset < buffer.count {
                let n = min(Self.chunk, buffer.count - offset)
                let sent = buffer.withUnsafeBufferPointer { whole in
                    whole.baseAddress!.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: n) {
                        PQputCopyData(pg.connection, $0, Int32(n))
                    }
                }
                guard sent == 1 else { throw pg.failure(sql) }
                offset += n
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Runs `body` in one transaction: committed when it returns a value to `keep` (any, by
    /// default), rolled back when it returns another or throws.
    func transaction<T>(keep: (T) -> Bool = { _ in true }, _ body: () throws(LubanError) -> T) throws(LubanError) -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute(keep(value) ? "COMMIT" : "ROLLBACK")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    fileprivate func check(_ result: OpaquePointer?, _ sql: String) throws(LubanError) {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN: return
        default:
            let detail = result.map { String(cString: PQresultErrorMessage($0)) } ?? ""
            throw failure(sql, detail.isEmpty ? Self.message(connection) : detail.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    fileprivate func failure(_ sql: String, _ detail: String? = nil) -> LubanError {
        let reason = detail ?? Self.message(connection)
        let statement = sql.split(separator: "\n").first.map(String.init) ?? sql
        return .refused(zh: "PostgreSQL 拒绝了“\(statement)”：\(reason)", en: "PostgreSQL refused '\(statement)': \(reason)")
    }

    /// Calls `body` with the strings as C strings (NULL for nil), valid during the call.
    private static func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { for c in copies { free(c) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}

/// A field in COPY's text format (`\N` for NULL): escaped as a bundle's fields are.
func copyField(_ text: String?, into out: inout [UInt8]) {
    guard let text else {
        out += [92, UInt8(ascii: "N")]
        return
    }
    BundleRecord.escape(text, into: &out)
}
