import Foundation
import GRDB
import HummingbirdBcrypt
import LubanCrypto

// MARK: - Office accounts and roll-call links, for `luban serve`

/// The office's accounts for `luban serve`: a name and a bcrypt hash (cost 12, salted; the
/// password itself is never stored), added and removed on the terminal with `luban user`.
public enum Accounts {
    /// bcrypt's work factor: about a quarter of a second per try on this kind of machine.
    static let cost: UInt8 = 12

    public struct Account: Sendable {
        public let name: String
        public let createdAt: String
        public let createdBy: String
    }

    /// Names are what people type: letters, digits, `.`, `_`, `-`, or Chinese; 1 to 32 characters.
    public static func checkName(_ name: String) throws(LubanError) {
        let ok =
            !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
        guard ok else {
            throw .refused(
                zh: "账户名“\(Visible.text(name))”须为 1 到 32 个字母、数字、汉字或 . _ -",
                en: "the account name '\(Visible.text(name))' must be 1 to 32 letters, digits, Chinese characters or . _ -")
        }
    }

    public static func checkPassword(_ password: String) throws(LubanError) {
        guard password.count >= 10 else {
            throw .refused(zh: "密码至少 10 个字符", en: "the password must have at least 10 characters")
        }
        guard password.utf8.count <= 72 else {
            // bcrypt reads no further than 72 bytes: a longer one would be cut silently.
            throw .refused(zh: "密码最多 72 字节", en: "the password must have at most 72 bytes")
        }
    }

    public static func add(_ name: String, password: String, _ database: LubanDatabase) throws(LubanError) {
        try checkName(name)
        try checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        try database.write("user add", detail: name) { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM web_user WHERE name = ?", arguments: [name]) == true {
                throw LubanError.conflict(
                    zh: "账户 \(name) 已存在；先 luban user remove \(name)", en: "the account \(name) exists already; luban user remove \(name) first")
            }
            try db.execute(
                sql: "INSERT INTO web_user (name, password_hash, created_at, created_by, sign_in_key) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, hash, Timestamp.now(), database.user, randomToken()])
        }
    }

    /// Sets a new password for `name`, and a new sign-in key: every browser signed in to the
    /// account is signed out at its next request.
    public static func setPassword(_ name: String, password: String, _ database: LubanDatabase) throws(LubanError) {
        try checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        try database.write("user password", detail: name) { db in
            try db.execute(sql: "UPDATE web_user SET password_hash = ?, sign_in_key = ? WHERE name = ?", arguments: [hash, randomToken(), name])
            guard db.changesCount == 1 else {
                throw LubanError.refused(
                    zh: "没有账户 \(Visible.text(name))；见 luban user list", en: "no account \(Visible.text(name)); see luban user list")
            }
        }
    }

    public static func list(_ database: LubanDatabase) throws(LubanError) -> [Account] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at, created_by FROM web_user ORDER BY name").map {
                Account(name: $0[0], createdAt: $0[1], createdBy: $0[2])
            }
        }
    }

    public static func remove(_ name: String, _ database: LubanDatabase) throws(LubanError) {
        try database.write("user remove", detail: name) { db in
            try db.execute(sql: "DELETE FROM web_user WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else {
                throw LubanError.refused(
                    zh: "没有账户 \(Visible.text(name))；见 luban user list", en: "no account \(Visible.text(name)); see luban user list")
            }
        }
    }

    /// Whether a browser that signed in to `name` with `key` is still signed in: the account is
    /// there and still has that key (not removed, added again, or given a new password since).
    public static func isSignedIn(_ name: String, key: String, _ database: LubanDatabase) throws(LubanError) -> Bool {
        // Asked at every office request: a statement prepared once.
        let current = try database.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT sign_in_key FROM web_user WHERE name = ?"), arguments: [name])
        }
        return current.map { sameText($0, key) } ?? false
    }

    /// The account's bcrypt hash and sign-in key, or nil when there is no such account.
    public static func credentials(_ name: String, _ database: LubanDatabase) throws(LubanError) -> (hash: String, signInKey: String)? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT password_hash, sign_in_key FROM web_user WHERE name = ?", arguments: [name]).map { ($0[0], $0[1]) }
        }
    }

    /// Whether `password` matches `hash` (from `passwordHash`). Slow on purpose (bcrypt), and
    /// as slow when there is no account, so that timing does not tell which names exist.
    public static func verify(_ password: String, hash: String?) -> Bool {
        Bcrypt.verify(password, hash: hash ?? dummyHash) && hash != nil
    }

    private static let dummyHash = Bcrypt.hash("no such account, no such password", cost: cost)
}

