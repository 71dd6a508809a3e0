// MARK: - Progress in a cohort

extension Views {
    /// Per-cohort progress rows (sessions and hours attended by kind, techniques passed).
    public static func progress(_ lines: [(label: String, progress: CohortProgress)], firstColumn: Table.Column) -> Table {
        Table(
            columns: [
                firstColumn, .init("classroom_sessions", "课堂 n"), .init("classroom_hours", "课堂 h"),
                .init("field_sessions", "实地 n"), .init("field_hours", "实地 h"), .init("demonstration_sessions", "演示 n"),
                .init("demonstration_hours", "演示 h"), .init("techniques", "通过技艺 techniques passed"),
            ],
            rows: lines.map { l in
                let p = l.progress
                return [
                    .text(l.label), .int(p.sessions(.classroom)), .hours(p.hours(.classroom)), .int(p.sessions(.field)), .hours(p.hours(.field)),
                    .int(p.sessions(.demonstration)), .hours(p.hours(.demonstration)), .text(p.techniquesPassed.joined(separator: "、")),
                ]
            })
    }
}
