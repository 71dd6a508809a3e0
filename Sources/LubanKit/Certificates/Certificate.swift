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
    /// What a revocation tells the public (`PublicRevocationReason`), nil when none was chosen.
    public var publicReason: String?
    /// The holder's name and ID number as issued (nil once the holder was erased on request).
    public var holderName: String?
    public var holderId: String?

    public static let databaseTableName = "certificate"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}

/// The reasons for a revocation that a public check may show, chosen when revoking; the office's
/// own words stay in the register.
public enum PublicRevocationReason: String, CaseIterable, Sendable {
    case wrongDetails = "信息有误"
    case notEligible = "不符合条件"
    case holderAsked = "本人申请"

    /// The English words, shown beside the Chinese.
    public var english: String {
        switch self {
        case .wrongDetails: "details were wrong"
        case .notEligible: "not eligible"
        case .holderAsked: "at the holder's request"
        }
    }

    /// Reads `信息有误`, `wrong-details` and the like.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let english = ["wrong-details": Self.wrongDetails, "not-eligible": .notEligible, "holder-asked": .holderAsked]
        guard let reason = Self(rawValue: t) ?? english[t] else { return nil }
        self = reason
    }
}
