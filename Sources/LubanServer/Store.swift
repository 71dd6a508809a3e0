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
    /// connections (a clean stop: the write-ahead log is folded into the file). Returns false
    /// when the file at the path was found replaced or removed meanwhile (what came after was
    /// refused, not kept).
    public func close() -> Bool {
        writeQueue.sync { writePending() }
        let kept = writeQueue.sync { !writer.hasLostItsFile && (try? writer.current()) != nil }
        let read = readQueue.sync { !reader.hasLostItsFile && (try? reader.current()) != nil }
        writer.close()
        reader.close()
        return kept && read
    }
}

/// One connection to the file that was at the path when the server started. When the file there
/// is another one, or none (moved, replaced by `luban restore` or by hand, deleted), the
/// connection is not opened again on it: the write-ahead log and shared memory beside the path
/// may still be this connection's, and SQLite would replay them onto the new file. Everything
/// is refused from then on, saying so; the server is to be started again. Used on one queue only.
private final class Connection: @unchecked Sendable {
    private let database: LubanDatabase
    /// Set once the file at the path is found not to be this connection's.
    private var lost = false

    init(path: String, user: String) throws(LubanError) {
        var database = try LubanDatabase(path: path)
        database.user = user
        self.database = database
    }

    /// The database, while the file at its path is still the one opened.
    func current() throws(LubanError) -> LubanDatabase {
        do {
            try database.checkFileIsStillOurs()
        } catch {
            if !lost {
                lost = true
                // Whatever this connection's log holds goes into the file it has open, and the
                // log is emptied: a log left at the path then carries nothing onto the new file.
                database.emptyLogOfReplacedFile()
            }
            throw error
        }
        return database
    }

    var hasLostItsFile: Bool { lost }

    /// Closes the connection, unless it lost its file: SQLite's last close removes the shared
    /// memory file by its name, which may now be another database's. The process's exit lets
    /// go of it instead.
    func close() {
        if !lost { database.closeConnection() }
    }
}
