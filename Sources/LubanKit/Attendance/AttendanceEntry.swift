import GRDB

// MARK: - A mark in the ledger

/// One mark in the attendance ledger; the newest for a trainee and session counts.
public struct AttendanceEntry: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public var id: Int64
    public var sessionId: Int64
    public var traineeId: Int64
    public var status: AttendanceStatus
    public var note: String
    /// When, by whom, and from which file or command (from the entry's batch).
    public var recordedAt: String
    public var recordedBy: String
    public var source: String

    public static let databaseTableName = "attendance_entry"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}
