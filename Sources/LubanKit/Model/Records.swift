import GRDB

// MARK: - Stored records

/// One run of the program (第一期 …), with its dates, site and curriculum.
public struct Cohort: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var code: String
    public var title: String?
    public var curriculumId: String
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    public var site: String

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

/// A worker in the program. `idNumber` is nil once the person asked to be forgotten.
public struct Trainee: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var code: String
    public var name: String
    public var idNumber: String?
    public var employer: String?
    public var craft: String?
    public var phone: String?
    public var forgottenOn: String?

    public static let databaseTableName = "trainee"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Read column by column rather than through `Decodable`, whose run-time type lookups cost
    /// a short command (one `luban attend`) about a millisecond.
    public init(row: Row) throws {
        id = row["id"]
        code = row["code"]
        name = row["name"]
        idNumber = row["id_number"]
        employer = row["employer"]
        craft = row["craft"]
        phone = row["phone"]
        forgottenOn = row["forgotten_on"]
    }

    public init(id: Int64? = nil, code: String, name: String, idNumber: String? = nil, employer: String? = nil,
                craft: String? = nil, phone: String? = nil, forgottenOn: String? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.idNumber = idNumber
        self.employer = employer
        self.craft = craft
        self.phone = phone
        self.forgottenOn = forgottenOn
    }

    /// The stable short code of the trainee with row id `id` (`T00042`); `Bytes.traineeCode` reads it back.
    public static func code(for id: Int64) -> String {
        let digits = String(id)
        return "T" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// The ID number as outputs show it: masked unless `showID`.
    public func idNumberShown(_ showID: Bool) -> String {
        guard let idNumber else { return "" }
        return showID ? idNumber : Mask.idNumber(idNumber)
    }

    /// The phone number as outputs show it: masked unless `showID`.
    public func phoneShown(_ showID: Bool) -> String {
        guard let phone else { return "" }
        return showID ? phone : Mask.phone(phone)
    }

    /// `T00042 王伟`, how messages name a trainee.
    public var label: String { "\(code) \(name)" }
}

/// One scheduled teaching block of a cohort.
public struct Session: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var cohortId: Int64
    public var date: CalendarDate
    public var kind: SessionKind
    public var hours: Double
    public var course: String
    public var site: String
    public var expert: String
    public var title: String

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
    }

    public init(id: Int64? = nil, cohortId: Int64, date: CalendarDate, kind: SessionKind, hours: Double,
                course: String, site: String, expert: String, title: String) {
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

    public static let databaseTableName = "signoff"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// An issued certificate, as the register holds it.
public struct Certificate: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    public var id: Int64
    public var number: String
    public var tier: String
    public var traineeId: Int64
    public var cohortId: Int64
    public var issuedOn: CalendarDate
    public var classroomHours: Double
    public var fieldHours: Double
    public var demonstrationHours: Double
    /// Techniques passed, separated by `、`.
    public var techniques: String
    /// Salt of the holder digest in the payload (see `CertificatePayload`); emptied when the
    /// holder is erased, and never in a masked export.
    public var holderSalt: String
    /// The signed statement (canonical text), see `CertificatePayload`.
    public var payload: String
    /// Base64 Ed25519 signature of `payload` by the issuer key.
    public var signature: String
    public var status: CertificateStatus
    public var revokedOn: CalendarDate?
    public var revokeReason: String?
    /// Base64 Ed25519 signature of the `RevocationStatement`, for a revoked certificate.
    public var revocationSignature: String?

    public static let databaseTableName = "certificate"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

// MARK: - Database values

extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CalendarDate? {
        guard let text = String.fromDatabaseValue(dbValue) else { return nil }
        return CalendarDate(text)
    }
}

extension SessionKind: DatabaseValueConvertible {}
extension AttendanceStatus: DatabaseValueConvertible {}
extension SignOffResult: DatabaseValueConvertible {}
extension CertificateStatus: DatabaseValueConvertible {}
