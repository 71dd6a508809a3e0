import Foundation
import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - The database

/// The program's records in one SQLite file: opened, brought up to date and written through here.
///
/// Every business action is one `write {}` transaction, so an import of 500 rows commits all or
/// none. Files use WAL and a busy timeout, so that several `luban` processes at once wait for
/// each other rather than fail.
public struct LubanDatabase: Sendable {
    /// The connection: one per process is all a command needs (WAL lets other processes read).
    /// Not public: every change goes through `write` (one audited transaction) and every dry
    /// run through `rehearse`.
    let writer: any DatabaseWriter
    /// The file, or nil in memory.
    public let path: String?
    /// Who is recorded as making changes (the OS user).
    public var user: String

    /// Whether this process may change the file: false when the file or its folder is read-only
    /// (the database can then still be read: reports, verification).
    public let isWritable: Bool

    /// Opens the database at `path` and brings it up to date. Only `create` (init, demo,
    /// restore) makes a new one: anywhere else a path with no database is refused and no file is
    /// created, so a mistyped `--db` never looks like an empty office.
    public init(path: String, create: Bool = false, user: String = LubanDatabase.osUser) throws(LubanError) {
        self.path = path
        self.user = user
        var info = stat()
        let exists = stat(path, &info) == 0
        if !exists || info.st_size == 0 {
            guard create else { throw .noDatabase(path: path) }
            if !exists {
                let folder = parentFolder(path)
                if !folder.isEmpty, access(folder, F_OK) != 0 {
                    guard Self.mkdirs(folder) else {
                        throw .database(path: path, reason: .cannotCreateFolder(errno))
                    }
                }
                // Owner-only from the first byte: the file holds people's ID numbers.
                let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw .database(path: path, reason: Phrase(verbatim: String(cString: strerror(errno)))) }
                close(fd)
            }
        }
        // Whether the file is SQLite's is asked of SQLite (SQLITE_NOTADB below), never by
        // opening it here: closing any descriptor of a file drops every POSIX lock this process
        // holds on it, SQLite's included, and a server beside the command line would then look
        // to the next process like no connection at all (SQLite's "How To Corrupt", 2.2).
        let folder = parentFolder(path)
        isWritable = access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
        do {
            writer = try DatabaseQueue(path: path, configuration: Self.configuration(file: true, readOnly: !isWritable))
        } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_NOTADB {
            throw .notALubanDatabase(path: path)
        } catch {
            throw .database(path: path, reason: Phrase(verbatim: Self.describe(error)))
        }
        try migrate()
    }

    /// `mkdir -p` with owner-only folders.
    static func mkdirs(_ folder: String) -> Bool {
        if access(folder, F_OK) == 0 { return true }
        let parent = parentFolder(folder)
        if !parent.isEmpty && parent != folder && !mkdirs(parent) { return false }
        return mkdir(folder, 0o700) == 0 || errno == EEXIST
    }

    /// A fresh database in memory (tests, dry runs).
    public init(inMemory user: String = "test") throws(LubanError) {
        path = nil
        self.user = user
        isWritable = true
        do {
            writer = try DatabaseQueue(configuration: Self.configuration(file: false))
        } catch {
            throw .database(path: ":memory:", reason: Phrase(verbatim: Self.describe(error)))
        }
        try migrate()
    }

    /// A copy in memory of `other` (tests start many cases from one prepared state).
    public init(copyOf other: LubanDatabase) throws(LubanError) {
        try self.init(inMemory: other.user)
        do { try other.writer.backup(to: writer) } catch { throw .database(path: ":memory:", reason: Phrase(verbatim: Self.describe(error))) }
    }

    static func configuration(file: Bool, readOnly: Bool = false) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.readonly = readOnly
        config.prepareDatabase { db in
            if file && !readOnly {
                // WAL, so a long import never blocks readers. Set here rather than by a GRDB pool,
                // which also makes sure a -wal file exists by writing a throw-away transaction
                // whenever there is none (after every clean close): a commit per command.
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode == "wal" else { throw DatabaseError(message: "cannot use write-ahead logging (journal mode \(mode ?? "?"))") }
                // Keep the -wal file after the last connection closes, emptied: its content is
                // checkpointed into the database, then the file is cut to zero bytes. Deleting and
                // re-creating it cost every command a sync of the folder; leaving it full (the
                // default size limit) made every later command re-read and re-copy all of it,
                // 0.7 s after a 5,000,000-mark import.
                var persist: CInt = 1
                let rc = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
                guard rc == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: rc)) }
                try db.execute(sql: "PRAGMA journal_size_limit = 0")
            }
            // FULL: a transaction is on disk when its command reports it, even while another
            // process (a server) keeps the database open and no close-time checkpoint comes.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted content (an erased person's details) is overwritten, not left in free space.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // 8 MiB of page cache: a long import keeps the hot pages of its indexes in memory and
            // stays within its 64 MiB budget.
            try db.execute(sql: "PRAGMA cache_size = -8192")
        }
        return config
    }

    private func migrate() throws(LubanError) {
        let migrator = Self.migrator
        let name = path ?? ":memory:"
        do {
            // On the writer's own connection: most commands write, and a reader connection
            // opened only for these checks would cost every command its set-up time.
            let pending = try writer.writeWithoutTransaction { db -> Bool in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if !tables.isEmpty && !tables.contains("grdb_migrations") {
                    throw LubanError.notALubanDatabase(path: name)
                }
                if try migrator.hasBeenSuperseded(db) { throw LubanError.databaseTooNew(path: name) }
                return try !migrator.hasCompletedMigrations(db)
            }
            if pending {
                guard isWritable else {
                    throw LubanError.database(
                        path: name,
                        reason: Phrase(
                            zh: "须由本版本的 luban 升级，但其所在文件夹只读；请在可写的地方运行一次 luban",
                            en:
                                "it must be brought up to date by this version of luban, but its folder is read-only; run luban once where it can be written"
                        ))
                }
                try migrator.migrate(writer)
            }
        } catch let error as LubanError {
            throw error
        } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_NOTADB {
            throw .notALubanDatabase(path: name)
        } catch {
            throw Self.failure(error, path: name)
        }
    }

    /// The account running the process, recorded with every change (not `$USER`, which anyone
    /// can set to anything).
    public static var osUser: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(geteuid())"
    }

    /// A readable cause for an SQLite error (no stack, no Swift type names).
    static func describe(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        if let e = error as? LubanError { return e.errorDescription ?? "\(e)" }
        return error.localizedDescription
    }

    // MARK: - Transactions

    /// One business action: one write transaction; any error leaves the database untouched.
    public func write<T>(_ action: String, detail: String, logged always: Bool = false, _ body: (Database) throws -> T) throws(LubanError) -> T {
        try write(action, detailOf: { _ in detail }, logged: always, body)
    }

    /// One business action whose log entry is worded from its result (a trainee's new code,
    /// never the ID number that found them). Only an action that changed something is logged:
    /// a file imported again, a second `init`, the same verdict again leave no entry (`logged`:
    /// logged even so, for an action whose date matters in itself, as a restore).
    public func write<T>(
        _ action: String, detailOf detail: (T) -> String, logged always: Bool = false, _ body: (Database) throws -> T
    ) throws(LubanError) -> T {
        // A database that cannot be written says so before any rule is asked.
        guard isWritable else { throw writeFailure(DatabaseError(resultCode: .SQLITE_READONLY)) }
        do {
            return try writer.write { db in
                try refuseIfReplaced(db)
                let before = db.totalChangesCount
                let result = try body(db)
                if always || db.totalChangesCount != before {
                    try ChangeLog.record(db, user: user, action: action, detail: detail(result))
                }
                return result
            }
        } catch let error as LubanError {
            throw error
        } catch {
            throw writeFailure(error)
        }
    }

    /// What a failed write says: a read-only folder by name, anything else as SQLite says it.
    func writeFailure(_ error: any Error) -> LubanError {
        let name = path ?? ":memory:"
        if !isWritable || (error as? DatabaseError)?.resultCode == .SQLITE_READONLY {
            let folder = parentFolder(name)
            return .database(
                path: name,
                reason: Phrase(
                    zh: "数据库或其文件夹 \(folder.isEmpty ? "." : folder) 只读：可以读取（报表、验证）但不能修改；请申请写权限，或把它复制到别处",
                    en:
                        "the database or its folder \(folder.isEmpty ? "." : folder) is read-only: it can be read (reports, verify) but not changed; ask for write access or copy it elsewhere"
                ))
        }
        return Self.failure(error, path: name)
    }

    /// What a failed statement says, by what failed: another program holding the database, a
    /// full disk, a damaged file, or luban's own SQL (which is not the file's fault).
    static func failure(_ error: any Error, path: String) -> LubanError {
        guard let e = error as? DatabaseError else { return .database(path: path, reason: Phrase(verbatim: describe(error))) }
        let sqlite = e.message ?? "\(e.resultCode)"
        switch e.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .database(
                path: path,
                reason: Phrase(
                    zh: "另一个程序正在写入，30 秒内未完成；请等它结束后再试（未做任何修改）",
                    en: "another program is writing to it and did not finish within 30 seconds; try again when it is done (nothing was changed)"))
        case .SQLITE_FULL:
            return .database(
                path: path, reason: Phrase(zh: "磁盘已满；请腾出空间后再试（未做任何修改）", en: "the disk is full; free some space and try again (nothing was changed)"))
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .database(
                path: path,
                reason: Phrase(zh: "文件已损坏（SQLite：\(sqlite)）；请从备份恢复", en: "the file is damaged (SQLite: \(sqlite)); restore it from a backup"))
        case .SQLITE_ERROR, .SQLITE_CONSTRAINT, .SQLITE_MISUSE, .SQLITE_RANGE, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_INTERNAL:
            return .internalFailure(sqlite: sqlite)
        default:
            return .database(path: path, reason: Phrase(verbatim: sqlite))
        }
    }

    /// Closes the connection (the last one folds the write-ahead log into the file). Output
    /// that reports a commit is printed before this, so a close that is slow or interrupted
    /// never hides that the change was recorded.
    public func closeConnection() {
        try? (writer as? DatabaseQueue)?.close()
    }

    /// Runs `body` in a write transaction that is always rolled back: what a change would do,
    /// with nothing written and nothing logged (`certify --dry-run`).
    public func rehearse<T>(_ body: (Database) throws -> T) throws(LubanError) -> T {
        do {
            var result: T?
            try writer.writeWithoutTransaction { db in
                try refuseIfReplaced(db)
                try db.inTransaction {
                    result = try body(db)
                    return .rollback
                }
            }
            return result!
        } catch let error as LubanError {
            throw error
        } catch {
            throw writeFailure(error)
        }
    }

    // MARK: - The file under the connection

    /// Refuses to go on when the file at `path` is no longer the one this connection opened
    /// (moved, replaced by another, or deleted since): its write-ahead log and shared memory,
    /// found by name beside the path, belong to the file that was there, so nothing may be
    /// written through a connection that lost its file, and nothing read from it passes for
    /// the records. Asked of SQLite (`SQLITE_FCNTL_HAS_MOVED`: a stat of the path against the
    /// open file), so no descriptor of the file is opened or closed here.
    func refuseIfReplaced(_ db: Database) throws {
        guard let path, hasMoved(db) else { return }
        throw LubanError.databaseReplaced(path: path)
    }

    /// Whether the file at `path` is no longer the file this connection has open.
    func hasMoved(_ db: Database) -> Bool {
        guard path != nil else { return false }
        var moved: CInt = 0
        let rc = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_HAS_MOVED, &moved)
        return rc == SQLITE_OK && moved != 0
    }

    /// Refuses (`LubanError.databaseReplaced`) when the file at the path is no longer the one
    /// open here. A long-running process (the server) asks before each use.
    public func checkFileIsStillOurs() throws(LubanError) {
        // On the connection, outside any transaction: asked before every use by a server, it
        // must cost a stat, not a BEGIN and a COMMIT.
        let moved = writer.writeWithoutTransaction { db in hasMoved(db) }
        if moved, let path { throw .databaseReplaced(path: path) }
    }

    /// After the file at the path was found replaced: folds what this connection's write-ahead
    /// log holds into the file it has open (wherever that file is now, or nowhere) and empties
    /// the log, so that the log left at the path, if it is still this one, carries nothing that
    /// a process opening the new file would replay onto it.
    public func emptyLogOfReplacedFile() {
        _ = try? writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// A consistent read.
    public func read<T>(_ body: (Database) throws -> T) throws(LubanError) -> T {
        do {
            return try writer.read(body)
        } catch let error as LubanError {
            throw error
        } catch {
            throw Self.failure(error, path: path ?? ":memory:")
        }
    }
}
