import ArgumentParser
import LubanKit

struct IssuerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issuer", abstract: "The issuer's signing key.",
        discussion: "Example: luban issuer key", subcommands: [Key.self, Seal.self])

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "key",
            abstract: "Print the issuer's public key, for employers who verify certificates.",
            discussion: "Example: luban issuer key > luban-public-key.txt")
        @OptionGroup var database: DatabaseOptions
        func run() throws { emit(try database.issuerKey().publicKey) }
    }

    struct Seal: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seal",
            abstract: "Sign the certificate register as it stands (once, after upgrading from a luban without seals).",
            discussion: """
                Signs every revocation that has no signature yet and the register's seal (how many certificates,                 which are revoked). Run it only when the register is as it should be: luban check lists what it would seal over.
                Example: luban issuer seal
                """)
        @OptionGroup var database: DatabaseOptions
        func run() throws {
            let signed = try database.open().sealRegister(key: database.issuerKey())
            emit(
                say(
                    zh: "登记簿已加封\(signed > 0 ? "（补签了 \(signed) 条早前的撤销）" : "")",
                    en: "register sealed\(signed > 0 ? " (\(signed) earlier revocations signed)" : "")"))
        }
    }
}
