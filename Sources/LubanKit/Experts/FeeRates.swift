import GRDB

// MARK: - What the office pays experts (the owner of `fee_rate`)

/// What a rate is for: an hour of a kind of session, or one verdict.
public enum FeeKind: String, CaseIterable, Sendable {
    case classroom, field, demonstration, assessment

    public var chinese: String {
        switch self {
        case .classroom: return "课堂"
        case .field: return "实地"
        case .demonstration: return "演示"
        case .assessment: return "考核"
        }
    }
}

/// One rate: `fen` (0.01 yuan) per hour of a kind of session, or per verdict, from `since` on;
/// for one expert, or (`expert` nil) for every expert without a rate of their own.
public struct FeeRate: Sendable, Equatable {
    public var expert: String?
    public var expertName: String?
    public var kind: FeeKind
    public var since: CalendarDate
    public var fen: Int
}

/// The first day a rate given without `--since` is in force: before any session.
let feeRatesFromTheStart = CalendarDate("2000-01-01")!

extension LubanDatabase {
    /// Sets rates (`fen` per hour of each kind, or per verdict) in force from `since` for one
    /// expert (code or name), or for every expert without one of their own (`expert` nil). A
    /// rate set again for the same expert, kind and day replaces that one; earlier rates stay
    /// in force for what came before `since`.
    public func setFeeRates(expert reference: String?, since: CalendarDate?, _ rates: [FeeKind: Int]) throws(LubanError) {
        guard !rates.isEmpty else {
            throw .refused(
                zh: "请给出至少一项费率：--classroom、--field、--demonstration 或 --assessment",
                en: "give at least one rate: --classroom, --field, --demonstration or --assessment")
        }
        let expert = try reference.map { r throws(LubanError) in try self.expert(r) }
        let since = since ?? feeRatesFromTheStart
        let zh = Language.current == .zh
        let who = expert.map { "\($0.code)" } ?? (zh ? "全部专家" : "all")
        let what = FeeKind.allCases.compactMap { k in rates[k].map { "\(zh ? k.chinese : k.rawValue) \(Money.format($0))" } }.joined(separator: ", ")
        try write("expert rate", detail: Phrase(zh: "\(who) 自 \(since) 起：\(what)", en: "\(who) from \(since): \(what)").text()) { db in
            for kind in FeeKind.allCases {
                guard let fen = rates[kind] else { continue }
                try db.execute(
                    sql: "DELETE FROM fee_rate WHERE coalesce(expert_id, 0) = coalesce(?, 0) AND kind = ? AND since = ?",
                    arguments: [expert?.id, kind.rawValue, since.description])
                try db.execute(
                    sql: "INSERT INTO fee_rate (expert_id, kind, since, fen, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [expert?.id, kind.rawValue, since.description, fen, Timestamp.now()])
            }
        }
    }

    /// Every rate: the rates for all experts first, then each expert's, each by kind and day.
    public func feeRates() throws(LubanError) -> [FeeRate] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.code, e.name, f.kind, f.since, f.fen FROM fee_rate f LEFT JOIN expert e ON e.id = f.expert_id
                    ORDER BY f.expert_id IS NOT NULL, f.expert_id, CASE f.kind WHEN 'classroom' THEN 0 WHEN 'field' THEN 1
                             WHEN 'demonstration' THEN 2 ELSE 3 END, f.since
                    """
            ).map { r in
                FeeRate(expert: r[0], expertName: r[1], kind: FeeKind(rawValue: r[2])!, since: CalendarDate(r[3] as String)!, fen: r[4])
            }
        }
    }

    /// The rate (fen) in force for a session of `kind` or a verdict (`kindColumn`) of the expert
    /// `expertColumn` on `dateColumn`, as an SQL expression: the expert's own latest rate from a
    /// day not after it, else the latest rate for all experts; NULL when there is none. The
    /// columns must be qualified by their table: `fee_rate` has a `kind` and an `expert_id` too.
    static func feeRateSQL(kind kindColumn: String, expert expertColumn: String, date dateColumn: String) -> String {
        """
        (SELECT f.fen FROM fee_rate f WHERE f.kind = \(kindColumn) AND (f.expert_id = \(expertColumn) OR f.expert_id IS NULL)
             AND f.since <= \(dateColumn) ORDER BY f.expert_id IS NULL, f.since DESC LIMIT 1)
        """
    }
}

extension Views {
    /// The rates as `expert rates` lists them.
    public static func feeRates(_ rates: [FeeRate]) -> Table {
        Table(
            columns: [
                .init("expert", "专家 expert"), .init("name", "姓名 name"), .init("kind", "项目 kind"), .init("since", "起始 since"),
                .init("yuan", "金额（元）yuan"),
            ],
            rows: rates.map { r in
                [
                    .text(r.expert ?? ""), .text(r.expertName ?? Phrase(zh: "全部专家", en: "every expert").text()),
                    .word(r.kind.rawValue, zh: r.kind.chinese),
                    .text(r.since == feeRatesFromTheStart ? "" : r.since.description), .money(r.fen),
                ]
            })
    }
}
