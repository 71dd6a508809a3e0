import Foundation
import LubanKit

// MARK: - Applying a centre's bundle

/// What became of one bundle at HQ.
public enum Verdict: Sendable, Equatable {
    /// Applied in one transaction: its records.
    case applied(office: String, number: Int, records: Int)
    /// HQ has this very bundle already: nothing changed.
    case alreadyApplied(office: String, number: Int)
    /// A bundle before it is missing: nothing changed.
    case outOfOrder(office: String, number: Int, missing: Int)
    /// HQ has another bundle under this number (or this one follows another chain).
    case conflict(office: String, number: Int, reason: Phrase)
    /// Not a bundle HQ takes: its signature, key, version or form.
    case refused(reason: Phrase)

    /// Whether HQ holds the bundle now (applied, or had it already).
    public var holds: Bool {
        switch self {
        case .applied, .alreadyApplied: return true
        default: return false
        }
    }

    /// One line: the verdict's word, then what it is about.
    public var line: String {
        switch self {
        case .applied(let o, let n, let r):
            return Phrase(zh: "已应用 applied: \(o) 第 \(n) 号，\(r) 条记录", en: "applied: \(o) \(n), \(r) records").text()
        case .alreadyApplied(let o, let n):
            return Phrase(zh: "已应用过 already applied: \(o) 第 \(n) 号，无变化", en: "already applied: \(o) \(n), nothing changed").text()
        case .outOfOrder(let o, let n, let m):
            return Phrase(
                zh: "顺序不对 out of order: \(o) 第 \(n) 号，缺第 \(m) 号：请先应用它（luban publish --again \(m) 可在中心重新写出）",
                en: "out of order: \(o) \(n); bundle \(m) is missing: apply it first (luban publish --again \(m) writes it again at the centre)"
            ).text()
        case .conflict(let o, let n, let reason):
            return Phrase(zh: "冲突 conflict: \(o) 第 \(n) 号：", en: "conflict: \(o) \(n): ").text() + reason.text()
        case .refused(let reason):
            return Phrase(zh: "拒收 refused: ", en: "refused: ").text() + reason.text()
        }
    }
}

/// A bundle's records on their way to PostgreSQL, a run of one kind at a time: each run one
/// `COPY`, straight into the kind's table (`direct`: HQ holds none of the centre's rows of it),
/// or into a temporary table merged over what HQ has when the run ends.
struct Runs {
    let pg: Postgres
    let office: String
    /// HQ holds nothing of the centre yet (its first bundle).
    let fresh: Bool
    private let prefix: [UInt8]
    private var kind: BundleRecord.Kind?
    private var rows: Postgres.CopyRows?
    private var direct = false

    init(pg: Postgres, office: String, fresh: Bool) {
        self.pg = pg
        self.office = office
        self.fresh = fresh
        var prefix: [UInt8] = []
        copyField(office, into: &prefix)
        self.prefix = prefix
    }

    /// A record's row (`Headquarters.rowFields`: `removed` first, then the table's columns
    /// after `office`).
    mutating func add(_ kind: BundleRecord.Kind, _ fields: [String?]) throws(LubanError) {
        let rows = try open(kind)
        if direct {
            rows.buffer += prefix
            for field in fields.dropFirst() {
                rows.buffer.append(9)
                copyField(field, into: &rows.buffer)
            }
        } else {
            for (i, field) in fields.enumerated() {
                if i > 0 { rows.buffer.append(9) }
                copyField(field, into: &rows.buffer)
            }
        }
        try rows.endRow()
    }

    /// A mark's row: session, trainee, entry, status (after `office` when direct).
    mutating func add(_ mark: BundleMark) throws(LubanError) {
        let rows = try open(.mark)
        if direct {
            rows.buffer += prefix
            rows.buffer.append(9)
        }
        rows.buffer.appendDecimal(mark.session)
        rows.buffer.append(9)
        rows.buffer.appendDecimal(mark.trainee)
        rows.buffer.append(9)
        rows.buffer.appendDecimal(mark.entry)
        rows.buffer.append(9)
        rows.buffer.appendDecimal(Int64(mark.status))
        try rows.endRow()
    }

    private mutating func open(_ kind: BundleRecord.Kind) throws(LubanError) -> Postgres.CopyRows {
        if self.kind == kind, let rows { return rows }
        try finish()
        if kind == .mark {
            let held = fresh ? [] : try pg.execute("SELECT 1 FROM mark WHERE office = $1 LIMIT 1", [office])
            direct = held.isEmpty
        } else {
            direct = fresh
        }
        if !direct { try pg.execute("CREATE TEMPORARY TABLE incoming (\(Headquarters.incoming[kind]!)) ON COMMIT DROP") }
        let table = kind == .mark ? "mark (office, session_id, trainee_id, entry, status)" : kind.rawValue
        let rows = try pg.beginCopy("COPY \(direct ? table : "incoming") FROM STDIN")
        self.kind = kind
        self.rows = rows
        return rows
    }

