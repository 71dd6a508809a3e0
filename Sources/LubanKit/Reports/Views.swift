import GRDB

// MARK: - Listings and detail views

/// The tables and detail texts of the looking commands. Pure: records in, text out.
public enum Views {
    public static func curricula(_ list: [LoadedCurriculum]) -> Table {
        Table(columns: [.init("id", "id"), .init("title", "名称 title"), .init("courses", "课程 courses"),
                        .init("techniques", "技艺 techniques"), .init("tiers", "等级 tiers"), .init("revision", "revision"), .init("loaded_at", "loaded at")],
              rows: list.map { l in
                  [.text(l.curriculum.id), .text(l.curriculum.title), .int(l.curriculum.courses.count), .int(l.curriculum.techniques.count),
                   .text(l.curriculum.tiers.map(\.id).joined(separator: " ")), .int(l.revision), .text(l.loadedAt)]
              })
    }

    public static func curriculum(_ c: Curriculum) -> String {
        var out = "\(c.id): \(c.title)\n"
        if let en = c.titleEn { out += "  \(en)\n" }
        out += "issued by: \(c.organisations.joined(separator: ", "))\ncertificate numbers: \(c.numberPrefix)-YYYY-NNNN-C\n\n"
        out += Table(columns: [.init("code", "code"), .init("title", "课程 course"), .init("kind", "形式 kind"), .init("planned_hours", "planned h")],
                     rows: c.courses.map { [.text($0.code), .text($0.title), .text($0.kind.rawValue), .hours($0.plannedHours)] }).text()
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

    public static func cohorts(_ list: [Cohort], counts: [Int64: (trainees: Int, sessions: Int)]) -> Table {
        Table(columns: [.init("code", "期 code"), .init("title", "名称 title"), .init("start_date", "开始 start"), .init("end_date", "结束 end"),
                        .init("site", "地点 site"), .init("curriculum", "curriculum"), .init("trainees", "学员 trainees"), .init("sessions", "课次 sessions")],
              rows: list.map { c in
                  let n = counts[c.id ?? 0] ?? (0, 0)
                  return [.text(c.code), .text(c.title ?? ""), .text(c.startDate.description), .text(c.endDate.description),
                          .text(c.site), .text(c.curriculumId), .int(n.trainees), .int(n.sessions)]
              })
    }

    public static func trainees(_ list: [Trainee], showID: Bool) -> Table {
        Table(columns: [.init("trainee", "学员 trainee"), .init("name", "姓名 name"), .init("id_number", "身份证号 ID number"),
                        .init("employer", "单位 employer"), .init("craft", "工种 craft"), .init("phone", "电话 phone")],
              rows: list.map { t in
                  [.text(t.code), .text(t.name), .text(t.idNumberShown(showID)), .text(t.employer ?? ""), .text(t.craft ?? ""), .text(t.phoneShown(showID))]
              })
    }

    public static func sessions(_ list: [Session]) -> Table {
        Table(columns: [.init("session", "课次 session"), .init("date", "日期 date"), .init("kind", "形式 kind"), .init("hours", "学时 hours"),
                        .init("course", "课程 course"), .init("site", "地点 site"), .init("expert", "专家 expert"), .init("title", "标题 title")],
              rows: list.map { s in
                  [.int(Int(s.id ?? 0)), .text(s.date.description), .text(s.kind.rawValue), .hours(s.hours), .text(s.course),
                   .text(s.site), .text(s.expert), .text(s.title)]
              })
    }

    /// Per-cohort progress rows (sessions and hours attended by kind, techniques passed).
    public static func progress(_ lines: [(label: String, progress: CohortProgress)], firstColumn: Table.Column) -> Table {
        Table(columns: [firstColumn, .init("classroom_sessions", "课堂 n"), .init("classroom_hours", "课堂 h"),
                        .init("field_sessions", "实地 n"), .init("field_hours", "实地 h"), .init("demonstration_sessions", "演示 n"),
                        .init("demonstration_hours", "演示 h"), .init("techniques", "通过技艺 techniques passed")],
              rows: lines.map { l in
                  let p = l.progress
                  return [.text(l.label), .int(p.sessions(.classroom)), .hours(p.hours(.classroom)), .int(p.sessions(.field)), .hours(p.hours(.field)),
                          .int(p.sessions(.demonstration)), .hours(p.hours(.demonstration)), .text(p.techniquesPassed.joined(separator: "、"))]
              })
    }

    public static func history(_ entries: [(entry: AttendanceEntry, trainee: Trainee)]) -> Table {
        Table(columns: [.init("entry", "entry"), .init("session", "课次 session"), .init("trainee", "学员 trainee"), .init("name", "姓名 name"),
                        .init("status", "考勤 status"), .init("note", "备注 note"), .init("recorded_at", "recorded at"), .init("recorded_by", "recorded by"),
                        .init("source", "来源 source")],
              rows: entries.map { e in
                  [.int(Int(e.entry.id)), .int(Int(e.entry.sessionId)), .text(e.trainee.code), .text(e.trainee.name),
                   .text(e.entry.status.rawValue), .text(e.entry.note), .text(e.entry.recordedAt), .text(e.entry.recordedBy), .text(e.entry.source)]
              })
    }
}

extension Views {
    public static func changes(_ rows: [(id: Int64, at: String, user: String, action: String, detail: String)]) -> Table {
        Table(columns: [.init("id", "id"), .init("at", "时间 at (UTC)"), .init("user", "用户 user"), .init("action", "操作 action"), .init("detail", "内容 detail")],
              rows: rows.map { [.int(Int($0.id)), .text($0.at), .text($0.user), .text($0.action), .text($0.detail)] })
    }
}

// MARK: - Roll-call sheets

/// The sign-in sheet of a session, for paper (text) or for filling in on a laptop or phone (csv).
public enum RollCallSheet {
    /// The sheet as a listing (csv to fill in and read back with `attend --csv`, or json).
    public static func table(session: Session, roster: [Trainee], showID: Bool) -> Table {
        Table(columns: [.init("session", "课次 session"), .init("trainee", "编号 code"), .init("name", "姓名 name"), .init("id_number", "身份证号 ID"),
                        .init("employer", "单位 employer"), .init("status", "考勤 status"), .init("note", "备注 note")],
              rows: roster.map { [.int(Int(session.id ?? 0)), .text($0.code), .text($0.name), .text($0.idNumberShown(showID)),
                                  .text($0.employer ?? ""), .text(""), .text("")] })
    }

