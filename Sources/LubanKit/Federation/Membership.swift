import GRDB

// MARK: - This centre in the union's federation (the owner of `federation`)

/// The centre's place in the federation: its code at HQ and HQ's statement, kept once joined.
public struct Membership: Sendable, Equatable {
    public var office: String
    public var statement: HQStatement
    public var joinedAt: String
}

extension LubanDatabase {
    /// Joins the federation with HQ's statement (`luban hq office add` printed it), checked
    /// against HQ's public key as given by hand, and against this centre's own issuer key: the
    /// statement must register the key this centre signs with. Joining again with a new
    /// statement (HQ registered a new key) replaces it; another office code is refused.
    public func join(office: String, statement text: String, hqKey: String, issuer: IssuerKey) throws(LubanError) -> Membership {
        let statement = try HQStatement.read(text, hqKey: hqKey)
        guard statement.office == office else {
            throw .refused(
                zh: "登记声明是给中心 \(statement.office) 的，不是 \(office)：请核对中心代码",
                en: "the statement is for centre \(statement.office), not \(office): check the centre's code")
        }
        guard statement.officeKey == issuer.publicKey else {
            throw .refused(
                zh: "登记声明登记的密钥是 \(statement.officeKey)，而本中心的签发密钥是 \(issuer.publicKey)：请总部用 luban issuer key 打印的公钥重新登记",
                en:
                    "the statement registers the key \(statement.officeKey), and this centre's issuer key is \(issuer.publicKey): ask HQ to register the key luban issuer key prints"
            )
        }
        if let current = try membership(), current.office != office {
            throw .conflict(
                zh: "本中心已以代码 \(current.office) 加入联合会，不能再以 \(office) 加入",
                en: "this centre joined the federation as \(current.office); it cannot join again as \(office)")
        }
        let joinedAt = Timestamp.now()
        try write("office join", detail: office) { db in
            try db.execute(
                sql: """
                    INSERT INTO federation (id, office, statement, joined_at) VALUES (1, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET statement = excluded.statement
                    """, arguments: [office, text, joinedAt])
        }
        return try membership()!
    }

    /// The centre's membership, or nil before `luban office join`.
    public func membership() throws(LubanError) -> Membership? {
        try read { db in try Self.membership(db) }
    }

    static func membership(_ db: Database) throws -> Membership? {
        guard let row = try Row.fetchOne(db, sql: "SELECT office, statement, joined_at FROM federation WHERE id = 1") else { return nil }
        let text: String = row[1]
        // The statement was checked when it was kept; read again for its fields.
        let hqKey = text.split(separator: "\n").first { $0.hasPrefix("hq-key ") }.map { String($0.dropFirst(7)) } ?? ""
        let statement = try HQStatement.read(text, hqKey: hqKey)
        return Membership(office: row[0], statement: statement, joinedAt: row[2])
    }

    /// The prefix of the certificate numbers this centre issues: its office code once it has
    /// joined the federation (so that every centre's numbers differ and say which centre issued
    /// them), else the curriculum's.
    static func certificatePrefix(_ db: Database, curriculum: String) throws -> String {
        try String.fetchOne(db, sql: "SELECT office FROM federation WHERE id = 1") ?? curriculum
    }
}
