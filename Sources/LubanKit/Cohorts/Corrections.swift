import Foundation
import GRDB

// MARK: - What an office corrects: a moved session, a cancelled one, a withdrawal

/// What `session edit` changes: each field given replaces the session's.
public struct SessionChange: Sendable, Equatable {
    public var date: CalendarDate?
    public var hours: Double?
    public var kind: SessionKind?
    public var course: String?
    public var site: String?
    public var expert: String?
    public var title: String?

    public init(
        date: CalendarDate? = nil, hours: Double? = nil, kind: SessionKind? = nil, course: String? = nil,
        site: String? = nil, expert: String? = nil, title: String? = nil
    ) {
        self.date = date
        self.hours = hours
        self.kind = kind
        self.course = course
        self.site = site
        self.expert = expert
        self.title = title
    }

    var isEmpty: Bool { self == SessionChange() }
}

extension LubanDatabase {
    static func cancelledMessage(_ session: Int64, _ on: String) -> Phrase {
        Phrase(
            zh: "课次 \(session) 已于 \(on) 取消：不再为它记考勤（已有考勤留在台账中，不计入任何数字）",
            en: "session \(session) was cancelled on \(on): no mark is taken for it (its marks stay in the ledger and count for nothing)")
    }

    static func withdrawnMessage(_ code: String, cohortID: Int64, on: String, _ db: Database) -> Phrase {
        let cohort = ((try? String.fetchOne(db, sql: "SELECT code FROM cohort WHERE id = ?", arguments: [cohortID])) ?? nil) ?? "?"
        return Phrase(
            zh: "学员 \(code) 已于 \(on) 退出期次 \(cohort)：自那天起的课次不再记考勤",
            en: "trainee \(code) withdrew from cohort \(cohort) on \(on): no mark is taken for the sessions from that day")
    }