    /// Ends the open run: its COPY, then its merge.
    mutating func finish() throws(LubanError) {
        guard let kind, let rows else { return }
        self.kind = nil
        self.rows = nil
        try rows.end()
        if !direct {
            for sql in Headquarters.merge[kind]! { try pg.execute(sql, [office]) }
            try pg.execute("DROP TABLE incoming")
        }
    }

    /// Ends the open COPY as failed, before the transaction is rolled back.
    mutating func abandon() {
        rows?.abandon()
        kind = nil
        rows = nil
    }
}

extension Headquarters {
    /// Checks a bundle's file and applies it in one transaction, or changes nothing.
    public func apply(_ file: [UInt8]) throws(LubanError) -> Verdict {
        // Marks out of the table's key order (an older luban's bundle holds every ledger entry,
        // in the ledger's order) are found part way: that transaction is rolled back, and the
        // bundle applied again with its marks sorted first.
        for sorting in [false, true] {
            let verdict = try pg.transaction(keep: { $0?.holds == true }) { () throws(LubanError) in
                try applyInTransaction(file, sortingMarks: sorting)
            }
            if let verdict { return verdict }
        }
        throw .refused(zh: "数据包的考勤记录排序后仍无法应用", en: "the bundle's marks could not be applied even sorted")
    }

    /// The verdict; nil when the marks are not in key order and `sortingMarks` is false.
    private func applyInTransaction(_ file: [UInt8], sortingMarks: Bool) throws(LubanError) -> Verdict? {
        // The very bundle applied before (the same bytes, checked then): nothing to read again.
        let hash = FederationBundle.hash(file)
        if let (code, number) = FederationBundle.peek(file),
            try !pg.execute("SELECT 1 FROM bundle WHERE office = $1 AND number = $2 AND hash = $3", [code, String(number), hash]).isEmpty
        {
            return .alreadyApplied(office: code, number: number)
        }
        // The office row is locked for the transaction: two applies of one centre's bundles
        // take turns.
        var office: [String?] = []
        let bundle: FederationBundle
        do {
            bundle = try FederationBundle.read(file) { (code: String) throws(BundleFault) -> String in
                let rows: [[String?]]
                do {
                    rows = try pg.execute(
                        "SELECT key, \(Self.utc("retired_at")), last_number, last_hash FROM office WHERE code = $1 FOR UPDATE",
                        [code]
                    )
                } catch {
                    throw .form(zh: "\(error.localizedDescription)", en: "\(error.localizedDescription)")
                }
                guard let row = rows.first else { throw .unknownOffice(code) }
                if let retired = row[1] { throw .retired(office: code, since: Timestamp.local(retired)) }
                office = row
                return row[0] ?? ""
            }
        } catch {
            return .refused(reason: error.phrase)
        }
        let last = Int(office[2] ?? "0") ?? 0
        if bundle.number <= last {
            let had = try pg.execute("SELECT hash FROM bundle WHERE office = $1 AND number = $2", [bundle.office, String(bundle.number)])
            if had.first?.first == hash { return .alreadyApplied(office: bundle.office, number: bundle.number) }
            return .conflict(
                office: bundle.office, number: bundle.number,
                reason: Phrase(
                    zh: "总部已应用过另一个第 \(bundle.number) 号数据包（内容不同）：同一编号只能有一个；请与中心核对",
                    en: "HQ applied another bundle \(bundle.number) (with other content): a number has one bundle only; check with the centre"))
        }
        guard bundle.number == last + 1 else { return .outOfOrder(office: bundle.office, number: bundle.number, missing: last + 1) }
        guard bundle.previous == office[3] else {
            return .conflict(
                office: bundle.office, number: bundle.number,
                reason: Phrase(
                    zh: "它接在一个总部没有的第 \(last) 号数据包之后（前一包的散列不符）", en: "it follows a bundle \(last) that HQ does not have (the previous hash differs)"))
        }
        guard let opener = key.seal.opener(bundleSeal: bundle.seal, office: bundle.office, number: bundle.number) else {
            return .refused(reason: Phrase(zh: "数据包的加密公钥无效", en: "the bundle's sealing key is not a key"))
        }
        // One pass over the records, each kind's run of them copied to PostgreSQL as it is
        // read (it stores them while the next are read): straight into the kind's table for a
        // centre's first bundle (HQ holds nothing of it yet), else into a temporary table
        // merged over what HQ has. A record that cannot be applied stops the pass, and the
        // transaction is rolled back (`apply`): nothing of the bundle stays.
        let others = Set(try pg.execute("SELECT code FROM office WHERE code <> $1", [bundle.office]).compactMap { $0[0] })
        let code = bundle.office
        var runs = Runs(pg: pg, office: code, fresh: last == 0)
        let digests = key.digests
        var stop: Verdict?
        var previous: BundleMark?
        var inKeyOrder = true
        do {
            let fault = try bundle.forEachRecord(
                mark: { (mark: BundleMark) throws(LubanError) in
                    // Marks as luban publishes them come in the table's key order, one a pair.
                    guard stop == nil, inKeyOrder, !sortingMarks else { return }
                    if let p = previous, (p.session, p.trainee) >= (mark.session, mark.trainee) {
                        inKeyOrder = false
                        return
                    }
                    previous = mark
                    try runs.add(mark)
                },
                other: { (record: BundleRecord) throws(LubanError) in
                    guard stop == nil else { return }
                    // A certificate number is the centre's: one with another centre's prefix is
                    // refused.
                    if record.kind == .certificate, !record.removed, others.contains(String(record.fields[0].prefix { $0 != "-" })) {
                        stop = .conflict(
                            office: code, number: bundle.number,
                            reason: Phrase(
                                zh: "证书 \(record.fields[0]) 的编号前缀是另一个中心的", en: "certificate \(record.fields[0]) has another centre's prefix"))
                        return
                    }
                    // Nothing to remove at HQ yet.
                    if runs.fresh && record.removed { return }
                    guard let fields = try rowFields(record, opener, digests) else {
                        stop = .refused(
                            reason: Phrase(
                                zh: "有一项加密字段用本总部的密钥打不开：它是为别的总部加密的，或被改动过",
                                en: "a sealed field does not open with this HQ's key: it was sealed for another HQ, or altered"))
                        return
                    }
                    try runs.add(record.kind, fields)
                })
            if let verdict = stop ?? fault.map({ .refused(reason: $0.phrase) }) {
                runs.abandon()
                return verdict
            }
            guard inKeyOrder else {
                runs.abandon()
                return nil
            }
            if sortingMarks { try copySorted(bundle, &runs) }
            try runs.finish()
        } catch {
            runs.abandon()
            throw error
        }
        try updateRollUps(office: code)
        try recordApplied(bundle, hash: hash)
        return .applied(office: code, number: bundle.number, records: bundle.count)
    }

