import Foundation
import GRDB
import LubanCrypto

// MARK: - Publishing bundles (the owner of `published_bundle` and `published_row`)

/// A bundle as published: its number, file and what it holds.
public struct PublishedBundle: Sendable {
    public var office: String
    public var number: Int
    public var records: Int
    public var marks: Int
    public var file: [UInt8]

    /// The file's name: `CD-000003.luban-bundle`, in number order when listed.
    public var fileName: String { Self.fileName(office: office, number: number) }

    static func fileName(office: String, number: Int) -> String {
        let n = String(number)
        return "\(office)-\(String(repeating: "0", count: max(0, 6 - n.count)))\(n).luban-bundle"
    }
}

extension LubanDatabase {
    /// Makes the next bundle: every record HQ keeps that is new, changed or gone since the last
    /// bundle (the centre's own rows compared with what was published, by a keyed digest of
    /// each), and every ledger entry after the last one published, in the ledger's order. It is
    /// kept in the database (so a lost copy can be written again) in the same transaction that
    /// moves the published state on; nil when nothing changed since the last bundle.
    public func publish(key: IssuerKey) throws(LubanError) -> PublishedBundle? {
        guard let membership = try membership() else {
            throw .refused(
                zh: "本中心尚未加入联合会：先运行 luban office join 代码 --hq-key … --statement 文件",
                en: "this centre has not joined the federation: run luban office join CODE --hq-key … --statement FILE first")
        }
        guard membership.statement.officeKey == key.publicKey else {
            throw .refused(
                zh: "本中心的签发密钥已不是总部登记的那把（\(membership.statement.officeKey)）：请总部重新登记，再运行 luban office join",
                en:
                    "this centre's issuer key is no longer the one HQ registered (\(membership.statement.officeKey)): have HQ register it again, then run luban office join"
            )
        }
        let made = Timestamp.now()
        // A certificate's tier travels as its title (结业证书), which the public check shows.
        let titles = tierTitles()
        return try write("publish", detailOf: { (b: PublishedBundle?) in b.map { "\($0.office) \($0.number): \($0.records)" } ?? "" }) { db in
            let last = try Row.fetchOne(db, sql: "SELECT number, hash, last_entry FROM published_bundle ORDER BY number DESC LIMIT 1")
            let number = (last?[0] as Int? ?? 0) + 1
            let lastEntry: Int64 = last?[2] ?? 0
            let sealer = try FieldSealer(hqSealKey: membership.statement.sealKey, office: membership.office, number: number)
            var lines: [UInt8] = []
            var count = 0
            func add(_ record: BundleRecord) {
                record.write(into: &lines)
                count += 1
            }
            // What was published of each kind: its rows' digests by key. A row found now is
            // taken out; what is left at the end of its kind was deleted since.
            var published: [BundleRecord.Kind: [String: RowDigest]] = [:]
            let before = try SQLiteStatement(db, "SELECT kind, key, digest FROM published_row")
            try before.forEachRow { row in
                if let kind = BundleRecord.Kind(rawValue: row.text(0)) { published[kind, default: [:]][row.text(1)] = RowDigest(row.blob(2)) }
            }
            // What is published now, kept as it is found (the same transaction as the bundle).
            let kept = try SQLiteStatement(
                db, "INSERT INTO published_row (kind, key, digest) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET digest = excluded.digest")
            let gone = try SQLiteStatement(db, "DELETE FROM published_row WHERE kind = ? AND key = ?")
            // The digest's key, taken in once: each row's digest starts from a copy.
            let rowMAC = HMACSHA256(key: Array(key.holderSalt(for: "published-row").utf8))
            // One kind's rows: `plain` is what the digest is of (the personal fields in the
            // clear), `record` what travels (those fields sealed).
            func compare(_ kind: BundleRecord.Kind, _ sql: String, _ make: (SQLiteStatement) -> (plain: [String], record: () -> [String])) throws {
                var earlier = published.removeValue(forKey: kind) ?? [:]
                // Row by row, none kept: a centre has tens of thousands of verdicts.
                try SQLiteStatement(db, sql).forEachRow { row in
                    let (plain, record) = make(row)
                    let key = plain.prefix(kind.keyFields).joined(separator: "\t")
                    let digest = RowDigest(plain, from: rowMAC)
                    guard earlier.removeValue(forKey: key) != digest else { return }
                    add(BundleRecord(kind, record()))
                    kept.bind(1, kind.rawValue)
                    kept.bind(2, key)
                    digest.bind(to: kept, at: 3)
                    try kept.run()
                }
                for key in earlier.keys.sorted() {
                    add(BundleRecord(kind, removed: true, key.components(separatedBy: "\t")))
                    gone.bind(1, kind.rawValue)
                    gone.bind(2, key)
                    try gone.run()
                }
            }
            try compare(.cohort, "SELECT id, code, start_date, end_date FROM cohort ORDER BY id") { r in
                let f = [String(r.int64(0)), r.text(1), r.text(2), r.text(3)]
                return (f, { f })
            }
            try compare(.trainee, "SELECT id, code, id_number, forgotten_on IS NOT NULL FROM trainee ORDER BY id") { r in
                let id: String? = r.isNull(2) ? nil : r.text(2)
                let head = [String(r.int64(0)), r.text(1)]
                let forgotten = r.int64(3) != 0 ? "1" : "0"
                return (head + [id ?? "", forgotten], { head + [id.map { sealer.seal($0) } ?? "", forgotten] })
            }
            try compare(
                .session, "SELECT id, cohort_id, date, kind, hours, cancelled_on IS NOT NULL FROM session ORDER BY id"
            ) { r in
                let f = [String(r.int64(0)), String(r.int64(1)), r.text(2), r.text(3), String(r.double(4)), r.int64(5) != 0 ? "1" : "0"]
                return (f, { f })
            }
            try compare(.enrolment, "SELECT cohort_id, trainee_id, coalesce(withdrawn_on, '') FROM enrolment ORDER BY cohort_id, trainee_id") { r in
                let f = [String(r.int64(0)), String(r.int64(1)), r.text(2)]
                return (f, { f })
            }
            try compare(
                .signoff, "SELECT id, cohort_id, trainee_id, technique, result, coalesce(voided_on, '') FROM signoff ORDER BY id"
            ) { r in
                let f = [String(r.int64(0)), String(r.int64(1)), String(r.int64(2)), r.text(3), r.text(4), r.text(5)]
                return (f, { f })
            }
            try compare(
                .certificate,
                """
                SELECT c.number, c.trainee_id, c.cohort_id, c.tier, c.issued_on, c.status, coalesce(c.public_reason, ''),
                       CASE WHEN t.forgotten_on IS NULL THEN coalesce(c.holder_name, '') ELSE '' END
                FROM certificate c JOIN trainee t ON t.id = c.trainee_id ORDER BY c.id
                """
            ) { r in
                let name = r.text(7)
                let tier = r.text(3)
                let head = [r.text(0), String(r.int64(1)), String(r.int64(2)), titles[tier] ?? tier, r.text(4), r.text(5), r.text(6)]
                return (head + [name], { head + [name.isEmpty ? "" : sealer.seal(name)] })
            }
            // The ledger after the last entry published: of each (session, trainee) pair the
            // newest entry (it decides the mark; HQ keeps no other), in the ledger's key order,
            // which HQ's table has too: HQ copies them as it reads them.
            var marks = 0
            var newest = lastEntry
            var pending: BundleMark?
            func emit(_ mark: BundleMark) {
                // Written straight into the lines: a bundle can hold millions of marks.
                mark.write(into: &lines)
                count += 1
                marks += 1
            }
            let entries = try SQLiteStatement(
                db, "SELECT id, session_id, trainee_id, status FROM attendance_entry WHERE id > ? ORDER BY session_id, trainee_id, id")
            try entries.forEachRow(lastEntry) { row in
                let mark = BundleMark(
                    entry: row.int64(0), session: row.int64(1), trainee: row.int64(2), status: Int16(truncatingIfNeeded: row.int64(3)))
                if let p = pending, p.session != mark.session || p.trainee != mark.trainee { emit(p) }
                pending = mark
                newest = max(newest, mark.entry)
            }
            if let pending { emit(pending) }
            guard count > 0 else { return nil }
            let file = try FederationBundle.file(
                office: membership.office, number: number, previous: last?[1], made: made, seal: sealer.publicKey, lines: &lines, count: count,
                signedBy: key)
            let keep = try SQLiteStatement(
                db, "INSERT INTO published_bundle (number, hash, made_at, last_entry, records, content) VALUES (?, ?, ?, ?, ?, ?)")
            keep.bind(1, Int64(number))
            keep.bind(2, FederationBundle.hash(file))
            keep.bind(3, made)
            keep.bind(4, newest)
            keep.bind(5, Int64(count))
            try keep.run(blob: file, at: 6)
            return PublishedBundle(office: membership.office, number: number, records: count, marks: marks, file: file)
        }
    }

