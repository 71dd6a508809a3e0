import ArgumentParser
import Foundation
import LubanKit

/// `luban office`: this centre in the union's federation.
struct OfficeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office", abstract: "This centre in the union's federation (docs/FEDERATION.md).",
        discussion: "Example: luban office join CD --hq-key ed25519:… --statement CD-statement.txt", subcommands: [Join.self, Show.self])

    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join the federation once, with the statement HQ printed (luban hq office add) and HQ's public key given by hand.",
            discussion: """
                From then on this centre's certificate numbers start with its code (CD-2026-0001-7), unique across centres.
                Example: luban office join CD --hq-key ed25519:… --statement CD-statement.txt
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The centre's code at HQ.") var code: String
        @Option(help: "HQ's public key (luban hq key), as HQ gave it by hand.") var hqKey: String
        @Option(help: "The file of HQ's statement.") var statement: String

        func run() throws {
            let db = try database.open()
            guard let text = String(bytes: try InputFile.bytes(statement), encoding: .utf8) else {
                throw LubanError.file(
                    path: statement,
                    reason: Phrase(
                        zh: "不是 UTF-8 文本：请给出 luban hq office add 打印的声明文件",
                        en: "is not UTF-8 text: give the statement file luban hq office add printed"))
            }
            let membership = try db.join(office: code, statement: text, hqKey: hqKey, issuer: database.issuerKey())
            emit(
                say(
                    zh:
                        "已加入联合会：本中心为 \(membership.office)（\(membership.statement.name)）；证书编号以 \(membership.office)- 开头；用 luban publish --out 文件夹 发布数据包",
                    en:
                        "joined the federation as \(membership.office) (\(membership.statement.name)); certificate numbers now start with \(membership.office)-; publish bundles with luban publish --out FOLDER"
                ))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show this centre's code, HQ's key and the last bundle published.", discussion: "Example: luban office show")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let db = try database.open()
            guard let m = try db.membership() else {
                emit(say(zh: "本中心尚未加入联合会（luban office join）", en: "this centre has not joined the federation (luban office join)"))
                return
            }
            let last = try db.lastPublished()
            emit(
                say(
                    zh: "中心 \(m.office)（\(m.statement.name)），\(m.joinedAt) 加入\n总部公钥 \(m.statement.hqKey)\n最后发布的数据包：\(last.map(String.init) ?? "无")",
                    en:
                        "centre \(m.office) (\(m.statement.name)), joined \(m.joinedAt)\nHQ's key \(m.statement.hqKey)\nlast bundle published: \(last.map(String.init) ?? "none")"
                ))
        }
    }
}

/// `luban publish`: the next bundle for HQ.
struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the next bundle for HQ: everything recorded since the last one, signed with the issuer key.",
        discussion: """
            The bundle is one file (CD-000003.luban-bundle), numbered and chained to the one before; send it to HQ however you can \
            (USB stick, e-mail), where luban hq apply takes it; --to sends it to HQ's server as well. --again N writes bundle N \
            again, as it was, for a lost copy (with --to, sends it again).
            Examples: luban publish --out /media/usb
                      luban publish --out bundles --to http://hq.example:8090
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The folder to write the bundle into.") var out = "."
    @Option(help: "Also send it to HQ's server (luban hq serve), e.g. http://hq.example:8090.") var to: String?
    @Option(help: "Write the earlier bundle N again instead of a new one.") var again: Int?

    func run() throws {
        let db = try database.open()
        let bundle: PublishedBundle
        if let again {
            bundle = try db.publishedBundle(again)
        } else {
            guard let made = try db.publish(key: database.issuerKey()) else {
                emit(say(zh: "自上一个数据包以来没有新记录：不写新数据包", en: "nothing recorded since the last bundle: no new bundle"))
                return
            }
            bundle = made
        }
        try OutputFile.makeFolder(out)
        let path = (out as NSString).appendingPathComponent(bundle.fileName)
        let file = try OutputFile(path: path)
        try file.write(bundle.file)
        try file.commit()
        let marks = bundle.marks >= 0 ? say(zh: "（其中考勤 \(bundle.marks) 条）", en: " (\(bundle.marks) marks)") : ""
        emit(
            say(zh: "第 \(bundle.number) 号数据包：\(bundle.records) 条记录", en: "bundle \(bundle.number): \(bundle.records) records") + marks + " → " + path)
        if let to {
            // Kept in the folder whatever HQ answers: it can be sent again, or carried.
            let answer = try BundleSender.send(bundle.file, to: to)
            emit(say(zh: "总部：", en: "HQ: ") + answer.verdict)
            if answer.status != 200 { throw ExitCode(1) }
        }
    }
}

/// `luban hq …`: runs `luban-hq` from beside `luban`, which alone carries PostgreSQL's client.
struct HQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hq", abstract: "The union's headquarters on PostgreSQL: luban hq --help lists its commands.",
        discussion: "Example: luban hq report yearly --pg postgresql://localhost/luban_hq")
    @Argument(parsing: .captureForPassthrough, help: "luban hq's command and options.") var arguments: [String] = []

    func run() throws { try Serve.exec(arguments, program: "luban-hq") }
}
