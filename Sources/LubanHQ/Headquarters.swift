import Foundation
import LubanKit

// MARK: - The union's headquarters: its PostgreSQL database

/// HQ's records in PostgreSQL (schema `luban`): the registered centres, the bundles applied,
/// and each centre's records as its bundles say, keyed by the centre's code and its own ids.
/// Every write goes through this type (`Applying.swift` is its bundle path).
public final class Headquarters {
    let pg: Postgres
    public let key: HQKey

    /// The schema's version, and the steps to it: a step once shipped is never edited.
    static let schemaVersion = 2
    static let steps = [
        """
        CREATE TABLE hq (
            id int PRIMARY KEY CHECK (id = 1),
            schema_version int NOT NULL,
            hq_key text NOT NULL,
            seal_key text NOT NULL,
            made_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE office (
            code text PRIMARY KEY,
            name text NOT NULL,
            key text NOT NULL,
            added_at timestamptz NOT NULL DEFAULT now(),
            retired_at timestamptz,
            last_number int NOT NULL DEFAULT 0,
            last_hash text,
            last_made text,
            last_applied_at timestamptz);
        CREATE TABLE bundle (
            office text NOT NULL REFERENCES office(code),
            number int NOT NULL,
            hash text NOT NULL,
            made text NOT NULL,
            records int NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (office, number));
        CREATE TABLE cohort (
            office text NOT NULL, id bigint NOT NULL, code text NOT NULL, start_date text NOT NULL, end_date text NOT NULL,
            PRIMARY KEY (office, id));
        CREATE TABLE session (
            office text NOT NULL, id bigint NOT NULL, cohort_id bigint NOT NULL, date text NOT NULL, kind text NOT NULL,
            hours float8 NOT NULL, cancelled boolean NOT NULL,
            PRIMARY KEY (office, id));
        CREATE TABLE trainee (
            office text NOT NULL, id bigint NOT NULL, code text NOT NULL, person text, forgotten boolean NOT NULL,
            PRIMARY KEY (office, id));
        CREATE INDEX trainee_person ON trainee(person);
        CREATE TABLE enrolment (
            office text NOT NULL, cohort_id bigint NOT NULL, trainee_id bigint NOT NULL, withdrawn_on text,
            PRIMARY KEY (office, cohort_id, trainee_id));
        CREATE TABLE signoff (
            office text NOT NULL, id bigint NOT NULL, cohort_id bigint NOT NULL, trainee_id bigint NOT NULL, technique text NOT NULL,
            result text NOT NULL, voided_on text,
            PRIMARY KEY (office, id));
        CREATE TABLE mark (
            office text NOT NULL, session_id bigint NOT NULL, trainee_id bigint NOT NULL, entry bigint NOT NULL, status smallint NOT NULL,
            PRIMARY KEY (office, session_id, trainee_id));
        CREATE TABLE certificate (
            office text NOT NULL, number text NOT NULL, trainee_id bigint NOT NULL, cohort_id bigint NOT NULL, tier text NOT NULL,
            issued_on text NOT NULL, status text NOT NULL, public_reason text NOT NULL, holder text,
            PRIMARY KEY (office, number));
        CREATE INDEX certificate_number ON certificate(number);
        -- Roll-ups, rewritten for a centre by each apply of its bundles (Figures.swift): its
        -- yearly figures (and its total row), the persons who attended each year, and the
        -- union's distinct persons a year (and 'total').
        CREATE TABLE office_year (
            office text NOT NULL, year text NOT NULL, cohorts int NOT NULL, sessions int NOT NULL, classroom_hours float8 NOT NULL,
            field_hours float8 NOT NULL, demonstration_hours float8 NOT NULL, person_times int NOT NULL, trainees int NOT NULL,
            attended_hours float8 NOT NULL, certificates int NOT NULL,
            PRIMARY KEY (office, year));
        CREATE TABLE person_year (office text NOT NULL, year text NOT NULL, person text NOT NULL, PRIMARY KEY (office, year, person));
        CREATE TABLE union_year (year text PRIMARY KEY, trainees int NOT NULL);
        """,
        // Codes, dates and digests compare byte by byte ("C"), whatever the database's locale:
        // a linguistic collation cost every key comparison of every apply (twice the time of
        // the roll-ups) and orders none of them better. And the union's persons are counted by
        // difference at each apply: whether another centre has a person (in a year) is one
        // look-up.
        """
        DO $$
        DECLARE t record;
        BEGIN
            FOR t IN SELECT table_name, string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', column_name), ', ') AS columns
                     FROM information_schema.columns WHERE table_schema = 'luban' AND data_type = 'text' GROUP BY table_name
            LOOP
                EXECUTE format('ALTER TABLE luban.%I %s', t.table_name, t.columns);
            END LOOP;
        END $$;
        CREATE INDEX IF NOT EXISTS person_year_person ON person_year(person, year);
        """,
    ]

