// MARK: - Eligibility: rules against records

/// A verdict on one tier for one trainee: eligible, or exactly what is missing, in numbers.
public struct TierVerdict: Sendable, Equatable {
    public var tier: Curriculum.Tier
    public var missing: [Phrase]
    public var eligible: Bool { missing.isEmpty }
}

/// Applies a tier's rules. Pure: the same records give the same verdict, and every number in
/// a message can be recomputed from the exported records.
public enum Eligibility {
    /// A cohort tier (e.g. completion) for a trainee's record in one cohort.
    public static func cohortTier(_ tier: Curriculum.Tier, progress p: CohortProgress, schedule: CohortSchedule) -> TierVerdict {
        var missing: [Phrase] = []
        let r = tier.rules
        if let percent = r.classroomHoursPercent {
            let planned = schedule.hours(.classroom)
            let attended = p.hours(.classroom)
            // Exact: hours are quarter hours, so these products are exact in binary.
            if attended * 100 < percent * planned {
                let share = planned > 0 ? attended / planned * 100 : 0
                let (a, pl, sh, pc) = (Hours.format(attended), Hours.format(planned), Self.percent(share), Self.percent(percent))
                missing.append(Phrase(zh: "课堂 \(a) / \(pl) 学时（\(sh) < \(pc)）", en: "classroom \(a) of \(pl) h (\(sh) < \(pc))"))
            }
        }
        if r.allFieldSessions == true {
            for s in p.missedFieldSessions { missing.append(Phrase(zh: "缺实地教学 \(s.label)", en: "missed field session \(s.label)")) }
        }
        if let needed = r.attendedHours, p.attendedHours < needed {
            let (a, n) = (Hours.format(p.attendedHours), Hours.format(needed))
            missing.append(Phrase(zh: "出勤 \(a) / \(n) 学时", en: "attended \(a) of \(n) h"))
        }
        if let needed = r.techniquesPassed, p.techniquesPassed.count < needed {
            let have = p.techniquesPassed.count
            missing.append(Phrase(zh: "通过技艺 \(have) / \(needed) 项", en: "\(have) of \(needed) techniques passed"))
        }
        return TierVerdict(tier: tier, missing: missing)
    }

    /// A cumulative tier (e.g. inheritor) over all of a trainee's cohorts.
    public static func cumulativeTier(_ tier: Curriculum.Tier, progress p: CumulativeProgress, tierTitles: [String: String]) -> TierVerdict {
        var missing: [Phrase] = []
        let r = tier.rules
        if let rule = r.certificates {
            let have = p.certificateCohorts[rule.tier]?.count ?? 0
            if have < rule.count {
                let title = tierTitles[rule.tier] ?? rule.tier
                missing.append(
                    Phrase(
                        zh: "不同期次的\(title) \(have) / \(rule.count) 张",
                        en: "\(have) of \(rule.count) \(rule.tier) certificates (\(title)) from different cohorts"))
            }
        }
        if let needed = r.attendedHours, p.attendedHours < needed {
            let (a, n) = (Hours.format(p.attendedHours), Hours.format(needed))
            missing.append(Phrase(zh: "累计出勤 \(a) / \(n) 学时", en: "attended \(a) of \(n) h in all"))
        }
        if let needed = r.techniquesPassed, p.techniquesPassed.count < needed {
            let have = p.techniquesPassed.count
            missing.append(Phrase(zh: "累计通过技艺 \(have) / \(needed) 项", en: "\(have) of \(needed) techniques passed in all"))
        }
        return TierVerdict(tier: tier, missing: missing)
    }

    static func percent(_ value: Double) -> String {
        let tenths = (value * 10).rounded(.down) / 10
        return Hours.format(tenths) + "%"
    }
}
