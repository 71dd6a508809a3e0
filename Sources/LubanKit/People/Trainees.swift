import GRDB

// MARK: - Trainees

/// The details of a person, as typed or read from a roster row.
public struct TraineeDetails: Sendable, Equatable {
    public var name: String
    public var idNumber: IDNumber
    public var employer: String?
    public var craft: String?
    public var phone: String?

    public init(name: String, idNumber: IDNumber, employer: String? = nil, craft: String? = nil, phone: String? = nil) {
        self.name = name
        self.idNumber = idNumber
        self.employer = employer?.nilIfBlank
        self.craft = craft?.nilIfBlank
        self.phone = phone?.nilIfBlank
    }

    /// Why these details cannot be stored, or nil; each field is put in its stored form (one
    /// line; a phone number as digits).
    mutating func problem() -> Phrase? {
        if name.trimmed.isEmpty { return .emptyName }
        // A name has letters (Chinese characters are letters): a number in the name column is
        // a column shifted or a cell typed wrong, never a person.
        if !name.contains(where: \.isLetter) {
            return Phrase(
                zh: "姓名“\(excerpt(Visible.cell(name)))”中没有文字；请检查姓名列是否错位",
                en: "the name '\(excerpt(Visible.cell(name)))' has no letters; check that the name column holds names")
        }
        do throws(LubanError) {
            name = try FieldText.oneLine(name, what: "name")
            employer = try employer.map { e throws(LubanError) in try FieldText.oneLine(e, what: "employer") }
            craft = try craft.map { c throws(LubanError) in try FieldText.oneLine(c, what: "craft") }
            if let phone, let p = FieldText.problem(phone, what: "phone") { return p }
        } catch {
            return error.phrase
        }
        if let raw = phone {
            switch FieldText.phone(raw) {
            case .success(let p): phone = p
            case .failure(let p): return p.phrase
            }
        }
        return nil
    }
}

extension LubanDatabase {
    /// Adds a person; an ID number already known is refused, naming its holder.
    @discardableResult
    public func addTrainee(_ given: TraineeDetails) throws(LubanError) -> Trainee {
        var details = given
        guard !details.name.trimmed.isEmpty else {
            throw .invalidValue(what: "name", text: details.name, expected: Phrase(zh: "学员姓名，例如 王建国", en: "the trainee's name, e.g. 王建国"))
        }
        if let problem = details.problem() { throw .refused(problem) }
        return try write("trainee add", detailOf: { (t: Trainee) in t.code }) { db in
            if let holder = try Self.trainee(idNumber: details.idNumber.value, db) {
                throw LubanError.duplicateIDNumber(id: details.idNumber.value, holder: holder.label)
            }
            return try TraineeWriter(db).insert(details)
        }
    }

