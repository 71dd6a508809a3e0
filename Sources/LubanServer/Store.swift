import Dispatch
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
    private let reader: LubanDatabase
    private let writer: LubanDatabase
    private let readQueue = DispatchQueue(label: "luban.read")
    private let writeQueue = DispatchQueue(label: "luban.write")
    private let pending = Mutex<[(ScreenMark, CheckedContinuation<ScreenMarkOutcome, any Error>)]>([])

    public init(path: String) throws(LubanError) {
        databasePath = path
        var writer = try LubanDatabase(path: path)
        writer.user = "web"
        self.writer = writer
        reader = try LubanDatabase(path: path)
    }

    /// Reads (or does a short piece of work with the database) on the reading thread.
    public func read<T: Sendable>(_ body: @escaping @Sendable (LubanDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            readQueue.async { [reader] in
                continuation.resume(with: Result { try body(reader) })
            }
        }
    }

    /// Writes on the writing thread (accounts, links, certify): one transaction, as a command.
    public func write<T: Sendable>(_ body: @escaping @Sendable (LubanDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            writeQueue.async { [writer] in
                continuation.resume(with: Result { try body(writer) })
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
            let outcomes = try writer.recordMarks(group.map(\.0))
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
        writer.closeConnection()
        reader.closeConnection()
    }
}
