import GRDB

// MARK: - What an issued certificate rests on

/// What an issued certificate rests on, defined once for every path that could change it (a
/// mark by hand, by sheet or from a phone; a session moved or cancelled; a verdict voided; a
/// withdrawal or transfer): the records its figures came from.
///
/// - A completion certificate rests on its holder's records in its cohort: the cohort's
///   sessions, the holder's marks and verdicts there, and their enrolment.
/// - An inheritor certificate counts hours and techniques over every cohort its holder
///   attended, so it also rests on the holder's records in every cohort that began on or before
///   the day it was issued.
///
/// While a valid certificate rests on a record, the record is not changed: the change is
/// refused naming the certificate, which is to be revoked first.
enum CertificateGround {
    static let sql = """
        SELECT c.number FROM certificate c
        WHERE c.status = 'valid' AND (?2 IS NULL OR c.trainee_id = ?2)
          AND (c.cohort_id = ?1
               OR (c.tier = 'inheritor' AND c.issued_on >= (SELECT start_date FROM cohort WHERE id = ?1)
                   AND EXISTS (SELECT 1 FROM enrolment e WHERE e.cohort_id = ?1 AND e.trainee_id = c.trainee_id)))
        ORDER BY c.id
        """

    /// The valid certificates resting on cohort `cohortID`'s records: of trainee `trainee`, or
    /// of anyone when nil.
    static func certificates(restingOnCohort cohortID: Int64, trainee: Int64?, _ db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: sql), arguments: [cohortID, trainee])
    }

    /// Why a mark that moves trainee `tid` in or out of the attended at `session` cannot be
    /// recorded, or nil when no valid certificate rests on it.
    static func refusal(markOf tid: Int64, at session: SessionFacts, _ db: Database) throws -> LubanError? {
        guard let number = try certificates(restingOnCohort: session.cohortID, trainee: tid, db).first else { return nil }
        let code = Trainee.code(for: tid)
        return .restsOnCertificate(
            number: number,
            reason: Phrase(
                zh: "学员 \(code) 持有证书 \(number)，其学时依据包括课次 \(session.id) 的考勤；该考勤不能在证书有效时更改出勤与否，请先撤销该证书",
                en:
                    "trainee \(code) holds certificate \(number), whose hours rest on their attendance at session \(session.id); whether they attended cannot change under it: revoke it first"
            ))
    }
}

extension CertificateGround {
    /// Every valid certificate whose records no longer give it its tier or its figures (a
    /// record changed outside luban, or by a version that did not guard it): recomputed by the
    /// rules `certify` applied, from the records as they stood on its date.
    static func problems(_ db: Database) throws -> [Phrase] {
        var problems: [Phrase] = []
        var cohorts: [Int64: (curriculum: Curriculum, schedule: CohortSchedule, progress: [Int64: CohortProgress])] = [:]
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT number, tier, trainee_id, cohort_id, issued_on, classroom_hours, field_hours, demonstration_hours, techniques
                FROM certificate WHERE status = 'valid' ORDER BY id
                """)
        for row in rows {
            let (number, tierID, tid, cid): (String, String, Int64, Int64) = (row[0], row[1], row[2], row[3])
            guard let issuedOn = CalendarDate(row[4] as String) else { continue }
            if cohorts[cid] == nil {
                let curriculum = try LubanDatabase.curriculum(ofCohort: cid, db)
                let (schedule, progress) = try LubanDatabase.cohortProgress(cohortID: cid, curriculum: curriculum, db)
                cohorts[cid] = (curriculum, schedule, progress)
            }
            let cohort = cohorts[cid]!
            guard let tier = cohort.curriculum.tiers.first(where: { $0.id == tierID }) else { continue }
            let hours: [SessionKind: Double]
            let techniques: [String]
            let verdict: TierVerdict
            switch tier.scope {
            case .cohort:
                guard let p = cohort.progress[tid] else {
                    problems.append(
                        Phrase(
                            zh: "证书 \(number)：持证人已不在该期次（已退出或转出）",
                            en: "certificate \(number): its holder is no longer in its cohort (withdrawn or transferred)"))
                    continue
                }
                (hours, techniques) = (p.hours, p.techniquesPassed)
                verdict = Eligibility.cohortTier(tier, progress: p, schedule: cohort.schedule)
            case .cumulative:
                let c = try LubanDatabase.cumulativeProgress(traineeID: tid, curriculum: cohort.curriculum, asOf: issuedOn, db)
                (hours, techniques) = (c.hours, c.techniquesPassed)
                verdict = Eligibility.cumulativeTier(tier, progress: c, tierTitles: cohort.curriculum.tierTitles)
            }
            if !verdict.eligible {
                problems.append(
                    Phrase(zh: "证书 \(number)：按现有记录已不符合其等级（", en: "certificate \(number): the records no longer give its tier (")
                        + .joined(verdict.missing) + Phrase(verbatim: ")"))
            }
            let kept: [SessionKind: Double] = [.classroom: row[5], .field: row[6], .demonstration: row[7]]
            let changed = SessionKind.allCases.filter { abs((hours[$0] ?? 0) - (kept[$0] ?? 0)) > 0.001 }
            if !changed.isEmpty {
                let now = changed.map { "\($0.rawValue) \(Hours.format(hours[$0] ?? 0)) h" }.joined(separator: ", ")
                let then = changed.map { "\($0.rawValue) \(Hours.format(kept[$0] ?? 0)) h" }.joined(separator: ", ")
                problems.append(
                    Phrase(
                        zh: "证书 \(number)：记录现在给出 \(now)，证书上是 \(then)",
                        en: "certificate \(number): the records now give \(now), the certificate says \(then)"))
            }
            let keptTechniques = (row[8] as String).split(separator: "、").map(String.init)
            if Set(techniques) != Set(keptTechniques) {
                problems.append(
                    Phrase(
                        zh: "证书 \(number)：记录现在给出技艺 \(techniques.joined(separator: "、"))，证书上是 \(keptTechniques.joined(separator: "、"))",
                        en:
                            "certificate \(number): the records now give the techniques \(techniques.joined(separator: "、")), the certificate says \(keptTechniques.joined(separator: "、"))"
                    ))
            }
        }
        return problems
    }
}
