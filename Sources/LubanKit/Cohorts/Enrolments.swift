import Foundation
import GRDB

// MARK: - Enrolments: enrolling, withdrawing, transferring

extension LubanDatabase {
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

    /// Enrols trainees (codes or ID numbers) in a cohort; returns how many were new. Someone
    /// already enrolled is neither an error nor a second enrolment. All or none.
    @discardableResult
    public func enroll(cohort code: String, trainees references: [String]) throws(LubanError) -> Int {
        try write("enroll", detail: Phrase(zh: "\(code)：\(references.count) 名学员", en: "\(code): \(references.count) trainees").text()) { db in
            guard let cohort = try Self.cohort(code, db), let cid = cohort.id else { throw LubanError.unknownCohort(code) }
            var added = 0
            var unknown: [String] = []
            for ref in references {
                guard let t = try Self.trainee(ref, db), let tid = t.id else {
                    unknown.append(ref)
                    continue
                }
                added += try Enrolment.enroll(traineeID: tid, cohortID: cid, db) ? 1 : 0
            }
            if let first = unknown.first {
                throw unknown.count == 1
                    ? LubanError.unknownTrainee(first)
                    : LubanError.refused(
                        zh: "没有这些学员：\(unknown.joined(separator: "、"))；未报名任何人",
                        en: "no trainees \(unknown.joined(separator: ", ")); nobody was enrolled")
            }
            return added
        }
    }

    /// Enrols the trainees of a CSV's `trainee` column (or, for a roster, its `id_number`
    /// column) in `cohort`; with no `cohort`, each row names its own in a `cohort` column.
    @discardableResult
    public func enroll(cohort code: String?, csv reader: CSVReader) throws(LubanError) -> ImportResult {
        var cohorts: CohortCache!
        var column = "trainee"
        return try importFile(
            "enroll", cohort: code, reader, required: code == nil ? ["cohort"] : [], optional: ["trainee", "id_number", "cohort"],
            passedOver: ["name", "employer", "craft", "phone"],
            prepare: { db, columns in
                guard columns.has("trainee") || columns.has("id_number") else {
                    throw LubanError.fileRefused(
                        file: reader.name,
                        findings: [
                            Finding(
                                file: reader.name, sheet: reader.sheet, line: 1,
                                message: .headerLacks(["trainee"]))
                        ], total: 1)
                }
                column = columns.has("trainee") ? "trainee" : "id_number"
                cohorts = CohortCache(db: db)
                if let code, try cohorts.cohort(code) == nil { throw LubanError.unknownCohort(code) }
            }
        ) { row, result, _ in
            let ref = row.value(column)
            if ref.isEmpty { return }
            let rowCohort = code ?? row.value("cohort")
            guard let (cohort, _) = try cohorts.cohort(rowCohort) else { throw LubanError.unknownCohort(rowCohort) }
            guard let t = try Self.trainee(ref, row.db), let tid = t.id else {
                throw LubanError.refused(
                    zh: "没有学员“\(excerpt(Mask.reference(ref)))”；请先添加该学员",
                    en: "no trainee '\(excerpt(Mask.reference(ref)))'; add them to the trainees first")
            }
            if try Enrolment.enroll(traineeID: tid, cohortID: cohort.id!, row.db) { result.enrolled += 1 } else { result.unchanged += 1 }
        }
    }

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
            detail: (undo
                ? Phrase(zh: "\(t.code) 回到 \(cohort.code)", en: "\(t.code) back in \(cohort.code)")
                : Phrase(zh: "\(t.code) 于 \(date) 退出 \(cohort.code)：\(reason)", en: "\(t.code) from \(cohort.code) on \(date): \(reason)")).text()
        ) { db in
            if undo {
                guard let current = try Self.enrolment(traineeID: t.id!, cohortID: cohort.id!, db) else {
                    throw LubanError.notEnrolled(trainee: t.code, cohort: cohort.code)
                }
                guard current != nil else {
                    throw LubanError.refused(
                        zh: "学员 \(t.code) 并未退出期次 \(cohort.code)", en: "trainee \(t.code) has not withdrawn from cohort \(cohort.code)")
                }
                try Enrolment.setWithdrawn(nil, nil, cohort.id, t.id, db)
            } else {
                try Enrolment.withdraw(
                    t, from: cohort, on: date, reason: reason.trimmed,
                    before: Phrase(zh: "退出前", en: "before withdrawing them"), db)
            }
            return t
        }
    }

    /// Moves a trainee from one cohort to another on `date`: withdrawn from the first (reason
    /// "转至 …" or "transferred to …", in the clerk's language as a reason typed would be),
    /// enrolled in the second, in one transaction.
    public func transfer(trainee reference: String, from: String, to: String, on date: CalendarDate = .today) throws(LubanError) -> Trainee {
        let source = try cohort(from)
        let target = try cohort(to)
        guard source.id != target.id else {
            throw .refused(
                zh: "转期是从一个期次转到另一个期次；两者都是 \(source.code)", en: "a transfer goes from one cohort to another; both are \(source.code)")
        }
        let t = try trainee(reference)
        let detail = Phrase(
            zh: "\(t.code) 于 \(date) 由 \(source.code) 转至 \(target.code)", en: "\(t.code) from \(source.code) to \(target.code) on \(date)")
        return try write("transfer", detail: detail.text()) { db in
            try Enrolment.withdraw(
                t, from: source, on: date, reason: Phrase(zh: "转至 \(target.code)", en: "transferred to \(target.code)").text(),
                before: Phrase(zh: "转期前", en: "before a transfer"), db)
            _ = try Enrolment.enroll(traineeID: t.id!, cohortID: target.id!, db)
            return t
        }
    }

    static func isEnrolled(traineeID: Int64, cohortID: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM enrolment WHERE cohort_id = ? AND trainee_id = ?)"),
            arguments: [cohortID, traineeID]) ?? false
    }
}

