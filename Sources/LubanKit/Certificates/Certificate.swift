import GRDB

// MARK: - A certificate in the register

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
    /// The holder's name and ID number as issued (nil once the holder was erased on request).
    public var holderName: String?
    public var holderId: String?

    public static let databaseTableName = "certificate"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}
