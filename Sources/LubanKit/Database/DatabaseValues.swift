import GRDB

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