    /// The number of the last bundle published, nil before the first.
    public func lastPublished() throws(LubanError) -> Int? {
        try read { db in try Int.fetchOne(db, sql: "SELECT max(number) FROM published_bundle") }
    }

    /// A bundle published before, as it was (to send a lost copy again).
    public func publishedBundle(_ number: Int) throws(LubanError) -> PublishedBundle {
        guard let membership = try membership() else {
            throw .refused(zh: "本中心尚未加入联合会", en: "this centre has not joined the federation")
        }
        guard
            let row = try read({ db in
                try Row.fetchOne(db, sql: "SELECT records, content FROM published_bundle WHERE number = ?", arguments: [number])
            })
        else {
            throw .refused(zh: "没有发布过第 \(number) 号数据包", en: "no bundle \(number) was published")
        }
        let file = (row[1] as Data).withUnsafeBytes { [UInt8]($0) }
        return PublishedBundle(office: membership.office, number: number, records: row[0], marks: -1, file: file)
    }
}

/// The digest a published row is remembered by: the first 16 bytes of HMAC-SHA256, under a key
/// from the issuer key, of its fields (tab-separated, personal fields in the clear). Sixteen
/// bytes in place, compared and stored with no allocation.
struct RowDigest: Equatable {
    private var bytes: SIMD16<UInt8>

    /// As stored: 16 bytes (a blob of another length reads as zeros, which is no row's digest).
    init(_ stored: UnsafeRawBufferPointer) {
        bytes = SIMD16()
        guard stored.count == 16 else { return }
        for i in 0..<16 { bytes[i] = stored[i] }
    }

    /// Of `fields`, from the keyed state `mac`: one contiguous message.
    init(_ fields: [String], from mac: HMACSHA256) {
        var message: [UInt8] = []
        message.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count })
        for (i, field) in fields.enumerated() {
            if i > 0 { message.append(9) }
            message += field.utf8
        }
        var code = (SIMD16<UInt8>(), SIMD16<UInt8>())
        withUnsafeMutableBytes(of: &code) { out in message.withUnsafeBytes { mac.authenticate($0, into: out) } }
        bytes = code.0
    }

    func bind(to statement: SQLiteStatement, at index: Int32) {
        withUnsafeBytes(of: bytes) { statement.bind(index, $0) }
    }
}