    /// Whether the trainee is enrolled in the cohort: nil if not; `.some(nil)` if enrolled;
    /// `.some(date)` if withdrawn on that date.
    static func enrolment(traineeID: Int64, cohortID: Int64, _ db: Database) throws -> String?? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT withdrawn_on FROM enrolment WHERE cohort_id = ? AND trainee_id = ?"),
                arguments: [cohortID, traineeID])
        else { return nil }
        return .some(row[0])
    }

    /// The valid certificates that rest on a cohort's records (`CertificateGround`).
    static func certificatesIssued(cohortID: Int64, traineeID: Int64? = nil, _ db: Database) throws -> [String] {
        try CertificateGround.certificates(restingOnCohort: cohortID, trainee: traineeID, db)
    }

    // MARK: Sessions

    /// Edits a session: a moved date, other hours, another kind, course, site, expert or title.
    /// Every figure follows in the same transaction (the session's hours in its year, and each
    /// attendee's attended sessions and hours); the change log keeps each field before → after.
    /// A change of date, hours or kind is refused while the cohort has certificates issued on
    /// its attendance (revoke them first).
    @discardableResult
    public func editSession(_ reference: String, _ change: SessionChange) throws(LubanError) -> (before: Session, after: Session) {
        let before = try session(reference)
        guard !change.isEmpty else {
            throw .refused(
                zh: "请说明要改什么：日期、学时、类别、课程、地点、专家或标题", en: "say what to change: a date, hours, kind, course, site, expert or title")
        }
        let cohort = try cohort(of: before)
        let curriculum = try read { db in try Self.curriculum(ofCohort: cohort.id!, db) }
        let draft = SessionDraft(
            date: change.date ?? before.date, kind: change.kind ?? before.kind, hours: change.hours ?? before.hours,
            course: change.course ?? (change.kind.map { $0 == before.kind } == false ? "" : before.course),
            site: change.site ?? before.site, expert: change.expert ?? before.expert, title: change.title ?? before.title)
        var after = try Self.checked(draft, cohort: cohort, curriculum: curriculum)
        after.id = before.id
        after.cancelledOn = before.cancelledOn
        after.cancelReason = before.cancelReason
        let changed = Self.differences(before, after)
        guard !changed.isEmpty else { throw .nothingToChange("session \(before.id!)") }
        return try write("session edit", detail: "session \(before.id!): " + changed.joined(separator: "; ")) { db in
            try Self.replace(before, with: after, cohort: cohort, db)
            return (before, after)
        }
    }

    /// Writes `after` over `before` (one session), moving the roll-ups, in the caller's
    /// transaction; refused under issued certificates and onto another session's identity.
    static func replace(_ before: Session, with after: Session, cohort: Cohort, _ db: Database) throws {
        let moved = before.date != after.date || before.hours != after.hours || before.kind != after.kind
        if moved, let issued = try certificatesIssued(cohortID: cohort.id!, db).first {
            throw LubanError.refused(
                zh: "期次 \(cohort.code) 已依据其考勤签发证书（\(issued) …）；课次的日期、学时或类别不能在此之下更改：请先撤销这些证书",
                en:
                    "cohort \(cohort.code) has certificates issued on its attendance (\(issued) …); a session's date, hours or kind cannot change under them: revoke them first"
            )
        }
        if let same = try sameSession(after, db), same.id != after.id {
            throw LubanError.refused(
                zh: "期次 \(cohort.code) 已有这一课次（id \(same.id!)）；请换一个标题或地点",
                en: "cohort \(cohort.code) already has that session (id \(same.id!)); give it another title or site")
        }
        if before.cancelledOn == nil { try moveRollUps(from: before, to: after, db) }
        let expert = try expertName(after.expert, add: false, db)
        try db.execute(
            sql: """
                UPDATE session SET date = ?, kind = ?, hours = ?, course = ?, site = ?, expert = ?, title = ?,
                    expert_id = (SELECT id FROM expert WHERE name = ?) WHERE id = ?
                """,
            arguments: [after.date, after.kind, after.hours, after.course, after.site, expert, after.title, expert, after.id])
    }

    /// Cancels (or restores) one session in the caller's transaction.
    static func setCancelled(_ s: Session, cancelled: Bool, on date: CalendarDate, reason: String, cohort: Cohort, _ db: Database) throws {
        if let issued = try certificatesIssued(cohortID: cohort.id!, db).first {
            throw LubanError.refused(
                zh: "期次 \(cohort.code) 已依据其考勤签发证书（\(issued) …）；其课次不能在此之下取消或恢复：请先撤销这些证书",
                en:
                    "cohort \(cohort.code) has certificates issued on its attendance (\(issued) …); its sessions cannot be cancelled or restored under them: revoke them first"
            )
        }
        try moveRollUps(from: cancelled ? s : nil, to: cancelled ? nil : s, db)
        try db.execute(
            sql: "UPDATE session SET cancelled_on = ?, cancel_reason = ? WHERE id = ?",
            arguments: [cancelled ? date : nil, cancelled ? reason.trimmed : nil, s.id])
    }

    /// Cancels a session (or, `undo`, restores it): it stays, with its marks, and counts for
    /// nothing; sheets, rules and totals leave it out, in the same transaction.
    @discardableResult
    public func cancelSession(_ reference: String, reason: String, on date: CalendarDate = .today, undo: Bool = false) throws(LubanError) -> Session {
        let s = try session(reference)
        let cohort = try cohort(of: s)
        if !undo {
            guard s.cancelledOn == nil else {
                throw .refused(
                    zh: "课次 \(s.id!) 已于 \(s.cancelledOn!) 取消（\(s.cancelReason ?? "")）",
                    en: "session \(s.id!) was already cancelled on \(s.cancelledOn!) (\(s.cancelReason ?? ""))")
            }
            guard !reason.trimmed.isEmpty else {
                throw .invalidValue(
                    what: "reason", text: reason,
                    expected: Phrase(zh: "取消原因，例如“改到 14 日”", en: "why the session is cancelled, e.g. \"moved to the 14th\""))
            }
            try FieldText.check(reason, what: "reason")
        } else {
            guard s.cancelledOn != nil else { throw .refused(zh: "课次 \(s.id!) 未被取消", en: "session \(s.id!) is not cancelled") }
        }
        let detail = undo ? "session \(s.id!) restored (was cancelled on \(s.cancelledOn!))" : "session \(s.id!) cancelled: \(reason)"
        return try write(undo ? "session restore" : "session cancel", detail: detail) { db in
            try Self.setCancelled(s, cancelled: !undo, on: date, reason: reason, cohort: cohort, db)
            return try Session.fetchOne(db, key: s.id)!
        }
    }

    /// The fields that differ, as the log shows them: `date 2014-04-12 → 2014-04-14`.
    static func differences(_ a: Session, _ b: Session) -> [String] {
        var out: [String] = []
        func note(_ name: String, _ x: String, _ y: String) { if x != y { out.append("\(name) \(x.isEmpty ? "''" : x) → \(y.isEmpty ? "''" : y)") } }
        note("date", a.date.description, b.date.description)
        note("kind", a.kind.rawValue, b.kind.rawValue)
        note("hours", Hours.format(a.hours), Hours.format(b.hours))
        note("course", a.course, b.course)
        note("site", a.site, b.site)
        note("expert", a.expert, b.expert)
        note("title", a.title, b.title)
        return out
    }

    /// Takes a session's contribution out of the roll-ups as it was (`from`) and puts it back
    /// as it is (`to`); nil is "not counted" (cancelled). Its year's sessions and hours, and each
    /// attendee's attended sessions and hours, move as if the session had been entered anew.
    static func moveRollUps(from old: Session?, to new: Session?, _ db: Database) throws {
        func sessionTotals(_ s: Session, _ sign: Int) throws {
            let year = s.date.year
            let hours = Double(sign) * s.hours
            try db.execute(sql: "INSERT INTO yearly_totals (year) VALUES (?) ON CONFLICT DO NOTHING", arguments: [year])
            try db.execute(
                sql: """
                    UPDATE yearly_totals SET sessions = sessions + ?, classroom_hours = classroom_hours + ?,
                        field_hours = field_hours + ?, demonstration_hours = demonstration_hours + ? WHERE year = ?
                    """,
                arguments: [sign, s.kind == .classroom ? hours : 0, s.kind == .field ? hours : 0, s.kind == .demonstration ? hours : 0, year])
        }
        func facts(_ s: Session) -> SessionFacts {
            SessionFacts(id: s.id!, cohortID: s.cohortId, year: s.date.year, hours: s.hours, date: s.date.description)
        }
        guard let id = old?.id ?? new?.id else { return }
        let attendees = try Int64.fetchAll(
            db, sql: "SELECT trainee_id FROM attendance WHERE session_id = ? AND (status = 'present' OR status = 'late')", arguments: [id])
        var writer = try AttendanceWriter(db: db, user: "", source: "")
        if let old {
            try sessionTotals(old, -1)
            for t in attendees { try writer.shift(facts(old), trainee: t, by: -1) }
        }
        if let new {
            try sessionTotals(new, +1)
            for t in attendees { try writer.shift(facts(new), trainee: t, by: +1) }
        }
        try writer.finish()
    }

    // MARK: Enrolments

    /// Withdraws a trainee from a cohort on `date` (or, `undo`, takes the withdrawal back): off
    /// the roll-call sheets of the sessions from that day, off the cohort's eligibility and
    /// certificates; what they attended before stays counted. Refused while they hold a
    /// certificate of that cohort.
    public func withdraw(
        cohort code: String, trainee reference: String, reason: String, on date: CalendarDate = .today,
        undo: Bool = false
    ) throws(LubanError) -> Trainee {
        let cohort = try cohort(code)
        let t = try trainee(reference)
        if !undo {
            guard !reason.trimmed.isEmpty else {
                throw .invalidValue(
                    what: "reason", text: reason, expected: Phrase(zh: "退出原因，例如“调往外地”", en: "why the trainee leaves, e.g. \"moved away\""))
            }
            try FieldText.check(reason, what: "reason")
        }
        return try write(
            undo ? "withdraw undo" : "withdraw",
            detail: "\(t.code) \(undo ? "back in" : "from") \(cohort.code)\(undo ? "" : " on \(date): \(reason)")"
        ) { db in
            guard let current = try Self.enrolment(traineeID: t.id!, cohortID: cohort.id!, db) else {
                throw LubanError.notEnrolled(trainee: t.code, cohort: cohort.code)
            }
            if undo {
                guard current != nil else {
                    throw LubanError.refused(
                        zh: "学员 \(t.code) 并未退出期次 \(cohort.code)", en: "trainee \(t.code) has not withdrawn from cohort \(cohort.code)")
                }
            } else {
                if let on = current { throw LubanError.alreadyWithdrew(t.code, cohort: cohort.code, on: on) }
                if let issued = try Self.certificatesIssued(cohortID: cohort.id!, traineeID: t.id!, db).first {
                    throw LubanError.refused(
                        zh: "学员 \(t.code) 持有期次 \(cohort.code) 的证书 \(issued)；退出前请先撤销该证书",
                        en: "trainee \(t.code) holds certificate \(issued) of cohort \(cohort.code); revoke it before withdrawing them")
                }
            }
            try db.execute(
                sql: "UPDATE enrolment SET withdrawn_on = ?, withdraw_reason = ? WHERE cohort_id = ? AND trainee_id = ?",
                arguments: [undo ? nil : date, undo ? nil : reason.trimmed, cohort.id, t.id])
            return t
        }
    }

    /// Moves a trainee from one cohort to another on `date`: withdrawn from the first (reason
    /// "transferred to …"), enrolled in the second, in one transaction.
    public func transfer(trainee reference: String, from: String, to: String, on date: CalendarDate = .today) throws(LubanError) -> Trainee {
        let source = try cohort(from)
        let target = try cohort(to)
        guard source.id != target.id else {
            throw .refused(
                zh: "转期是从一个期次转到另一个期次；两者都是 \(source.code)", en: "a transfer goes from one cohort to another; both are \(source.code)")
        }
        let t = try trainee(reference)
        return try write("transfer", detail: "\(t.code) from \(source.code) to \(target.code) on \(date)") { db in
            guard let current = try Self.enrolment(traineeID: t.id!, cohortID: source.id!, db) else {
                throw LubanError.notEnrolled(trainee: t.code, cohort: source.code)
            }
            if let on = current { throw LubanError.alreadyWithdrew(t.code, cohort: source.code, on: on) }
            if let issued = try Self.certificatesIssued(cohortID: source.id!, traineeID: t.id!, db).first {
                throw LubanError.refused(
                    zh: "学员 \(t.code) 持有期次 \(source.code) 的证书 \(issued)；转期前请先撤销该证书",
                    en: "trainee \(t.code) holds certificate \(issued) of cohort \(source.code); revoke it before a transfer")
            }
            try db.execute(
                sql: "UPDATE enrolment SET withdrawn_on = ?, withdraw_reason = ? WHERE cohort_id = ? AND trainee_id = ?",
                arguments: [date, "transferred to \(target.code)", source.id, t.id])
            _ = try Self.enroll(traineeID: t.id!, cohortID: target.id!, db)
            return t
        }
    }
}