    public static func text(session: Session, cohort: Cohort, curriculum: Curriculum, roster: [Trainee], showID: Bool) -> String {
        let course = curriculum.course(session.course)
        var out = "\(Visible.text(curriculum.title))\n"
        out += "签到表 Roll call — 课次 session \(session.id ?? 0)\n"
        out += "期 Cohort:      \(Visible.text(cohort.label)) (\(cohort.startDate) to \(cohort.endDate))\n"
        out += "课程 Session:   \(Visible.text(session.title.nilIfBlank ?? course?.title ?? session.kind.chinese))\n"
        out += "形式 Kind:      \(session.kind.chinese) \(session.kind.rawValue), \(Hours.format(session.hours)) h\n"
        out += "日期 Date:      \(session.date)\n"
        out += "地点 Site:      \(Visible.text(session.site.nilIfBlank ?? cohort.site))\n"
        out += "专家 Expert:    \(Visible.text(session.expert))\n"
        out += "考勤 Status:    出勤 present / 迟到 late / 请假 excused / 缺勤 absent\n\n"
        let blank = String(repeating: "_", count: 8)
        out += Table(columns: [.init("trainee", "编号 code"), .init("name", "姓名 name"), .init("id_number", "身份证号 ID"),
                               .init("employer", "单位 employer"), .init("status", "考勤 status"), .init("signature", "签名 signature")],
                     rows: roster.map { [.text($0.code), .text($0.name), .text($0.idNumberShown(showID)), .text($0.employer ?? ""),
                                         .text(blank), .text(blank + blank)] }).text()
        out += "\n\(roster.count) trainees. Read back with: luban attend --csv FILE (from `luban rollcall \(session.id ?? 0) --format csv`)\n"
        return out
    }
}
