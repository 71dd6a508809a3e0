// MARK: - Listing curricula

extension Views {
    public static func curricula(_ list: [LoadedCurriculum]) -> Table {
        Table(
            columns: [
                .init("id", "编号 id"), .init("title", "名称 title"), .init("courses", "课程 courses"),
                .init("techniques", "技艺 techniques"), .init("tiers", "等级 tiers"), .init("revision", "版本 revision"),
                .init("loaded_at", "载入于 loaded at"),
            ],
            rows: list.map { l in
                [
                    .text(l.curriculum.id), .text(l.curriculum.title), .int(l.curriculum.courses.count), .int(l.curriculum.techniques.count),
                    .text(l.curriculum.tiers.map(\.id).joined(separator: " ")), .int(l.revision), .time(l.loadedAt),
                ]
            })
    }

    public static func curriculum(_ c: Curriculum) -> String {
        var out = "\(c.id): \(c.title)\n"
        if let en = c.titleEn { out += "  \(en)\n" }
        out += Phrase(zh: "颁发单位：", en: "issued by: ").text() + c.organisations.joined(separator: "、") + "\n"
        out += Phrase(zh: "证书编号：", en: "certificate numbers: ").text() + "\(c.numberPrefix)-YYYY-NNNN-C\n\n"
        out += Table(
            columns: [.init("code", "编号 code"), .init("title", "课程 course"), .init("kind", "形式 kind"), .init("planned_hours", "计划学时 planned h")],
            rows: c.courses.map { [.text($0.code), .text($0.title), .word($0.kind.rawValue, zh: $0.kind.chinese), .hours($0.plannedHours)] }
        ).text()
        out += "\n" + Phrase(zh: "技艺：", en: "techniques: ").text() + c.techniques.joined(separator: "、") + "\n\n"
        out += Phrase(zh: "证书等级：", en: "tiers:").text() + "\n"
        let titles = c.tierTitles
        for t in c.tiers {
            let scope = t.scope == .cumulative ? Phrase(zh: "累计", en: "cumulative") : Phrase(zh: "本期", en: "cohort")
            out += "- \(t.id) \(t.title)（\(scope.text())）："
            var rules: [Phrase] = []
            if let p = t.rules.classroomHoursPercent {
                rules.append(Phrase(zh: "课堂学时至少 \(Hours.format(p))%", en: "at least \(Hours.format(p))% of classroom hours"))
            }
            if t.rules.allFieldSessions == true { rules.append(Phrase(zh: "每次实地教学均出勤", en: "every field session")) }
            if let h = t.rules.attendedHours {
                rules.append(Phrase(zh: "累计出勤至少 \(Hours.format(h)) 学时", en: "at least \(Hours.format(h)) h attended"))
            }
            if let n = t.rules.techniquesPassed { rules.append(Phrase(zh: "至少 \(n) 项技艺考核通过", en: "at least \(n) techniques passed")) }
            if let c = t.rules.certificates {
                let tier = titles[c.tier] ?? c.tier
                rules.append(
                    Phrase(zh: "至少 \(c.count) 张不同期次的\(tier)", en: "at least \(c.count) \(c.tier) certificates from different cohorts"))
            }
            out += rules.map { $0.text() }.joined(separator: Phrase(zh: "；", en: "; ").text()) + "\n"
        }
        return out
    }
}