    /// Connects to HQ's database, checks it was made by `init` with this key file.
    public init(url: String, key: HQKey) throws(LubanError) {
        pg = try Postgres(url: url, setup: "SET search_path TO luban")
        self.key = key
        do {
            try check()
        } catch {
            // Asked only when the check failed: a database without HQ's schema says so.
            guard try pg.execute("SELECT to_regclass('luban.hq') IS NOT NULL").first?.first == "t" else {
                throw .refused(
                    zh: "此 PostgreSQL 数据库中还没有总部的记录：先运行 luban hq init --pg …",
                    en: "this PostgreSQL database holds no HQ yet: run luban hq init --pg … first")
            }
            throw error
        }
    }

    private init(pg: Postgres, key: HQKey) {
        self.pg = pg
        self.key = key
    }

    /// Makes (or brings up to date) HQ's schema in the database at `url`, with the keys at
    /// `keyPath` (made there if there are none). Running it again changes nothing.
    public static func initialize(url: String, keyPath: String) throws(LubanError) -> (hq: Headquarters, madeKey: Bool) {
        let pg = try Postgres(url: url)
        let madeKey = !FileManager.default.fileExists(atPath: keyPath)
        let key = madeKey ? try HQKey.create(at: keyPath) : try HQKey.load(at: keyPath)
        let hq = Headquarters(pg: pg, key: key)
        try pg.transaction { () throws(LubanError) in
            try pg.script("CREATE SCHEMA IF NOT EXISTS luban; SET LOCAL search_path TO luban")
            // One init at a time: a second waits here, then finds the schema made.
            try pg.execute("SELECT pg_advisory_xact_lock(7707)")
            let exists = try pg.execute("SELECT to_regclass('luban.hq') IS NOT NULL").first?.first == "t"
            let version = exists ? Int(try pg.execute("SELECT schema_version FROM luban.hq").first?.first.flatMap { $0 } ?? "0") ?? 0 : 0
            if version > schemaVersion { throw newerSchema(version) }
            for step in steps.dropFirst(version) { try pg.script(step) }
            if !exists {
                try pg.execute(
                    "INSERT INTO hq (id, schema_version, hq_key, seal_key) VALUES (1, $1, $2, $3)",
                    [String(schemaVersion), key.signing.publicKey, key.seal.publicKey])
            } else {
                try pg.execute("UPDATE hq SET schema_version = $1", [String(schemaVersion)])
            }
        }
        try pg.execute("SET search_path TO luban")
        try hq.check()
        return (hq, madeKey)
    }

    /// The schema must be this luban's (one made by an older luban is brought up to date by
    /// init), and the key file the one this HQ was made with: one read of HQ's row.
    private func check() throws(LubanError) {
        let row = try pg.execute("SELECT schema_version, hq_key, seal_key FROM hq").first
        let version = Int(row?[0] ?? "0") ?? 0
        if version > Self.schemaVersion { throw Self.newerSchema(version) }
        guard version == Self.schemaVersion else {
            throw .refused(
                zh: "此总部数据库的结构版本为 \(version)，这个 luban 用版本 \(Self.schemaVersion)：先运行 luban hq init（它更新结构，不动记录）",
                en:
                    "this HQ database's schema is version \(version) and this luban uses \(Self.schemaVersion): run luban hq init first (it updates the schema, records stay)"
            )
        }
        guard let row, row[1] == key.signing.publicKey, row[2] == key.seal.publicKey else {
            throw .refused(
                zh: "这个总部密钥文件不是创建此总部数据库时的那一个（数据库记录的公钥是 \(row?[1] ?? "?")）：请用 --key-file 指明正确的文件",
                en:
                    "this key file is not the one this HQ database was made with (it records the public key \(row?[1] ?? "?")): give the right one with --key-file"
            )
        }
    }

    private static func newerSchema(_ version: Int) -> LubanError {
        .refused(
            zh: "此总部数据库的结构版本为 \(version)，比这个 luban 新：请更新 luban",
            en: "this HQ database's schema is version \(version), newer than this luban: update luban")
    }

    // MARK: Centres

    /// A time column as luban stores times (UTC, ISO 8601), to show in the office's time zone.
    static func utc(_ column: String) -> String { "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" }

    /// A registered centre.
    public struct Office: Sendable {
        public var code: String
        public var name: String
        public var key: String
        public var added: String
        /// When, in the office's time zone, as the other times.
        public var retired: String?
        public var lastNumber: Int
        public var lastMade: String?
        public var lastApplied: String?
    }

