// MARK: - A program definition

/// A program as data: its courses, the techniques experts sign off, and the certificate tiers
/// with their rules. Loaded from a YAML file in `Curriculum/`; see `Curriculum/README.md`.
public struct Curriculum: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var titleEn: String?
    /// The issuing organisation(s), as printed on certificates.
    public var organisations: [String]
    /// The prefix of certificate numbers, e.g. `LB` in `LB-2014-0007-5`.
    public var numberPrefix: String
    public var courses: [Course]
    public var techniques: [String]
    public var tiers: [Tier]

    public struct Course: Codable, Sendable, Equatable {
        public var code: String
        public var title: String
        public var titleEn: String?
        public var kind: SessionKind
        public var plannedHours: Double
    }

    public struct Tier: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var titleEn: String?
        public var scope: TierScope
        public var rules: Rules
    }

    /// The conditions of a tier; a rule left out does not apply.
    public struct Rules: Codable, Sendable, Equatable {
        /// Share of the cohort's scheduled classroom hours attended, in percent (cohort tiers).
        public var classroomHoursPercent: Double?
        /// Every field session of the cohort attended (cohort tiers).
        public var allFieldSessions: Bool?
        /// Distinct techniques signed off `pass` (in the cohort, or in all cohorts).
        public var techniquesPassed: Int?
        /// Hours attended (in the cohort, or in all cohorts).
        public var attendedHours: Double?
        /// Certificates of another tier from different cohorts (cumulative tiers).
        public var certificates: CertificateRule?
    }

    public struct CertificateRule: Codable, Sendable, Equatable {
        public var tier: String
        public var count: Int
    }

    /// The course with `code`, if the program has it.
    public func course(_ code: String) -> Course? { courses.first { $0.code == code } }

    /// The tier with `id`, if the program has it.
    public func tier(_ id: String) -> Tier? { tiers.first { $0.id == id } }

    /// Each tier's title by its id (a cumulative tier's rules name the tiers they count).
    public var tierTitles: [String: String] { Dictionary(tiers.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a }) }
}
