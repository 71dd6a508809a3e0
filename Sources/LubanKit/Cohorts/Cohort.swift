import GRDB

// MARK: - A cohort

/// One run of the program (第一期 …), with its dates, site and curriculum.
public struct Cohort: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var code: String
    public var title: String?
    public var curriculumId: String
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var site: String
    /// The revision of its curriculum whose rules it follows (set when it is created).
    public var curriculumRevision: Int?

    public static let databaseTableName = "cohort"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public enum Columns {
        public static let code = Column("code")
        public static let startDate = Column("start_date")
    }

    /// The code and title, as printed: `2014-1 第二期`.
    public var label: String { title.map { "\(code) \($0)" } ?? code }
}

extension Cohort {
    /// Read column by column rather than through `Codable`, which cost a schedule import of
    /// 4,000 cohorts a twentieth of its time.
    public init(row: Row) throws {
        id = row["id"]
        code = row["code"]
        title = row["title"]
        curriculumId = row["curriculum_id"]
        guard let start = CalendarDate(row["start_date"] as String), let end = CalendarDate(row["end_date"] as String) else {
            throw DatabaseError(message: "cohort \(code): a date that is not YYYY-MM-DD")
        }
        startDate = start
        endDate = end
        site = row["site"]
        curriculumRevision = row["curriculum_revision"]
    }
}
