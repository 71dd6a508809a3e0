import Testing

@testable import LubanKit

/// DOMAIN.md's default rules: completion needs 80% of classroom hours, every field session and
/// 2 techniques; inheritor needs 2 completions, 120 h and 4 techniques in all.
@Suite struct EligibilityTests {
    /// Five 8-hour classroom days (40 h), one field session, for cohort `code`.
    func schedule(_ db: LubanDatabase, _ code: String, from start: String) throws -> (classroom: [Session], field: Session) {
        let day0 = CalendarDate(start)!
        let classroom = try (0..<5).map { d in
            try db.addSession(cohort: code, SessionDraft(date: day0.adding(days: d), kind: .classroom, hours: 8, course: "GJ", title: "第\(d + 1)天"))
        }
        let field = try db.addSession(cohort: code, SessionDraft(date: day0.adding(days: 6), kind: .field, hours: 4, course: "SD", site: "普宁寺"))
        return (classroom, field)
    }

    func verdicts(_ db: LubanDatabase, _ code: String, _ trainee: String) throws -> [String: [String]] {
        Dictionary(
            uniqueKeysWithValues: try db.eligibility(cohort: code).filter { $0.trainee.code == trainee }.map {
                ($0.verdict.tier.id, $0.verdict.missing.map(\.en))
            })
    }

    func pass(_ db: LubanDatabase, _ code: String, _ t: String, _ techniques: [String]) throws {
        for x in techniques { try db.signOff(cohort: code, trainee: t, technique: x, expert: "王师傅", result: .pass) }
    }

