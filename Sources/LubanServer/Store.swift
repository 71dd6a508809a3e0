import Dispatch
import Glibc
import LubanKit
import Synchronization

// MARK: - The database, off the server's event loops

/// The server's way to the database: the same `LubanDatabase` the commands use, on two
/// connections kept open (WAL lets pages be read while marks are written), each on its own
/// thread so that no event loop ever waits on the disk.
///
/// Marks are gathered: those that arrive while a transaction commits are written together by
/// the next one (group commit), so that 50 phones marking at once cost one disk sync each round,
/// not 50. Each mark is answered only after its transaction is on disk.
public final class Store: Sendable {
    public let databasePath: String
    private let reader: Connection
    private let writer: Connection
    private let readQueue = DispatchQueue(label: "luban.read")
    private let writeQueue = DispatchQueue(label: "luban.write")
    private let pending = Mutex<[(ScreenMark, CheckedContinuation<ScreenMarkOutcome, any Error>)]>([])

    public init(path: String) throws(LubanError) {
        databasePath = path
        writer = try Connection(path: path, user: "web")
        reader = try Connection(path: path, user: LubanDatabase.osUser)
    }

    /// Reads (or does a short piece of work with the database) on the reading thread.
    public func read<T: Sendable>(_ body: @escaping @Sendable (LubanDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readQueue.async { [reader] in
                continuation.resume(with: Result { try body(try reader.current()) })
            }
        }
    }

    /// Writes on the writing thread (accounts, links, certify): one transaction, as a command.
    public func write<T: Sendable>(_ body: @escaping @Sendable (LubanDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writeQueue.async { [writer] in
                continuation.resume(with: Result { try body(try writer.current()) })
            }
        }
    }

    /// Records one mark, together with whatever other marks are waiting.
    public func mark(_ mark: ScreenMark) async throws -> ScreenMarkOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let first = pending.withLock { queue in
                queue.append((mark, continuation))
                return queue.count == 1
            }
            // The first of a group schedules the write; the rest ride along with it.
            if first { writeQueue.async { self.writePending() } }
        }
    }

    private func writePending() {
        let group = pending.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        guard !group.isEmpty else { return }
        do {
            let outcomes = try writer.current().recordMarks(group.map(\.0))
            for (waiting, outcome) in zip(group, outcomes) { waiting.1.resume(returning: outcome) }
        } catch {
            for waiting in group { waiting.1.resume(throwing: error) }
        }
    }

    /// Waits until every mark and write handed over so far is on disk, then closes both
    /// connections (a clean stop: the write-ahead log is folded into the file).
    public func close() {
        writeQueue.sync { writePending() }
        readQueue.sync {}
        writer.close()
        reader.close()
    }
}

/// One connection that follows the file at its path: when the file there is another one (`luban
/// restore` swapped a backup in), the connection is opened again on it before its next use, so
/// that no mark goes into the database that was replaced. Used on one queue only.
private final class Connection: @unchecked Sendable {
    private let path: String
    private let user: String
    private var database: LubanDatabase
    private var file: (device: UInt64, inode: UInt64)

    init(path: String, user: String) throws(LubanError) {
        self.path = path
        self.user = user
        file = Self.identity(path) ?? (0, 0)
        database = try LubanDatabase(path: path)
        database.user = user
    }

    /// The database at the path now.
    func current() throws(LubanError) -> LubanDatabase {
        if let now = Self.identity(path), now != file {
            database.closeConnection()
            database = try LubanDatabase(path: path)
            database.user = user
            file = now
        }
        return database
    }

    func close() { database.closeConnection() }

    private static func identity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }
}
