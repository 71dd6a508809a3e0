// MARK: - Where a tier is earned

/// Whether a tier is earned in one cohort or over all of a trainee's cohorts.
public enum TierScope: String, Codable, Sendable {
    case cohort, cumulative
}