    /// Every mark of the bundle, sorted into the table's key order, of each (session, trainee)
    /// pair the newest entry (a correction replaces what it corrects).
    private func copySorted(_ bundle: FederationBundle, _ runs: inout Runs) throws(LubanError) {
        var marks: [BundleMark] = []
        bundle.forEachMark { marks.append($0) }
        marks.sort { ($0.session, $0.trainee, $0.entry) < ($1.session, $1.trainee, $1.entry) }
        for (i, mark) in marks.enumerated() {
            // An older entry of the same pair: the next one replaces it.
            if i + 1 < marks.count, marks[i + 1].session == mark.session, marks[i + 1].trainee == mark.trainee { continue }
            try runs.add(mark)
        }
        try runs.finish()
    }

    /// A record's row for its temporary table: a removal's key, or every field with the sealed
    /// ones turned into digests and an empty date into none; nil when a sealed field does not
    /// open. After `removed` (the first), the fields are the columns of the kind's table
    /// after `office`.
    private func rowFields(_ record: BundleRecord, _ opener: FieldOpener, _ digests: PersonDigests) throws(LubanError) -> [String?]? {
        let f = record.fields
        // Made in one array of the row's size (tens of thousands of records a bundle).
        var row: [String?] = []
        row.reserveCapacity(record.kind.fields + 1)
        row.append(record.removed ? "t" : "f")
        if record.removed {
            for field in f { row.append(field) }
            for _ in f.count..<record.kind.fields { row.append(nil) }
            return row
        }
        // The first `count` fields, as they are.
        func keep(_ count: Int) { for field in f.prefix(count) { row.append(field) } }
        switch record.kind {
        case .trainee:
            var person: String?
            if !f[2].isEmpty {
                guard let id = opener.open(f[2]) else { return nil }
                person = digests.person(idNumber: id)
            }
            keep(2)
            row.append(person)
            row.append(f[3] == "1" ? "t" : "f")
        case .certificate:
            var holder: String?
            if !f[7].isEmpty {
                guard let name = opener.open(f[7]) else { return nil }
                holder = digests.holder(name: name)
            }
            keep(7)
            row.append(holder)
        case .session:
            keep(5)
            row.append(f[5] == "1" ? "t" : "f")
        case .enrolment, .signoff:
            // Withdrawn on, voided on: none when empty.
            keep(f.count - 1)
            row.append(f[f.count - 1].isEmpty ? nil : f[f.count - 1])
        default:
            keep(f.count)
        }
        return row
    }

