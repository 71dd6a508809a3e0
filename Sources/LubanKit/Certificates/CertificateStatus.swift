// MARK: - Whether a certificate stands

/// Whether a certificate still stands.
public enum CertificateStatus: String, Codable, Sendable {
    case valid, revoked
}