// MARK: - Writing the enrolment table (its owner)

/// The owner of `enrolment`: every write of it (an enrolment, a withdrawal or its undoing, the
/// count of attended sessions the attendance writer keeps) goes through here.
enum Enrolment {
    /// Enrols a trainee in a cohort; false if they already were.
    static func enroll(traineeID: Int64, cohortID: Int64, _ db: Database) throws -> Bool {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO enrolment (cohort_id, trainee_id) VALUES (?, ?)").execute(arguments: [cohortID, traineeID])
        return db.changesCount > 0
    }

    /// Withdraws an enrolled trainee from `cohort` on `date`: refused when they are not enrolled,
    /// already withdrew, or hold a certificate of the cohort (`doing` says what waits for its
    /// revocation, e.g. "before a transfer").
    static func withdraw(_ t: Trainee, from cohort: Cohort, on date: CalendarDate, reason: String, before doing: Phrase, _ db: Database) throws {
        guard let current = try LubanDatabase.enrolment(traineeID: t.id!, cohortID: cohort.id!, db) else {
            throw LubanError.notEnrolled(trainee: t.code, cohort: cohort.code)
        }
        if let on = current { throw LubanError.alreadyWithdrew(t.code, cohort: cohort.code, on: on) }
        if let issued = try LubanDatabase.certificatesIssued(cohortID: cohort.id!, traineeID: t.id!, db).first {
            throw LubanError.restsOn(
                issued,
                zh: "学员 \(t.code) 持有期次 \(cohort.code) 的证书 \(issued)；\(doing.zh)请先撤销该证书",
                en: "trainee \(t.code) holds certificate \(issued) of cohort \(cohort.code); revoke it \(doing.en)")
        }
        try setWithdrawn(date, reason, cohort.id, t.id, db)
    }

    /// Withdraws a trainee on `date` with `reason`, or (both nil) takes the withdrawal back.
    static func setWithdrawn(_ date: CalendarDate?, _ reason: String?, _ cohortID: Int64?, _ traineeID: Int64?, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE enrolment SET withdrawn_on = ?, withdraw_reason = ? WHERE cohort_id = ? AND trainee_id = ?",
            arguments: [date, reason, cohortID, traineeID])
    }

    /// The statements that keep an enrolment's count of attended sessions, for
    /// `AttendanceWriter`'s counters: `at` adds ?3 where the count is exactly ?4; `anyway`
    /// adds ?3 whatever it is (?1 cohort, ?2 trainee).
    static func attendedStatements(_ db: Database) throws -> (at: SQLiteStatement, anyway: SQLiteStatement) {
        (
            try SQLiteStatement(
                db,
                """
                UPDATE enrolment SET attended_sessions = attended_sessions + ?3 WHERE cohort_id = ?1 AND trainee_id = ?2 AND attended_sessions = ?4
                """),
            try SQLiteStatement(db, "UPDATE enrolment SET attended_sessions = attended_sessions + ?3 WHERE cohort_id = ?1 AND trainee_id = ?2")
        )
    }
}