// MARK: - A cohort's schedule made equal to a file

/// What making a cohort's schedule equal to a schedule file does: sessions added, moved or
/// otherwise edited, cancelled (scheduled, not in the file) and restored (cancelled, in the file
/// again). Nothing is ever deleted: a session with marks keeps them.
public struct SchedulePlan: Sendable {
    public var add: [Session] = []
    public var edit: [(before: Session, after: Session)] = []
    public var cancel: [Session] = []
    public var restore: [(before: Session, after: Session)] = []
    public var unchanged = 0

    public var isEmpty: Bool { add.isEmpty && edit.isEmpty && cancel.isEmpty && restore.isEmpty }

    /// One line per change, as a person checks them before saying yes.
    /// The verbs lead in English in both languages (a script may read them); Chinese follows.
    public var lines: [String] {
        let zh = Language.current == .zh
        let (addWord, editWord, restoreWord, cancelWord) =
            zh ? ("add 新增", "edit 修改", "restore 恢复", "cancel 取消") : ("add    ", "edit   ", "restore", "cancel ")
        let session = zh ? "课次" : "session"
        return add.map { "\(addWord) \($0.date) \($0.kind.rawValue) \(Hours.format($0.hours)) h \($0.title.isEmpty ? $0.site : $0.title)" }
            + edit.map { "\(editWord) \(session) \($0.before.id!): \(LubanDatabase.differences($0.before, $0.after).joined(separator: "; "))" }
            + restore.map { "\(restoreWord) \(session) \($0.before.id!) (\($0.before.date) \($0.before.kind.rawValue))" }
            + cancel.map { "\(cancelWord) \(session) \($0.id!) (\($0.date) \($0.kind.rawValue) \($0.title.isEmpty ? $0.site : $0.title))" }
    }
}

