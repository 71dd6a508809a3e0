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
        out += "issued by: \(c.organisations.joined(separator: ", "))\ncertificate numbers: \(c.numberPrefix)-YYYY-NNNN-C\n\n"
        out += Table(
            columns: [.init("code", "编号 code"), .init("title", "课程 course"), .init("kind", "形式 kind"), .init("planned_hours", "计划学时 planned h")],
            rows: c.courses.map { [.text($0.code), .text($0.title), .word($0.kind.rawValue, zh: $0.kind.chinese), .hours($0.plannedHours)] }
        ).text()
        out += "\ntechniques: \(c.techniques.joined(separator: "、"))\n\ntiers:\n"
        for t in c.tiers {
            out += "- \(t.id) \(t.title) (\(t.scope.rawValue)):"
            var rules: [String] = []
            if let p = t.rules.classroomHoursPercent { rules.append("at least \(Hours.format(p))% of classroom hours") }
            if t.rules.allFieldSessions == true { rules.append("every field session") }
            if let h = t.rules.attendedHours { rules.append("at least \(Hours.format(h)) h attended") }
            if let n = t.rules.techniquesPassed { rules.append("at least \(n) techniques passed") }
            if let c = t.rules.certificates { rules.append("at least \(c.count) \(c.tier) certificates from different cohorts") }
            out += " " + rules.joined(separator: "; ") + "\n"
        }
        return out
    }
}
