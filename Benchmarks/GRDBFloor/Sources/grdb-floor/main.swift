import GRDB
import GRDBSQLite

// `grdb-floor DATABASE SQL`: opens DATABASE as luban opens its own (write-ahead log kept and
// emptied, full syncs, foreign keys on), runs SQL in one transaction, closes. Nothing else: no
// arguments parsed, no schema checked, no message printed.
let arguments = CommandLine.arguments
guard arguments.count == 3 else { fatalError("usage: grdb-floor DATABASE SQL") }
var configuration = Configuration()
configuration.foreignKeysEnabled = true
configuration.prepareDatabase { db in
    _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
    var persist: CInt = 1
    _ = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
    try db.execute(sql: "PRAGMA journal_size_limit = 0")
    try db.execute(sql: "PRAGMA synchronous = FULL")
}
let queue = try DatabaseQueue(path: arguments[1], configuration: configuration)
try queue.write { db in try db.execute(sql: arguments[2]) }
try queue.close()