extension LubanDatabase {
    /// Reads a cohort's schedule file (`date,kind,hours` plus optional `course,site,expert,title`),
    /// every row checked as an import checks it, and says what making the cohort's schedule
    /// equal to it would do. A row matches a session of the same date, kind, course, site and
    /// title; a row that matches none but differs from an unmatched session only by its date
    /// (and hours or expert) moves that session; other rows are new; sessions no row matches are
    /// cancelled.
    public func planSchedule(cohort code: String, _ reader: CSVReader, addExperts: Bool = false) throws(LubanError) -> SchedulePlan {
        let cohort = try cohort(code)
        let curriculum = try read { db in try Self.curriculum(ofCohort: cohort.id!, db) }
        let columns = try CSVColumns(reader: reader, required: ["date", "kind", "hours"], optional: ["course", "site", "expert", "title"])
        var findings = Findings(reader)
        var rows: [(line: Int, session: Session)] = []
        while try reader.next() {
            let line = reader.line
            do throws(LubanError) {
                let draft = try SessionDraft { column throws(LubanError) in try reader.value(column, in: columns) }
                var s = try Self.checked(draft, cohort: cohort, curriculum: curriculum)
                if !addExperts { s.expert = try read { db in try Self.expertName(s.expert, add: false, db) } }
                if let twin = rows.first(where: { Self.sameIdentity($0.session, s) }) {
                    findings.add(
                        line, Phrase(zh: "该课次也在第 \(twin.line) 行；每个课次只留一行", en: "this session is also on line \(twin.line); keep one row per session"))
                    continue
                }
                rows.append((line, s))
            } catch {
                if case .fileRefused = error { throw error }
                findings.add(line, error.phrase)
            }
        }
        try findings.throwIfAny()
        var existing = try read { db in
            try Session.fetchAll(db, sql: "SELECT * FROM session WHERE cohort_id = ? ORDER BY date, id", arguments: [cohort.id])
        }
        var plan = SchedulePlan()
        var unmatched: [Session] = []
        for (_, s) in rows {
            guard let i = existing.firstIndex(where: { Self.sameIdentity($0, s) }) else {
                unmatched.append(s)
                continue
            }
            let before = existing.remove(at: i)
            var after = s
            after.id = before.id
            after.cancelledOn = nil
            after.cancelReason = nil
            if before.cancelledOn != nil {
                plan.restore.append((before, after))
            } else if !Self.differences(before, after).isEmpty {
                plan.edit.append((before, after))
            } else {
                plan.unchanged += 1
            }
        }
        for s in unmatched {
            // A moved session: same kind, course, site and title, another date; the nearest one.
            let candidates = existing.enumerated().filter {
                $0.element.cancelledOn == nil && $0.element.kind == s.kind && $0.element.course == s.course
                    && $0.element.site == s.site && $0.element.title == s.title
            }
            if let (i, before) = candidates.min(by: {
                abs($0.element.date.dayNumber - s.date.dayNumber) < abs($1.element.date.dayNumber - s.date.dayNumber)
            }) {
                existing.remove(at: i)
                var after = s
                after.id = before.id
                plan.edit.append((before, after))
            } else {
                plan.add.append(s)
            }
        }
        plan.cancel = existing.filter { $0.cancelledOn == nil }
        return plan
    }

