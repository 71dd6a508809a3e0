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
        missing += shortOf(r, attendedHours: p.attendedHours, techniques: p.techniquesPassed.count, inAll: false)
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
        missing += shortOf(r, attendedHours: p.attendedHours, techniques: p.techniquesPassed.count, inAll: true)
        return TierVerdict(tier: tier, missing: missing)
    }

    /// What the hours and techniques rules still miss, in one cohort or (`inAll`) over all.
    static func shortOf(_ r: Curriculum.Rules, attendedHours: Double, techniques: Int, inAll: Bool) -> [Phrase] {
        var missing: [Phrase] = []
        let (zhAll, enAll) = inAll ? ("累计", " in all") : ("", "")
        if let needed = r.attendedHours, attendedHours < needed {
            let (a, n) = (Hours.format(attendedHours), Hours.format(needed))
            missing.append(Phrase(zh: "\(zhAll)出勤 \(a) / \(n) 学时", en: "attended \(a) of \(n) h\(enAll)"))
        }
        if let needed = r.techniquesPassed, techniques < needed {
            missing.append(Phrase(zh: "\(zhAll)通过技艺 \(techniques) / \(needed) 项", en: "\(techniques) of \(needed) techniques passed\(enAll)"))
        }
        return missing
    }

    static func percent(_ value: Double) -> String {
        let tenths = (value * 10).rounded(.down) / 10
        return Hours.format(tenths) + "%"
    }
}
