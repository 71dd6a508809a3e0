import Foundation
import GRDB

// MARK: - Checking rows on a second core

/// Reads and checks a file's rows on a thread of its own, handing them over in batches, while
/// the importing thread writes them.
///
/// Parsing and checking rows is a quarter to a half of a large import's work and writing is the
/// rest, so on two cores the two overlap. A check that needs the records reads them through a
/// read-only connection of its own, opened after the writer's transaction began: it sees
/// exactly what the writer saw at its start, so a check may only read what the import never
/// changes. At most `depth` batches wait, so memory stays flat whatever the file's size.
final class RowPipeline<Item: Sendable>: @unchecked Sendable {
    struct Batch: Sendable {
        var rows: [(line: Int, item: Item)]
        var bytesRead: Int
    }

    private static var rowsPerBatch: Int { 1024 }
    private static var depth: Int { 4 }

    private let condition = NSCondition()
    private var waiting: [Batch] = []
    private var failure: (any Error)?
    private var finished = false
    private var stopped = false

    /// Starts reading `reader` (positioned after its header), each row checked by what
    /// `checker` makes; the check reads the reader's current record.
    convenience init(reader: CSVReader, checker: @escaping (CSVReader) throws -> () throws -> Item) {
        let work = UncheckedSendable((reader, checker))
        self.init { pipeline in try pipeline.read(work.value.0, check: try work.value.1(work.value.0)) }
    }

    /// Starts reading `reader` (positioned after its header), each row checked by what `checker`
    /// makes, given a read-only connection to the database at `path` (closed at the end).
    convenience init(reader: CSVReader, database path: String, checker: @escaping (Database, CSVReader) throws -> () throws -> Item) {
        let work = UncheckedSendable((reader, checker))
        self.init { pipeline in
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(30)
            let lookup = try DatabaseQueue(path: path, configuration: config)
            defer { try? lookup.close() }
            try lookup.read { db in try pipeline.read(work.value.0, check: try work.value.1(db, work.value.0)) }
        }
    }

    private init(_ work: @escaping @Sendable (RowPipeline) throws -> Void) {
        Thread.detachNewThread { [self] in
            do {
                try work(self)
                end(nil)
            } catch {
                end(error)
            }
        }
    }

    private func read(_ reader: CSVReader, check: () throws -> Item) throws {
        var rows: [(line: Int, item: Item)] = []
        rows.reserveCapacity(Self.rowsPerBatch)
        while try reader.next() {
            rows.append((reader.line, try check()))
            if rows.count == Self.rowsPerBatch {
                guard hand(Batch(rows: rows, bytesRead: reader.bytesRead)) else { return }
                rows.removeAll(keepingCapacity: true)
            }
        }
        if !rows.isEmpty { _ = hand(Batch(rows: rows, bytesRead: reader.bytesRead)) }
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
