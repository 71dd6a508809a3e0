import ArgumentParser
import LubanKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the database and the issuer's signing key (running it again does no harm).",
        discussion: """
            Creates the database file (owner-only), brings it up to date, and creates the issuer's \
            Ed25519 key beside it (<db>.issuer-key, owner-only) unless one is there already. It never makes a new key \
            for a database whose certificates a key signed: restore that key file instead (luban backup --with-key keeps it).
            Example: luban init --db office.sqlite
            """)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.openOrCreate()
        let (key, created) = try IssuerKey.loadOrCreate(at: IssuerKey.path(forDatabase: database.resolvedPath), registered: try db.issuerPublicKey())
        try db.registerIssuer(key)
        emit(say(zh: "数据库 \(database.resolvedPath) 已就绪", en: "database \(database.resolvedPath) is ready"))
        emit(
            say(
                zh: "签发密钥 \(IssuerKey.path(forDatabase: database.resolvedPath)) \(created ? "已生成" : "已保留")（指纹 \(key.fingerprint)）",
                en:
                    "issuer key \(IssuerKey.path(forDatabase: database.resolvedPath)) \(created ? "created" : "kept") (fingerprint \(key.fingerprint))"
            ))
    }
}
