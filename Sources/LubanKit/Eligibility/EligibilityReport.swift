import GRDB

// MARK: - Eligibility of a cohort

/// One trainee's verdict on one tier.
public struct EligibilityLine: Sendable, Equatable {
    public var trainee: Trainee
    public var verdict: TierVerdict
    /// The valid certificate already held for this tier (and cohort, for cohort tiers), if any.
    public var certificate: String?
}

extension LubanDatabase {
    /// Every enrolled trainee of the cohort, with each tier's verdict. A cumulative tier counts
    /// this cohort's own cohort-tier certificate as held when the trainee is eligible for it now,
    /// since `certify` issues that first.
    public func eligibility(cohort code: String) throws(LubanError) -> [EligibilityLine] {
        let cohort = try cohort(code)
        return try read { db in
            let cid = cohort.id!
            let curriculum = try Self.curriculum(ofCohort: cid, db)
            let (schedule, progress) = try Self.cohortProgress(cohortID: cid, curriculum: curriculum, db)
            let titles = curriculum.tierTitles
            var lines: [EligibilityLine] = []
            for tid in progress.keys.sorted() {
                guard let trainee = try Trainee.fetchOne(db.cachedStatement(sql: "SELECT * FROM trainee WHERE id = ?"), arguments: [tid]) else {
                    continue
                }
                var earnedHere: [String] = []
                for tier in curriculum.tiers {
                    let verdict: TierVerdict
                    switch tier.scope {
                    case .cohort:
                        verdict = Eligibility.cohortTier(tier, progress: progress[tid]!, schedule: schedule)
                        if verdict.eligible { earnedHere.append(tier.id) }
                    case .cumulative:
                        var c = try Self.cumulativeProgress(traineeID: tid, curriculum: curriculum, db)
                        for t in earnedHere { c.certificateCohorts[t, default: []].insert(cid) }
                        verdict = Eligibility.cumulativeTier(tier, progress: c, tierTitles: titles)
                    }
                    let held = try String.fetchOne(
                        db.cachedStatement(
                            sql: """
                                SELECT number FROM certificate WHERE tier = ? AND trainee_id = ? AND status = 'valid' AND (? = 'cumulative' OR cohort_id = ?)
                                ORDER BY id LIMIT 1
                                """), arguments: [tier.id, tid, tier.scope.rawValue, cid])
                    lines.append(EligibilityLine(trainee: trainee, verdict: verdict, certificate: held))
                }
            }
            return lines
        }
    }
}

public enum EligibilityReport {
    public static func table(_ lines: [EligibilityLine]) -> Table {
        Table(
            columns: [
                .init("trainee", "学员 trainee"), .init("name", "姓名 name"), .init("tier", "等级 tier"),
                .init("eligible", "合格 eligible"), .init("certificate", "证书 certificate"), .init("missing", "尚缺 missing"),
            ],
            rows: lines.map { l in
                [
                    .text(l.trainee.code), .text(l.trainee.name), .word(l.verdict.tier.id, zh: l.verdict.tier.title), .bool(l.verdict.eligible),
                    l.certificate.map(Cell.text) ?? .empty, .text(Phrase.joined(l.verdict.missing).text()),
                ]
            })
    }

    /// The text report: a title, the table, and a count per tier.
    public static func text(_ lines: [EligibilityLine], cohort: Cohort) -> String {
        var counts: [(Curriculum.Tier, Int, Int)] = []
        for l in lines {
            if let i = counts.firstIndex(where: { $0.0.id == l.verdict.tier.id }) {
                counts[i].1 += l.verdict.eligible ? 1 : 0
                counts[i].2 += 1
            } else {
                counts.append((l.verdict.tier, l.verdict.eligible ? 1 : 0, 1))
            }
        }
        let summary = Phrase.joined(
            counts.map { Phrase(zh: "\($0.0.title)：\($0.2) 人中 \($0.1) 人合格", en: "\($0.0.id): \($0.1) of \($0.2) eligible") }
        ).text()
        return "结业资格 Eligibility — cohort \(cohort.label) (\(cohort.startDate) to \(cohort.endDate), \(cohort.site))\n\n"
            + table(lines).text() + "\n" + summary + "\n"
    }
}