    /// Each kind's temporary table: `removed` first (a mark is never removed). Its text has the
    /// database's default collation, which gives way to the tables' ("C") where they meet.
    static let incoming: [BundleRecord.Kind: String] = [
        .cohort: "removed boolean, id bigint, code text, start_date text, end_date text",
        .trainee: "removed boolean, id bigint, code text, person text, forgotten boolean",
        .session: "removed boolean, id bigint, cohort_id bigint, date text, kind text, hours float8, cancelled boolean",
        .enrolment: "removed boolean, cohort_id bigint, trainee_id bigint, withdrawn_on text",
        .signoff: "removed boolean, id bigint, cohort_id bigint, trainee_id bigint, technique text, result text, voided_on text",
        .certificate:
            "removed boolean, number text, trainee_id bigint, cohort_id bigint, tier text, issued_on text, status text, public_reason text, holder text",
        .mark: "session_id bigint, trainee_id bigint, entry bigint, status smallint",
    ]

    /// Each kind's merge into HQ's table, for the office $1: new and changed rows, then removals.
    static let merge: [BundleRecord.Kind: [String]] = [
        .cohort: [
            """
            INSERT INTO cohort SELECT $1, id, code, start_date, end_date FROM incoming WHERE NOT removed
            ON CONFLICT (office, id) DO UPDATE SET code = excluded.code, start_date = excluded.start_date, end_date = excluded.end_date
            """,
            "DELETE FROM cohort c USING incoming i WHERE i.removed AND c.office = $1 AND c.id = i.id",
        ],
        .trainee: [
            """
            INSERT INTO trainee SELECT $1, id, code, person, forgotten FROM incoming WHERE NOT removed
            ON CONFLICT (office, id) DO UPDATE SET code = excluded.code, person = excluded.person, forgotten = excluded.forgotten
            """,
            // A person forgotten at the centre is forgotten here: no digest of them stays.
            """
            UPDATE certificate c SET holder = NULL FROM incoming i
            WHERE i.forgotten AND NOT i.removed AND c.office = $1 AND c.trainee_id = i.id
            """,
            "DELETE FROM trainee t USING incoming i WHERE i.removed AND t.office = $1 AND t.id = i.id",
        ],
        .session: [
            """
            INSERT INTO session SELECT $1, id, cohort_id, date, kind, hours, cancelled FROM incoming WHERE NOT removed
            ON CONFLICT (office, id) DO UPDATE SET cohort_id = excluded.cohort_id, date = excluded.date, kind = excluded.kind,
                hours = excluded.hours, cancelled = excluded.cancelled
            """,
            "DELETE FROM session s USING incoming i WHERE i.removed AND s.office = $1 AND s.id = i.id",
        ],
        .enrolment: [
            """
            INSERT INTO enrolment SELECT $1, cohort_id, trainee_id, withdrawn_on FROM incoming WHERE NOT removed
            ON CONFLICT (office, cohort_id, trainee_id) DO UPDATE SET withdrawn_on = excluded.withdrawn_on
            """,
            "DELETE FROM enrolment e USING incoming i WHERE i.removed AND e.office = $1 AND e.cohort_id = i.cohort_id AND e.trainee_id = i.trainee_id",
        ],
        .signoff: [
            """
            INSERT INTO signoff SELECT $1, id, cohort_id, trainee_id, technique, result, voided_on FROM incoming WHERE NOT removed
            ON CONFLICT (office, id) DO UPDATE SET cohort_id = excluded.cohort_id, trainee_id = excluded.trainee_id,
                technique = excluded.technique, result = excluded.result, voided_on = excluded.voided_on
            """,
            "DELETE FROM signoff s USING incoming i WHERE i.removed AND s.office = $1 AND s.id = i.id",
        ],
        .certificate: [
            """
            INSERT INTO certificate SELECT $1, number, trainee_id, cohort_id, tier, issued_on, status, public_reason, holder
            FROM incoming WHERE NOT removed
            ON CONFLICT (office, number) DO UPDATE SET trainee_id = excluded.trainee_id, cohort_id = excluded.cohort_id, tier = excluded.tier,
                issued_on = excluded.issued_on, status = excluded.status, public_reason = excluded.public_reason, holder = excluded.holder
            """,
            "DELETE FROM certificate c USING incoming i WHERE i.removed AND c.office = $1 AND c.number = i.number",
        ],
        .mark: [
            // One entry per pair (the bundle's newest), over an older one HQ has.
            """
            INSERT INTO mark SELECT $1, session_id, trainee_id, entry, status FROM incoming
            ON CONFLICT (office, session_id, trainee_id) DO UPDATE SET entry = excluded.entry, status = excluded.status
            WHERE mark.entry < excluded.entry
            """
        ],
    ]
}
