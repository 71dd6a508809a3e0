import GRDB

// MARK: - A session

/// One scheduled teaching block of a cohort.
public struct Session: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    /// The columns of `session list` a schedule import passes over, so that the office's own
    /// listing, edited, reads back: the session's id and whether it was cancelled.
    static let listingColumns = ["session", "cancelled", "cohort"]

    public var id: Int64?
    public var cohortId: Int64
    public var date: CalendarDate
    public var kind: SessionKind
    public var hours: Double
    public var course: String
    public var site: String
    public var expert: String
    public var title: String
    /// When the session was cancelled, and why (nil while it stands).
    public var cancelledOn: CalendarDate?
    public var cancelReason: String?

    public static let databaseTableName = "session"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Read column by column rather than through `Decodable` (a schedule import looks up every
    /// row's session; the generic decoding took a sixth of its time).
    public init(row: Row) throws {
        id = row["id"]
        cohortId = row["cohort_id"]
        date = row["date"]
        kind = row["kind"]
        hours = row["hours"]
        course = row["course"]
        site = row["site"]
        expert = row["expert"]
        title = row["title"]
        cancelledOn = row["cancelled_on"]
        cancelReason = row["cancel_reason"]
    }

    public init(
        id: Int64? = nil, cohortId: Int64, date: CalendarDate, kind: SessionKind, hours: Double,
        course: String, site: String, expert: String, title: String, cancelledOn: CalendarDate? = nil, cancelReason: String? = nil
    ) {
        self.cancelledOn = cancelledOn
        self.cancelReason = cancelReason
        self.id = id
        self.cohortId = cohortId
        self.date = date
        self.kind = kind
        self.hours = hours
        self.course = course
        self.site = site
        self.expert = expert
        self.title = title
    }

    /// `2014-04-12 普宁寺`: how eligibility names a field session.
    public var label: String {
        let place = [title, site].first { !$0.isEmpty } ?? kind.chinese
        return "\(date) \(place)"
    }
}