    @Test func exactlyEightyPercentIsEnoughJustUnderIsNot() throws {
        let db = try scenario(trainees: 2)
        // 40 classroom hours: four days of 8 h, then 7.75 h and 0.25 h.
        let day0 = CalendarDate("2014-04-08")!
        let hours = [8, 8, 8, 8, 7.75, 0.25]
        let classroom = try hours.enumerated().map { d, h in
            try db.addSession(
                cohort: "2014-1", SessionDraft(date: day0.adding(days: d), kind: .classroom, hours: h, course: "GJ", title: "第\(d + 1)天"))
        }
        let field = try db.addSession(cohort: "2014-1", SessionDraft(date: day0.adding(days: 7), kind: .field, hours: 4, course: "SD", site: "普宁寺"))
        // T00001: the four 8 h days = 32 of 40 h, exactly 80%.
        for s in classroom.prefix(4) { _ = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .present) }
        // T00002: three days present, the 7.75 h day late (late counts), the fourth day excused = 31.75 h.
        for s in classroom.prefix(3) { _ = try db.attend(session: String(s.id!), trainees: ["T00002"], status: .present) }
        _ = try db.attend(session: String(classroom[3].id!), trainees: ["T00002"], status: .excused)
        _ = try db.attend(session: String(classroom[4].id!), trainees: ["T00002"], status: .late)
        _ = try db.attend(session: String(field.id!), trainees: ["T00001", "T00002"], status: .present)
        try pass(db, "2014-1", "T00001", ["榫卯", "彩画"])
        try pass(db, "2014-1", "T00002", ["榫卯", "彩画"])
        #expect(try verdicts(db, "2014-1", "T00001")["completion"] == [])
        #expect(try verdicts(db, "2014-1", "T00002")["completion"] == ["classroom 31.75 of 40 h (79.3% < 80%)"])
    }

    @Test func anExcusedFieldSessionIsMissed() throws {
        let db = try scenario(trainees: 1)
        let (classroom, field) = try schedule(db, "2014-1", from: "2014-04-08")
        for s in classroom { _ = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .present) }
        _ = try db.attend(session: String(field.id!), trainees: ["T00001"], status: .excused)
        try pass(db, "2014-1", "T00001", ["榫卯"])
        #expect(try verdicts(db, "2014-1", "T00001")["completion"] == ["missed field session 2014-04-14 普宁寺", "1 of 2 techniques passed"])
    }

    @Test func aTechniqueFailedThenPassedCounts() throws {
        let db = try scenario(trainees: 1)
        let (classroom, field) = try schedule(db, "2014-1", from: "2014-04-08")
        for s in classroom + [field] { _ = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .present) }
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "彩画", expert: "王", result: .fail)
        try pass(db, "2014-1", "T00001", ["榫卯"])
        #expect(try verdicts(db, "2014-1", "T00001")["completion"] == ["1 of 2 techniques passed"])
        try pass(db, "2014-1", "T00001", ["彩画"])
        #expect(try verdicts(db, "2014-1", "T00001")["completion"] == [])
        // And passed-then-failed no longer counts: the newest verdict wins.
        try db.signOff(cohort: "2014-1", trainee: "T00001", technique: "彩画", expert: "王", result: .fail)
        #expect(try verdicts(db, "2014-1", "T00001")["completion"] == ["1 of 2 techniques passed"])
    }

    /// T00001 through 2014-1 and 2014-2, every session attended and every technique passed:
    /// enough, with both completions, for the inheritor tier.
    func twoCohortsDone() throws -> LubanDatabase {
        let db = try scenario(trainees: 1)
        try db.addCohort(code: "2014-2", start: CalendarDate("2014-09-15")!, end: CalendarDate("2014-09-27")!, site: "承德")
        try db.enroll(cohort: "2014-2", trainees: ["T00001"])
        for (code, start, techniques) in [("2014-1", "2014-04-08", ["榫卯", "彩画"]), ("2014-2", "2014-09-15", ["木雕", "油饰"])] {
            let (classroom, field) = try schedule(db, code, from: start)
            // Two more long days of demonstration so that 2 cohorts reach 120 h: 2 x (40 + 4 + 16).
            let demo = try (7..<9).map { d in
                try db.addSession(
                    cohort: code,
                    SessionDraft(date: CalendarDate(start)!.adding(days: d), kind: .demonstration, hours: 8, course: "YS", title: "演示\(d)"))
            }
            for s in classroom + [field] + demo { _ = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .present) }
            try pass(db, code, "T00001", techniques)
        }
        return db
    }

    @Test func twoCohortsReachTheInheritorTierAndARevocationIsReissuedWhenAskedFor() throws {
        let db = try twoCohortsDone()
        let first = try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey)
        #expect(first.issued.map(\.tier) == ["completion"])
        #expect(try verdicts(db, "2014-2", "T00001")["inheritor"] == [])
        let second = try db.certify(cohort: "2014-2", on: CalendarDate("2014-09-27")!, key: testKey)
        #expect(second.issued.map(\.tier) == ["completion", "inheritor"])
        #expect(second.issued.map(\.number) == ["LB-2014-0002-8", "LB-2014-0003-6"])
        #expect(try db.certify(cohort: "2014-2", on: CalendarDate("2014-09-27")!, key: testKey).issued.isEmpty)
        // The first completion has an inheritor certificate resting on it: revoking it alone is
        // refused, naming the dependent; with cascade both go, each with its reason.
        #expect(
            performing: {
                try db.revoke(number: "LB-2014-0001-X", reason: "test", on: CalendarDate("2014-10-01")!, key: testKey)
            }, throws: refusal("LB-2014-0003-6 rests on LB-2014-0001-X; revoke both (cascade), or revoke it first"))
        let revoked = try db.revoke(number: "LB-2014-0001-X", reason: "test", on: CalendarDate("2014-10-01")!, key: testKey, cascade: true)
        #expect(revoked.map(\.number) == ["LB-2014-0001-X", "LB-2014-0003-6"])
        #expect(revoked.map(\.revokeReason) == ["test", "rests on LB-2014-0001-X, revoked: test"])
        // A later certify does not issue them again by itself, and says why; asked to, it does.
        let quiet = try db.certify(cohort: "2014-1", on: CalendarDate("2014-10-02")!, key: testKey)
        #expect(quiet.issued.isEmpty)
        #expect(
            quiet.skipped.first { $0.tier == "completion" }?.reason.en
                == "LB-2014-0001-X was revoked on 2014-10-01 (test); it is issued again only when asked for")
        let reissued = try db.certify(cohort: "2014-1", on: CalendarDate("2014-10-02")!, key: testKey, reissue: ["T00001"])
        #expect(reissued.issued.map(\.number) == ["LB-2014-0004-4", "LB-2014-0005-2"])
        #expect(reissued.issued.map(\.tier) == ["completion", "inheritor"])
        #expect(try db.register(cohort: nil).count == 5)
    }

    /// A revoked completion certificate no longer counts toward the inheritor tier, whether or
    /// not anything rested on it when it was revoked.
    @Test func aRevokedCompletionNoLongerCountsTowardTheInheritorTier() throws {
        let db = try twoCohortsDone()
        let first = try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey)
        #expect(try verdicts(db, "2014-2", "T00001")["inheritor"] == [])
        // Revoked alone (nothing rests on it yet, so no cascade is needed).
        try db.revoke(number: first.issued[0].number, reason: "entered in error", on: CalendarDate("2014-05-01")!, key: testKey)
        #expect(try verdicts(db, "2014-2", "T00001")["inheritor"] != [])
        let second = try db.certify(cohort: "2014-2", on: CalendarDate("2014-09-27")!, key: testKey)
        #expect(second.issued.map(\.tier) == ["completion"])
    }

    @Test func aDryRunIssuesNothing() throws {
        let db = try scenario(trainees: 1)
        let (classroom, field) = try schedule(db, "2014-1", from: "2014-04-08")
        for s in classroom + [field] { _ = try db.attend(session: String(s.id!), trainees: ["T00001"], status: .present) }
        try pass(db, "2014-1", "T00001", ["榫卯", "彩画"])
        let before = try snapshot(db)
        #expect(try db.certify(cohort: "2014-1", on: CalendarDate("2014-04-20")!, key: testKey, dryRun: true).issued.count == 1)
        #expect(try snapshot(db) == before)
    }
}

