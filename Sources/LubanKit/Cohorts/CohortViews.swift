// MARK: - Listing cohorts and sessions

extension Views {
    public static func cohorts(_ list: [Cohort], counts: [Int64: (trainees: Int, sessions: Int)]) -> Table {
        Table(
            columns: [
                .init("code", "期 code"), .init("title", "名称 title"), .init("start_date", "开始 start"), .init("end_date", "结束 end"),
                .init("site", "地点 site"), .init("curriculum", "方案 curriculum"), .init("trainees", "学员 trainees"), .init("sessions", "课次 sessions"),
            ],
            rows: list.map { c in
                let n = counts[c.id ?? 0] ?? (0, 0)
                return [
                    .text(c.code), .text(c.title ?? ""), .text(c.startDate.description), .text(c.endDate.description),
                    .text(c.site), .text(c.curriculumId), .int(n.trainees), .int(n.sessions),
                ]
            })
    }

    public static func sessions(_ list: [Session]) -> Table {
        Table(
            columns: [
                .init("session", "课次 session"), .init("date", "日期 date"), .init("kind", "形式 kind"), .init("hours", "学时 hours"),
                .init("course", "课程 course"), .init("site", "地点 site"), .init("expert", "专家 expert"), .init("title", "标题 title"),
                .init("cancelled", "取消 cancelled"),
            ],
            rows: list.map { s in
                [
                    .int(Int(s.id ?? 0)), .text(s.date.description), .word(s.kind.rawValue, zh: s.kind.chinese), .hours(s.hours), .text(s.course),
                    .text(s.site), .text(s.expert), .text(s.title),
                    .text(s.cancelledOn.map { "\($0): \(s.cancelReason ?? "")" } ?? ""),
                ]
            })
    }
}
