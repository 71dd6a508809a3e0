import ArgumentParser
import LubanKit

struct IssuerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "issuer", abstract: "The issuer's signing key.",
        discussion: "Example: luban issuer key", subcommands: [Key.self])

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "key", 
            abstract: "Print the issuer's public key, for employers who verify certificates.",
            discussion: "Example: luban issuer key > luban-public-key.txt")
        @OptionGroup var database: DatabaseOptions
        func run() throws { print(try database.issuerKey().publicKey) }
    }
}