// MARK: - Roll-call links

/// A link that lets an expert mark one session without an account: a random token in the
/// link and a PIN shown on the office's screen, valid on the session's date until closed.
public struct RollCallLink: Sendable {
    public let id: Int64
    public let sessionID: Int64
    public let pin: String
    public let createdAt: String
    public let createdBy: String

    /// Makes a link for `session` and returns it with its token (shown once: only its SHA-256
    /// is kept). Closes the session's earlier links: one link per session is open at a time.
    public static func open(session: Int64, by user: String, _ database: LubanDatabase) throws(LubanError) -> (link: RollCallLink, token: String) {
        let s = try database.session(String(session))
        if let on = s.cancelledOn {
            throw .refused(zh: "课次 \(session) 已于 \(on) 取消，不能点名", en: "session \(session) was cancelled on \(on); there is no roll call to take")
        }
        let token = randomToken()
        let pin = String(format: "%06d", Int.random(in: 0..<1_000_000))
        let now = Timestamp.now()
        let id = try database.write("rollcall link", detail: Phrase(zh: "课次 \(session)", en: "session \(session)").text()) { db in
            try close(session: session, db)
            try db.execute(
                sql: "INSERT INTO rollcall_link (session_id, token_sha256, pin, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                arguments: [session, sha256(token), pin, now, user])
            return db.lastInsertedRowID
        }
        return (RollCallLink(id: id, sessionID: session, pin: pin, createdAt: now, createdBy: user), token)
    }

    public static func close(session: Int64, _ database: LubanDatabase) throws(LubanError) {
        try database.write("rollcall link close", detail: Phrase(zh: "课次 \(session)", en: "session \(session)").text()) { db in
            try close(session: session, db)
        }
    }

    /// Closes the session's open link, in the caller's transaction.
    static func close(session: Int64, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE rollcall_link SET closed_at = ? WHERE session_id = ? AND closed_at IS NULL", arguments: [Timestamp.now(), session])
    }

    /// The open link `token` names, if it is valid today (its session's date).
    public static func find(token: String, today: CalendarDate, _ database: LubanDatabase) throws(LubanError) -> RollCallLink? {
        guard token.utf8.count == 43 else { return nil }
        return try database.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT l.id, l.session_id, l.pin, l.created_at, l.created_by FROM rollcall_link l JOIN session s ON s.id = l.session_id
                        WHERE l.token_sha256 = ? AND l.closed_at IS NULL AND s.date = ? AND s.cancelled_on IS NULL
                        """), arguments: [sha256(token), today.description]
            ).map { RollCallLink(id: $0[0], sessionID: $0[1], pin: $0[2], createdAt: $0[3], createdBy: $0[4]) }
        }
    }

    /// The session's open link, if any (for the office's page: its PIN and since when).
    public static func current(session: Int64, _ database: LubanDatabase) throws(LubanError) -> RollCallLink? {
        try database.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, session_id, pin, created_at, created_by FROM rollcall_link WHERE session_id = ? AND closed_at IS NULL",
                arguments: [session]
            ).map { RollCallLink(id: $0[0], sessionID: $0[1], pin: $0[2], createdAt: $0[3], createdBy: $0[4]) }
        }
    }

    static func sha256(_ text: String) -> String { SHA256.hash(text).hex }
}

/// Whether two secrets are equal, in a time that does not depend on where they first differ:
/// every byte is compared (a wrong PIN that differs only in its first digit takes as long as one
/// that differs only in its last).
public func sameText(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count, !x.isEmpty else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// 32 random bytes from the system's generator (getrandom(2) on Linux), base64url without padding (43 characters).
public func randomToken() -> String {
    var bytes = [UInt8](repeating: 0, count: 32)
    for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
    return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

extension RollCallLink {
    /// Closes every open link, in the caller's transaction (a restored database's links are
    /// ways in that the office no longer shows on any screen).
    static func closeAll(_ db: Database) throws {
        try db.execute(sql: "UPDATE rollcall_link SET closed_at = ? WHERE closed_at IS NULL", arguments: [Timestamp.now()])
    }
}
