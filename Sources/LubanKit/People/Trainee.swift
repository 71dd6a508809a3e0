import GRDB

// MARK: - A trainee

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

    public init(
        id: Int64? = nil, code: String, name: String, idNumber: String? = nil, employer: String? = nil,
        craft: String? = nil, phone: String? = nil, forgottenOn: String? = nil
    ) {
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
