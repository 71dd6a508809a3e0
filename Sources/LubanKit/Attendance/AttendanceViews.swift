// MARK: - The ledger of a session

extension Views {
    public static func history(_ entries: [(entry: AttendanceEntry, trainee: Trainee)]) -> Table {
        Table(
            columns: [
                .init("entry", "序号 entry"), .init("session", "课次 session"), .init("trainee", "学员 trainee"), .init("name", "姓名 name"),
                .init("status", "考勤 status"), .init("note", "备注 note"), .init("recorded_at", "记录于 recorded at"),
                .init("recorded_by", "记录人 recorded by"),
                .init("source", "来源 source"),
            ],
            rows: entries.map { e in
                [
                    .int(Int(e.entry.id)), .int(Int(e.entry.sessionId)), .text(e.trainee.code), .text(e.trainee.name),
                    .word(e.entry.status?.rawValue ?? "unmarked", zh: e.entry.status?.chinese ?? "撤销（未点名）"), .text(e.entry.note),
                    .time(e.entry.recordedAt),
                    .text(e.entry.recordedBy), .text(e.entry.source),
                ]
            })
    }
}

// MARK: - Roll-call sheets

/// The sign-in sheet of a session, for paper (text) or for filling in on a laptop or phone (csv).
public enum RollCallSheet {
    /// The sheet as a listing (csv to fill in and read back with `attend --csv`, or json).
    public static func table(session: Session, roster: [Trainee], showID: Bool) -> Table {
        Table(
            columns: [
                .init("session", "课次 session"), .init("trainee", "编号 code"), .init("name", "姓名 name"), .init("id_number", "身份证号 ID"),
                .init("employer", "单位 employer"), .init("status", "考勤 status"), .init("note", "备注 note"),
            ],
            rows: roster.map {
                [
                    .int(Int(session.id ?? 0)), .text($0.code), .text($0.name), .text($0.idNumberShown(showID)),
                    .text($0.employer ?? ""), .text(""), .text(""),
                ]
            })
    }

    /// The sheet for paper, in 80 columns (names and employers cut to fit); with `pagesOf`, in
    /// pages of that many rows, each with the header and `第 p / n 页`, for a printer that starts
    /// a new page at each form feed (the pages are returned apart: the caller joins them).
    public static func text(
        session: Session, cohort: Cohort, curriculum: Curriculum, roster: [Trainee], showID: Bool, pagesOf rows: Int? = nil
    ) -> [String] {
        let course = curriculum.course(session.course)
        var header = "\(Visible.text(curriculum.title))\n"
        header += "签到表 Roll call — 课次 session \(session.id ?? 0)\n"
        header += "期 Cohort:      \(Visible.text(cohort.label)) (\(cohort.startDate) to \(cohort.endDate))\n"
        header += "课程 Session:   \(Visible.text(session.title.nilIfBlank ?? course?.title ?? session.kind.chinese))\n"
        header += "形式 Kind:      \(session.kind.chinese) \(session.kind.rawValue), \(Hours.format(session.hours)) h\n"
        header += "日期 Date:      \(session.date)\n"
        header += "地点 Site:      \(Visible.text(session.site.nilIfBlank ?? cohort.site))\n"
        header += "专家 Expert:    \(Visible.text(session.expert))\n"
        header += "考勤 Status:    出勤 present / 迟到 late / 请假 excused / 缺勤 absent\n\n"
        let sorted = roster.sorted { $0.code < $1.code }
        var chunks: [[Trainee]] = []
        let size = max(rows ?? sorted.count, 1)
        var start = 0
        repeat {
            let end = min(start + size, sorted.count)
            chunks.append(Array(sorted[start..<end]))
            start = end
        } while start < sorted.count
        let footer = "\n\(roster.count) trainees. Read back: luban attend --csv FILE (luban rollcall \(session.id ?? 0) --format csv)\n"
        var pages: [String] = []
        for (p, chunk) in chunks.enumerated() {
            var page = header + sheet(chunk, showID: showID)
            if chunks.count > 1 { page += "\n第 \(p + 1) / \(chunks.count) 页  page \(p + 1) of \(chunks.count)\n" }
            if p == chunks.count - 1 { page += footer }
            pages.append(page)
        }
        return pages
    }

    static let signatureLine = String(repeating: "_", count: 14)

    /// The table of a sheet, 80 columns wide: code 9, name 10, ID 18, employer 13, status 6,
    /// signature 14, and two spaces between.
    static func sheet(_ roster: [Trainee], showID: Bool) -> String {
        Table(
            columns: [
                .init("trainee", "编号 code"), .init("name", "姓名 name"), .init("id_number", "身份证号 ID"),
                .init("employer", "单位 employer"), .init("status", "考勤"), .init("signature", "签名 signature"),
            ],
            rows: roster.map { t -> [Cell] in
                let name: String = Visible.text(t.name).truncated(to: 10)
                let employer: String = Visible.text(t.employer ?? "").truncated(to: 13)
                return [.text(t.code), .text(name), .text(t.idNumberShown(showID)), .text(employer), .text("______"), .text(signatureLine)]
            }
        ).text()
    }
}

extension Views {
    /// The grid as a listing: a column per session (`s12`, headed by its date), a status word in
    /// each cell (one Chinese character in `short`, for a screen), the attended count per
    /// trainee, and a last row with the attended count per session.
    public static func grid(_ g: AttendanceGrid, short: Bool) -> Table {
        var columns: [Table.Column] = [.init("trainee", "编号 code"), .init("name", "姓名 name")]
        // A screen's heading is the day and the session (three sessions on one day stay apart).
        columns += g.sessions.map { .init("s\($0.id!)", short ? "\($0.date.description.suffix(5)) #\($0.id!)" : "\($0.date) \($0.id!)") }
        columns += [.init("attended", "出勤 attended"), .init("sessions", "课次 of")]
        func word(_ s: AttendanceStatus?) -> String {
            guard let s else { return short ? "·" : "" }
            return short ? String(s.chinese.prefix(1)) : s.rawValue
        }
        var rows: [[Cell]] = g.rows.map { r in
            let name = r.trainee.name + (r.withdrawnOn.map { Phrase(zh: "（\($0) 退出）", en: " (withdrew \($0))").text() } ?? "")
            return [.text(r.trainee.code), .text(name)]
                + r.statuses.map { s in s.map { short ? .text(word($0)) : .word($0.rawValue, zh: $0.chinese) } ?? .text(word(nil)) }
                + [.int(r.statuses.filter { $0?.isAttended == true }.count), .int(g.sessions.count)]
        }
        let perSession = g.sessions.indices.map { c in g.rows.filter { $0.statuses[c]?.isAttended == true }.count }
        rows.append(
            [.word("total", zh: "合计"), .text("")] + perSession.map { .int($0) } + [
                .int(perSession.reduce(0, +)), .int(g.sessions.count * g.rows.count),
            ])
        return Table(columns: columns, rows: rows)
    }
}
