// MARK: - What a trainee has done

/// A trainee's record in one cohort: hours and sessions attended by kind, field sessions
/// missed, techniques passed (the newest verdict per technique counts).
public struct CohortProgress: Sendable, Equatable {
    public var traineeID: Int64
    public var cohortID: Int64
    public var hours: [SessionKind: Double] = [:]
    public var sessions: [SessionKind: Int] = [:]
    /// Field sessions of the cohort the trainee did not attend (excused and absent included).
    public var missedFieldSessions: [Session] = []
    /// Techniques whose newest verdict in this cohort is `pass`, in curriculum order.
    public var techniquesPassed: [String] = []

    public init(traineeID: Int64, cohortID: Int64) {
        self.traineeID = traineeID
        self.cohortID = cohortID
    }

    public var attendedHours: Double { hours.values.reduce(0, +) }
    public func hours(_ kind: SessionKind) -> Double { hours[kind] ?? 0 }
    public func sessions(_ kind: SessionKind) -> Int { sessions[kind] ?? 0 }
}

/// What a cohort scheduled: the denominators of the rules.
public struct CohortSchedule: Sendable, Equatable {
    public var sessions: [Session]
    public var hours: [SessionKind: Double]

    public init(sessions: [Session]) {
        self.sessions = sessions
        var hours: [SessionKind: Double] = [:]
        for s in sessions { hours[s.kind, default: 0] += s.hours }
        self.hours = hours
    }

    public func hours(_ kind: SessionKind) -> Double { hours[kind] ?? 0 }
    public var fieldSessions: [Session] { sessions.filter { $0.kind == .field } }
}

/// A trainee's record over all cohorts, for cumulative tiers.
public struct CumulativeProgress: Sendable, Equatable {
    public var hours: [SessionKind: Double] = [:]
    public var attendedHours: Double { hours.values.reduce(0, +) }
    /// Distinct techniques passed in any cohort.
    public var techniquesPassed: [String]
    /// Valid certificates by tier: the cohorts they were earned in.
    public var certificateCohorts: [String: Set<Int64>]

    public func hours(_ kind: SessionKind) -> Double { hours[kind] ?? 0 }

    public init(hours: [SessionKind: Double] = [:], techniquesPassed: [String] = [], certificateCohorts: [String: Set<Int64>] = [:]) {
        self.hours = hours
        self.techniquesPassed = techniquesPassed
        self.certificateCohorts = certificateCohorts
    }
}