/// Aimed at bugs planted one at a time that the suite once let through.
@Suite struct EligibilityEdgeTests {
    @Test func anInheritorNeedsAllOfItsRulesNotMost() throws {
        let curriculum = try CurriculumLoader.parse(BuiltIn.lubanCurriculum, file: "luban.yaml")
        let tier = try #require(curriculum.tiers.first { $0.scope == .cumulative })
        let titles = Dictionary(curriculum.tiers.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let enough = CumulativeProgress(
            hours: [.classroom: 80, .field: 24, .demonstration: 16], techniquesPassed: ["榫卯", "彩画", "砖雕", "油饰"],
            certificateCohorts: ["completion": [1, 2]])
        #expect(Eligibility.cumulativeTier(tier, progress: enough, tierTitles: titles).eligible)
        // Two completions and 120 h, but 3 of 4 techniques: not an inheritor, and it says why.
        var three = enough
        three.techniquesPassed.removeLast()
        let verdict = Eligibility.cumulativeTier(tier, progress: three, tierTitles: titles)
        #expect(!verdict.eligible)
        #expect(verdict.missing.map(\.en) == ["3 of 4 techniques passed in all"], "\(verdict.missing)")
        // 119.75 h, or one completion, likewise.
        var short = enough
        short.hours[.demonstration] = 15.75
        #expect(!Eligibility.cumulativeTier(tier, progress: short, tierTitles: titles).eligible)
        var once = enough
        once.certificateCohorts = ["completion": [1]]
        #expect(!Eligibility.cumulativeTier(tier, progress: once, tierTitles: titles).eligible)
    }
}