    /// Makes a cohort's schedule what `plan` says, in one transaction; each change is logged.
    public func applySchedule(cohort code: String, _ plan: SchedulePlan, file: String, addExperts: Bool = false) throws(LubanError) {
        let cohort = try cohort(code)
        let summary =
            "\(cohort.code): \(file): \(plan.add.count) added, \(plan.edit.count) edited, \(plan.restore.count) restored, \(plan.cancel.count) cancelled"
        try write("session import --replace", detail: summary) { db in
            if addExperts {
                for s in plan.add + plan.edit.map(\.after) + plan.restore.map(\.after) { _ = try Self.expertName(s.expert, add: true, db) }
            }
            for (before, after) in plan.edit { try Self.replace(before, with: after, cohort: cohort, db) }
            for (before, after) in plan.restore {
                try Self.setCancelled(before, cancelled: false, on: .today, reason: "", cohort: cohort, db)
                var restored = before
                restored.cancelledOn = nil
                if !Self.differences(restored, after).isEmpty { try Self.replace(restored, with: after, cohort: cohort, db) }
            }
            for s in plan.cancel {
                try Self.setCancelled(
                    s, cancelled: true, on: .today, reason: "not in the schedule \((file as NSString).lastPathComponent)", cohort: cohort, db)
            }
            let writer = try SessionWriter(db)
            for s in plan.add { _ = try writer.insert(s) }
        }
    }

    static func sameIdentity(_ a: Session, _ b: Session) -> Bool {
        a.date == b.date && a.kind == b.kind && a.course == b.course && a.site == b.site && a.title == b.title
    }
}