    static func trainee(idNumber: String, _ db: Database) throws -> Trainee? {
        // The id alone first: a roster import looks up every row, most find no one, and a
        // bare integer costs a fraction of setting up a record fetch.
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM trainee WHERE id_number = ?"), arguments: [idNumber]) else {
            return nil
        }
        return try Trainee.fetchOne(db.cachedStatement(sql: "SELECT * FROM trainee WHERE id = ?"), arguments: [id])
    }

    /// The trainee a user means by `reference`: a code (`T00042`) or an ID number.
    public func trainee(_ reference: String) throws(LubanError) -> Trainee {
        guard let t = try read({ db in try Self.trainee(reference, db) }) else { throw .unknownTrainee(reference) }
        return t
    }

    static func trainee(_ reference: String, _ db: Database) throws -> Trainee? {
        if let rowID = Bytes.traineeCode(Array(reference.utf8)) {
            return try Trainee.fetchOne(db.cachedStatement(sql: "SELECT * FROM trainee WHERE id = ?"), arguments: [rowID])
        }
        return try trainee(idNumber: reference.trimmed.uppercased(), db)
    }

    /// Corrects a trainee's details, with every check `addTrainee` makes. Certificates already
    /// issued keep the name and ID number they were issued with. Each changed field is kept in
    /// the trainee's corrections (ID and phone numbers masked), listed by `trainee show`; the
    /// change log names the fields only, so that erasing the person leaves no value behind.
    @discardableResult
    public func editTrainee(
        _ reference: String, name: String? = nil, idNumber: IDNumber? = nil, employer: String? = nil, craft: String? = nil,
        phone: String? = nil
    ) throws(LubanError) -> (trainee: Trainee, changed: [String]) {
        let before = try trainee(reference)
        if let on = before.forgottenOn {
            throw .refused(
                zh: "\(before.code) 的个人信息已于 \(on) 应本人要求删除；没有可更正的内容",
                en: "\(before.code)'s details were erased on request on \(on); there is nothing to correct")
        }
        let id: IDNumber
        if let idNumber {
            id = idNumber
        } else {
            do { id = try IDNumber(before.idNumber ?? "") } catch { throw .invalidIDNumber(error.phrase) }
        }
        var details = TraineeDetails(
            name: name ?? before.name, idNumber: id, employer: employer ?? before.employer,
            craft: craft ?? before.craft, phone: phone ?? before.phone)
        if let problem = details.problem() { throw .refused(problem) }
        var after = before
        after.name = details.name.trimmed
        after.idNumber = details.idNumber.value
        after.employer = details.employer
        after.craft = details.craft
        after.phone = details.phone
        let fields: [(String, String?, String?, Bool)] = [
            ("name", before.name, after.name, false), ("id_number", before.idNumber, after.idNumber, true),
            ("employer", before.employer, after.employer, false), ("craft", before.craft, after.craft, false),
            ("phone", before.phone, after.phone, true),
        ]
        let changed = fields.filter { $0.1 != $0.2 }
        guard !changed.isEmpty else { throw .nothingToChange(before.code) }
        return try write("trainee edit", detail: "\(before.code): " + Phrase.fieldList(changed.map(\.0))) { db in
            if let newID = after.idNumber, newID != before.idNumber, let holder = try Self.trainee(idNumber: newID, db) {
                throw LubanError.duplicateIDNumber(id: newID, holder: holder.label)
            }
            try Self.correct(before, to: after, user: user, db)
            return (after, changed.map(\.0))
        }
    }

    /// Writes a trainee's corrected details and keeps each changed field in their corrections
    /// (ID and phone numbers masked), in the caller's transaction.
    static func correct(_ before: Trainee, to after: Trainee, user: String, _ db: Database) throws {
        try after.update(db)
        let fields: [(String, String?, String?)] = [
            ("name", before.name, after.name), ("id_number", before.idNumber.map(Mask.idNumber), after.idNumber.map(Mask.idNumber)),
            ("employer", before.employer, after.employer), ("craft", before.craft, after.craft),
            ("phone", before.phone.map(Mask.phone), after.phone.map(Mask.phone)),
        ]
        for (field, old, new) in fields where old != new || (field == "id_number" && before.idNumber != after.idNumber) {
            try db.execute(
                sql: "INSERT INTO trainee_change (trainee_id, at, user, field, before, after) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [before.id, Timestamp.now(), user, field, old ?? "", new ?? ""])
        }
    }

    /// A trainee's corrections, oldest first: when, who, which field, before and after.
    public func traineeChanges(_ reference: String) throws(LubanError) -> [(at: String, user: String, field: String, before: String, after: String)] {
        let t = try trainee(reference)
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT at, user, field, before, after FROM trainee_change WHERE trainee_id = ? ORDER BY id", arguments: [t.id])
                .map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
    }

    /// Removes a trainee added by mistake, while nothing refers to them (no enrolment, mark,
    /// verdict or certificate). Anyone with a record is erased on request instead (`forget`).
    public func removeTrainee(_ reference: String) throws(LubanError) -> Trainee {
        let t = try trainee(reference)
        return try write("trainee remove", detail: t.code) { db in
            for (table, what) in [
                ("enrolment", Phrase(zh: "报名记录", en: "an enrolment")), ("attendance_entry", Phrase(zh: "考勤记录", en: "attendance marks")),
                ("signoff", Phrase(zh: "考核结果", en: "verdicts")), ("certificate", Phrase(zh: "证书", en: "certificates")),
                ("trainee_change", Phrase(zh: "更正记录", en: "corrections")),
            ] {
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE trainee_id = ?)", arguments: [t.id]) == true {
                    throw LubanError.refused(
                        zh: "\(t.code) 已有\(what.zh)，记录须保留；本人要求被遗忘时，应删除其个人信息",
                        en: "\(t.code) has \(what.en), so the record stays; a person who asks to be forgotten is erased instead")
                }
            }
            try db.execute(sql: "DELETE FROM trainee WHERE id = ?", arguments: [t.id])
            return t
        }
    }

    /// The trainees someone may mean by `text`: a code (`T42` too), part of a name, or the last
    /// digits (four or more) of an ID or phone number; by code, at most 200.
    public func findTrainees(_ text: String) throws(LubanError) -> [Trainee] {
        let t = text.trimmed
        guard !t.isEmpty else {
            throw .refused(
                zh: "请说明要找什么：姓名的一部分、编号，或身份证号、电话号码的末几位",
                en: "say what to look for: part of a name, a code, or the last digits of an ID or phone number")
        }
        let suffix = t.uppercased()
        let bySuffix = suffix.count >= 4 && suffix.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "X") }
        let escaped = t.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
            of: "_", with: "\\_")
        return try read { db in
            var found: [Trainee] = []
            if let id = Bytes.traineeCode(Array(t.utf8)), let one = try Trainee.fetchOne(db, key: id) { found.append(one) }
            found += try Trainee.fetchAll(
                db,
                sql: """
                    SELECT * FROM trainee
                    WHERE name LIKE ?1 ESCAPE '\\' OR (?2 AND (id_number LIKE ?3 OR phone LIKE ?3))
                    ORDER BY id LIMIT 200
                    """, arguments: ["%" + escaped + "%", bySuffix, "%" + suffix])
            var seen = Set<Int64>()
            return found.filter { seen.insert($0.id ?? 0).inserted }
        }
    }

    /// Every trainee, by code.
    public func trainees() throws(LubanError) -> [Trainee] {
        try read { db in try Trainee.order(Column("id")).fetchAll(db) }
    }

    // MARK: - Roster import

    /// Imports a roster CSV (`name,id_number` plus optional `employer,craft,phone`), all rows or
    /// none. A known ID number with the same name is not added again: its blank details stay,
    /// its changed employer, craft or phone are updated. With `cohort`, every row's trainee is
    /// also enrolled there, in the same transaction.
    /// Without `update`, a known person whose details differ from the row is refused; with it,
    /// the row corrects them (name included), kept in the trainee's corrections.
    public func importRoster(_ reader: CSVReader, enrollIn cohortCode: String? = nil, update: Bool = false) throws(LubanError) -> ImportResult {
        var cohortID: Int64?
        var writer: TraineeWriter?
        // The line each trainee was first seen on in this file, by row id (not by ID number:
        // a roster of 200,000 people would otherwise hold 200,000 strings).
        var seen = LinesByRowID()
        return try importFile(
            "trainee import", cohort: cohortCode, reader, required: ["name", "id_number"], optional: ["employer", "craft", "phone"],
            passedOver: CSVColumns.rosterPassedOver,
            prepare: { db, _ in
                if let cohortCode {
                    guard let c = try Self.cohort(cohortCode, db) else { throw LubanError.unknownCohort(cohortCode) }
                    cohortID = c.id
                }
                writer = try TraineeWriter(db)
            },
            check: { row throws(LubanError) in
                let name = FieldText.unguarded(row.value("name"))
                if name.isEmpty { throw LubanError.refused(.emptyName) }
                let id: IDNumber
                do throws(IDNumberError) { id = try IDNumber(row.value("id_number")) } catch { throw LubanError.invalidIDNumber(error.phrase) }
                var details = TraineeDetails(
                    name: name, idNumber: id, employer: FieldText.unguarded(row.value("employer")),
                    craft: FieldText.unguarded(row.value("craft")), phone: row.value("phone"))
                if let problem = details.problem() { throw LubanError.refused(problem) }
                return details
            }
        ) { details, row, result, findings in
            guard let writer else { return }
            let line = row.line
            let id = details.idNumber
            // Check against the records (which hold this file's earlier rows too) and write.
            let trainee: Trainee
            if var known = try writer.known(idNumber: id.value, row.db) {
                let inFile = known.id.flatMap { seen[$0] }
                guard known.name == details.name || (update && inFile == nil) else {
                    let masked = Mask.idNumber(id.value)
                    throw LubanError.refused(
                        inFile.map {
                            Phrase(
                                zh: "身份证号 \(masked) 在第 \($0) 行也出现，姓名不同；每人只留一行",
                                en: "ID number \(masked) is also on line \($0) with another name; keep one row per person")
                        }
                            ?? Phrase(
                                zh: "身份证号 \(masked) 属于 \(known.label)，不是 \(details.name)；请核对身份证号，或把名单作为更新导入",
                                en:
                                    "ID number \(masked) belongs to \(known.label), not \(details.name); check the ID number, or import the roster as an update"
                            ))
                }
                let before = known
                if update { known.name = details.name }
                known.employer = details.employer ?? known.employer
                known.craft = details.craft ?? known.craft
                known.phone = details.phone ?? known.phone
                if known != before {
                    if let first = inFile {
                        throw LubanError.refused(
                            zh: "身份证号 \(Mask.idNumber(id.value)) 在第 \(first) 行也出现，信息不同；每人只留一行",
                            en: "ID number \(Mask.idNumber(id.value)) is also on line \(first) with other details; keep one row per person")
                    }
                    guard update else {
                        let fields = [
                            ("employer", before.employer != known.employer), ("craft", before.craft != known.craft),
                            ("phone", before.phone != known.phone),
                        ]
                        let differ = fields.filter(\.1).map(\.0)
                        throw LubanError.refused(
                            zh: "记录中 \(known.code) 的\(differ.map { Phrase.field($0).zh }.joined(separator: "、"))与此行不符；要更正，请把名单作为更新导入",
                            en:
                                "\(known.code)'s \(differ.joined(separator: ", ")) in the records do not match this row; import the roster as an update to correct them"
                        )
                    }
                    if row.mayWrite { try Self.correct(before, to: known, user: user, row.db) }
                    result.recorded += 1
                    result.corrected += 1
                } else {
                    result.unchanged += 1
                }
                trainee = known
            } else {
                guard row.mayWrite else { return }
                trainee = try writer.insert(details)
                result.recorded += 1
            }
            if let tid = trainee.id, seen[tid] == nil { seen[tid] = line }
            if let cohortID, let tid = trainee.id, findings.isEmpty {
                result.enrolled += try Enrolment.enroll(traineeID: tid, cohortID: cohortID, row.db) ? 1 : 0
            }
        }
    }

    /// How a person is added: the lookup of an ID number and the insert, prepared once so that
    /// a roster import runs them for every row at the cost of the statements alone, with codes
    /// assigned from a counter.
    final class TraineeWriter {
        private let lookup: SQLiteStatement
        private let insert: SQLiteStatement
        private var next: Int64

        init(_ db: Database) throws {
            lookup = try SQLiteStatement(db, "SELECT id FROM trainee WHERE id_number = ?")
            insert = try SQLiteStatement(db, "INSERT INTO trainee (id, code, name, id_number, employer, craft, phone) VALUES (?, ?, ?, ?, ?, ?, ?)")
            next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM trainee") ?? 1
        }

        /// The person with `idNumber`, if known.
        func known(idNumber: String, _ db: Database) throws -> Trainee? {
            guard let id = try lookup.firstInt64(idNumber) else { return nil }
            return try Trainee.fetchOne(db.cachedStatement(sql: "SELECT * FROM trainee WHERE id = ?"), arguments: [id])
        }

        func insert(_ details: TraineeDetails) throws -> Trainee {
            let trainee = Trainee(
                id: next, code: Trainee.code(for: next), name: details.name.trimmed,
                idNumber: details.idNumber.value, employer: details.employer, craft: details.craft, phone: details.phone)
            insert.bind(1, next)
            insert.bind(2, trainee.code)
            insert.bind(3, trainee.name)
            insert.bind(4, details.idNumber.value)
            insert.bind(5, orNull: trainee.employer)
            insert.bind(6, orNull: trainee.craft)
            insert.bind(7, orNull: trainee.phone)
            try insert.run()
            next += 1
            return trainee
        }
    }
}

// MARK: - Writing the trainee table (its owner: every write of `trainee` and `trainee_change`)

extension Trainee {
    /// Erases one trainee's details, in the caller's transaction.
    static func erase(traineeID: Int64, on date: CalendarDate, _ db: Database) throws {
        try db.execute(
            sql: """
                UPDATE trainee SET name = ?, id_number = NULL, employer = NULL, craft = NULL, phone = NULL, forgotten_on = ? WHERE id = ?
                """, arguments: [LubanDatabase.erasedName, date, traineeID])
        // Their certificates' holder, and the salt of its digest.
        try Certificate.eraseHolder(traineeID: traineeID, db)
        // And the record of corrections to their details, which holds the details too.
        try db.execute(sql: "DELETE FROM trainee_change WHERE trainee_id = ?", arguments: [traineeID])
    }
}