    /// Registers a centre and its issuer key (or gives a retired centre a new key), and returns
    /// the signed statement the centre keeps.
    public func addOffice(code: String, name: String, key officeKey: String) throws(LubanError) -> String {
        guard (2...8).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isUppercase && $0.isLetter }) else {
            throw .refused(
                zh: "中心代码“\(Visible.text(code))”须为 2 到 8 个大写英文字母（它也是该中心证书编号的前缀，如 CD-2026-0001-7）",
                en:
                    "the centre code '\(Visible.text(code))' must be 2 to 8 capital letters (it is also the prefix of the centre's certificate numbers, e.g. CD-2026-0001-7)"
            )
        }
        guard IssuerKey.publicKeyBytes(officeKey) != nil, officeKey.hasPrefix("ed25519:") else {
            throw .refused(
                zh: "“\(Visible.text(officeKey))”不是公钥：请给出该中心 luban issuer key 打印的 ed25519:…",
                en: "'\(Visible.text(officeKey))' is not a public key: give the ed25519:… that luban issuer key prints at the centre")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .refused(zh: "请给出中心名称（--name）", en: "give the centre's name (--name)") }
        try pg.transaction { () throws(LubanError) in
            try pg.execute("LOCK TABLE office IN SHARE ROW EXCLUSIVE MODE")
            // One key, one centre: a centre holding another's key could sign as that one.
            if let other = try pg.execute("SELECT code FROM office WHERE key = $1 AND code <> $2", [officeKey, code]).first?.first ?? nil {
                throw .conflict(
                    Phrase(
                        zh: "这把密钥已登记给中心 \(other)：每个中心须有自己的签发密钥（在该中心新建数据库时生成）",
                        en: "this key is registered to centre \(other): every centre has an issuer key of its own (made with its database)"))
            }
            let existing = try pg.execute("SELECT key, retired_at FROM office WHERE code = $1", [code]).first
            if let existing {
                guard existing[1] != nil || existing[0] == officeKey else {
                    throw .conflict(
                        Phrase(
                            zh: "中心 \(code) 已登记，密钥为 \(existing[0] ?? "")：要换密钥，先停用旧的（luban hq office retire \(code)）",
                            en:
                                "centre \(code) is registered with the key \(existing[0] ?? ""): to give it a new key, retire the old one first (luban hq office retire \(code))"
                        ))
                }
                try pg.execute("UPDATE office SET name = $2, key = $3, retired_at = NULL WHERE code = $1", [code, name, officeKey])
            } else {
                try pg.execute("INSERT INTO office (code, name, key) VALUES ($1, $2, $3)", [code, name, officeKey])
            }
        }
        let statement = HQStatement(
            office: code, name: name, officeKey: officeKey, hqKey: key.signing.publicKey, sealKey: key.seal.publicKey,
            issued: CalendarDate.now().description)
        return try statement.text(signedBy: key.signing)
    }

    /// Retires a centre's key: the bundles and certificates HQ has from it stay; a bundle
    /// applied from now on is refused until the centre is given a new key (`office add`).
    public func retireOffice(_ code: String) throws(LubanError) -> String {
        let rows = try pg.execute(
            "UPDATE office SET retired_at = now() WHERE code = $1 AND retired_at IS NULL RETURNING \(Self.utc("retired_at"))", [code])
        guard let when = (rows.first?.first ?? nil).map({ Timestamp.local($0) }) else {
            guard try pg.execute("SELECT 1 FROM office WHERE code = $1", [code]).isEmpty else {
                throw .conflict(Phrase(zh: "中心 \(code) 的密钥已经停用", en: "centre \(code)'s key is already retired"))
            }
            throw .refused(zh: "没有登记中心 \(code)（luban hq office list）", en: "no centre \(code) is registered (luban hq office list)")
        }
        return when
    }

    /// Records a bundle applied, in the apply's transaction: the office's chain moves on.
    func recordApplied(_ bundle: FederationBundle, hash: String) throws(LubanError) {
        try pg.execute(
            "INSERT INTO bundle (office, number, hash, made, records) VALUES ($1, $2, $3, $4, $5)",
            [bundle.office, String(bundle.number), hash, bundle.made, String(bundle.count)])
        try pg.execute(
            "UPDATE office SET last_number = $2, last_hash = $3, last_made = $4, last_applied_at = now() WHERE code = $1",
            [bundle.office, String(bundle.number), hash, bundle.made])
    }

    /// Every centre, by code.
    public func offices() throws(LubanError) -> [Office] {
        try pg.execute(
            """
            SELECT code, name, key, to_char(added_at, 'YYYY-MM-DD'), \(Self.utc("retired_at")),
                   last_number, last_made, \(Self.utc("last_applied_at"))
            FROM office ORDER BY code
            """
        ).map { r in
            Office(
                code: r[0] ?? "", name: r[1] ?? "", key: r[2] ?? "", added: r[3] ?? "", retired: r[4].map { Timestamp.local($0) },
                lastNumber: Int(r[5] ?? "0") ?? 0, lastMade: r[6].map { Timestamp.local($0) }, lastApplied: r[7].map { Timestamp.local($0) })
        }
    }
}
