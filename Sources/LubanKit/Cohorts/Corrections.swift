import Foundation
import GRDB

// MARK: - What an office corrects: a moved session, a cancelled one

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
        return try write(
            "session edit", detail: Phrase(zh: "课次 \(before.id!)：", en: "session \(before.id!): ").text() + changed.joined(separator: "; ")
        ) {
            db in
            try Self.replace(before, with: after, cohort: cohort, db)
            return (before, after)
        }
    }

    /// Cancels a session (or, `undo`, restores it): it stays, with its marks, and counts for
    /// nothing; sheets, rules and totals leave it out, in the same transaction.
    @discardableResult
    public func cancelSession(_ reference: String, reason: String, on date: CalendarDate = .today, undo: Bool = false) throws(LubanError) -> Session {
        let s = try session(reference)
        let cohort = try cohort(of: s)
        if !undo {
            guard s.cancelledOn == nil else {
                throw .conflict(
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
        let detail =
            (undo
            ? Phrase(zh: "课次 \(s.id!) 已恢复（原于 \(s.cancelledOn!) 取消）", en: "session \(s.id!) restored (was cancelled on \(s.cancelledOn!))")
            : Phrase(zh: "课次 \(s.id!) 已取消：\(reason)", en: "session \(s.id!) cancelled: \(reason)")).text()
        return try write(undo ? "session restore" : "session cancel", detail: detail) { db in
            try Self.setCancelled(s, cancelled: !undo, on: date, reason: reason, cohort: cohort, db)
            return try Session.fetchOne(db, key: s.id)!
        }
    }

    /// The fields that differ, as the log shows them: `date 2014-04-12 → 2014-04-14`.
    static func differences(_ a: Session, _ b: Session) -> [String] {
        var out: [String] = []
        // The field's name as the reader reads it (the log and a plan are read by people).
        let zh = Language.current == .zh
        func note(_ name: String, _ x: String, _ y: String) {
            if x != y { out.append("\(zh ? Phrase.fieldNames[name] ?? name : name) \(x.isEmpty ? "''" : x) → \(y.isEmpty ? "''" : y)") }
        }
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
            let hours = Double(sign) * s.hours
            try YearlyTotals.addSessions(
                year: s.date.year, sessions: sign, classroom: s.kind == .classroom ? hours : 0, field: s.kind == .field ? hours : 0,
                demonstration: s.kind == .demonstration ? hours : 0, db)
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
    /// title; then a row left over matches a session left over of the same date and kind (its
    /// title, course, site, expert or hours corrected); then one that differs from a session
    /// left over only by its date (and hours or expert) moves that session; other rows are new;
    /// sessions no row matches are cancelled.
    public func planSchedule(cohort code: String, _ reader: CSVReader, addExperts: Bool = false) throws(LubanError) -> SchedulePlan {
        let cohort = try cohort(code)
        let curriculum = try read { db in try Self.curriculum(ofCohort: cohort.id!, db) }
        let columns = try CSVColumns(
            reader: reader, required: ["date", "kind", "hours"], optional: ["course", "site", "expert", "title"], passedOver: Session.listingColumns)
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
        // The same date and kind: the same session, its other fields (title, course, site,
        // expert, hours) corrected, as when a first import had left its titles or experts out.
        // Several on one date and kind are paired in order, the file's with the schedule's; a
        // cancelled session is matched only by its whole identity (above).
        var unpaired: [Session] = []
        for s in unmatched {
            if let i = existing.firstIndex(where: { $0.cancelledOn == nil && $0.date == s.date && $0.kind == s.kind }) {
                let before = existing.remove(at: i)
                var after = s
                after.id = before.id
                plan.edit.append((before, after))
            } else {
                unpaired.append(s)
            }
        }
        for s in unpaired {
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
        let summary = Phrase(
            zh: "\(cohort.code)：\(file)：新增 \(plan.add.count)，修改 \(plan.edit.count)，恢复 \(plan.restore.count)，取消 \(plan.cancel.count)",
            en:
                "\(cohort.code): \(file): \(plan.add.count) added, \(plan.edit.count) edited, \(plan.restore.count) restored, \(plan.cancel.count) cancelled"
        ).text()
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
