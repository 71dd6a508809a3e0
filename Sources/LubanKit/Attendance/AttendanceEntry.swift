import GRDB

// MARK: - A mark in the ledger

/// One mark in the attendance ledger; the newest for a trainee and session counts.
public struct AttendanceEntry: Sendable, Equatable, FetchableRecord, TableRecord {
    public var id: Int64
    public var sessionId: Int64
    public var traineeId: Int64
    /// nil: the entry takes the mark before it back (the trainee is not marked again).
    public var status: AttendanceStatus?
    public var note: String
    /// When, by whom, and from which file or command (from the entry's batch).
    public var recordedAt: String
    public var recordedBy: String
    public var source: String

    public static let databaseTableName = "attendance_entry"

    /// Reads a row of `attendance_ledger` joined with its batch (`recorded_at`, `recorded_by`,
    /// `source`).
    public init(row: Row) throws {
        id = row["id"]
        sessionId = row["session_id"]
        traineeId = row["trainee_id"]
        status = (row["status"] as String?).flatMap(AttendanceStatus.init(rawValue:))
        note = row["note"]
        recordedAt = row["recorded_at"]
        recordedBy = row["recorded_by"]
        source = row["source"]
    }
}
