import GRDB

// MARK: - A verdict

/// An expert's verdict; the newest for a trainee, cohort and technique counts.
public struct SignOff: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public var id: Int64
    public var cohortId: Int64
    public var traineeId: Int64
    public var technique: String
    public var expert: String
    public var result: SignOffResult
    public var note: String
    public var recordedAt: String
    public var recordedBy: String
    /// The day the expert assessed (nil for verdicts recorded before luban kept it).
    public var assessedOn: CalendarDate?
    /// When the verdict was voided as entered by mistake, and why.
    public var voidedOn: CalendarDate?
    public var voidReason: String?

    public static let databaseTableName = "signoff"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}
