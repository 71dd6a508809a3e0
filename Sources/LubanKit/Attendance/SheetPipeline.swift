import Foundation
import GRDB

// MARK: - Checking a sheet on a second core

/// Reads and checks a roll-call sheet's rows on a thread of its own, handing them over in
/// batches, while the importing thread writes them.
///
/// About a quarter of a large import is parsing and checking rows; SQLite's inserts are the
/// rest. The checks read only what an attendance import never changes (sessions, enrolments,
/// trainees' names), so this thread reads them through its own read-only connection, opened
/// after the writer's transaction began: it sees exactly what the writer saw at its start.
/// At most `depth` batches wait, so memory stays flat whatever the file's size.
final class SheetPipeline: @unchecked Sendable {
    struct Batch: Sendable {
        var rows: [(line: Int, outcome: SheetReader.Outcome)]
        var bytesRead: Int
    }

    private static let rowsPerBatch = 4096
    private static let depth = 4

    private let condition = NSCondition()
    private var waiting: [Batch] = []
    private var failure: (any Error)?
    private var finished = false
    private var stopped = false

    /// Starts reading `reader` (positioned after its header) against the database at `path`.
    init(path: String, reader: CSVReader, columns: CSVColumns, fixedSession: Int64?) {
        let work = UncheckedSendable((reader, columns))
        Thread.detachNewThread { [self] in
            do {
                try read(path: path, reader: work.value.0, columns: work.value.1, fixedSession: fixedSession)
                end(nil)
            } catch {
                end(error)
            }
        }
    }

    /// The reading thread's work; its connection is closed when this returns.
    private func read(path: String, reader: CSVReader, columns: CSVColumns, fixedSession: Int64?) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        let lookup = try DatabaseQueue(path: path, configuration: config)
        defer { try? lookup.close() }
        try lookup.read { db in
            var sheet = try SheetReader(db: db, reader: reader, columns: columns, fixedSession: fixedSession)
            var rows: [(line: Int, outcome: SheetReader.Outcome)] = []
            rows.reserveCapacity(Self.rowsPerBatch)
            while try reader.next() {
                rows.append((reader.line, try sheet.row()))
                if rows.count == Self.rowsPerBatch {
                    guard hand(Batch(rows: rows, bytesRead: reader.bytesRead)) else { return }
                    rows.removeAll(keepingCapacity: true)
                }
            }
            if !rows.isEmpty { _ = hand(Batch(rows: rows, bytesRead: reader.bytesRead)) }
        }
    }

    /// The next batch, nil after the last; rethrows what stopped the reading.
    func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !finished { condition.wait() }
        if !waiting.isEmpty {
            condition.broadcast()
            return waiting.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the reading thread (if still running) and waits until it has let go of the file
    /// and its connection. Call before the writer's transaction ends, whatever happened.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Reading side: queues a batch, waiting for room; false when the writer has stopped.
    private func hand(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= Self.depth && !stopped { condition.wait() }
        if stopped { return false }
        waiting.append(batch)
        condition.broadcast()
        return true
    }

    private func end(_ error: (any Error)?) {
        condition.lock()
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Hands a value that is only ever used by one thread at a time to another thread.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
