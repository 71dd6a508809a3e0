import ArgumentParser
import Foundation
import LubanHQ
import LubanKit

// `luban-hq`: the union's headquarters, what `luban hq` runs in its place (exec), so that only
// HQ's program carries the PostgreSQL client.

@main
struct HQ: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "luban hq",
        abstract: "The union's headquarters: gather every centre's signed bundles in PostgreSQL, for union-wide figures and checks.",
        discussion: """
            Every command takes --pg URL (else $LUBAN_HQ), e.g. postgresql://luban@db.example:5432/luban_hq, and HQ's key \
            file --key-file (else $LUBAN_HQ_KEY_FILE, else ~/.luban/hq.key). See docs/FEDERATION.md.
            Once:     luban hq init --pg postgresql://localhost/luban_hq
            A centre: luban hq office add CD --name 承德培训中心 --key ed25519:… > CD-statement.txt
            Bundles:  luban hq apply bundles/*.luban-bundle
            Figures:  luban hq report yearly; luban hq report offices
            """,
        subcommands: [Init.self, Key.self, OfficeCommand.self, Apply.self, ReportCommand.self, Verify.self, Serve.self]
    )

    static func main() {
        Language.$current.withValue(.ofProcess) {
            do {
                var command = try parseAsRoot()
                try command.run()
            } catch let error as LubanError {
                FileHandle.standardError.write(Data((say(zh: "错误：", en: "Error: ") + Visible.lines(error.message) + "\n").utf8))
                Foundation.exit(1)
            } catch {
                exit(withError: error)
            }
        }
    }
}

func say(zh: String, en: String) -> String { Phrase(zh: zh, en: en).text() }

/// Standard output, made safe for a terminal; one line break at the end.
func emit(_ text: String) { Swift.print(Visible.lines(text), terminator: text.utf8.last == 10 ? "" : "\n") }

extension OutputFormat: ExpressibleByArgument {}

/// Where HQ's database and key are.
struct Connection: ParsableArguments {
    @Option(
        name: .customLong("pg"),
        help: "HQ's PostgreSQL database: a URL (postgresql://user@host:port/db) or a libpq connection string (default: $LUBAN_HQ).")
    var url: String?
    @Option(help: "HQ's key file (default: $LUBAN_HQ_KEY_FILE, else ~/.luban/hq.key).") var keyFile: String?

    var resolvedURL: String {
        get throws {
            if let url, !url.isEmpty { return url }
            if let env = ProcessInfo.processInfo.environment["LUBAN_HQ"], !env.isEmpty { return env }
            throw ValidationError(
                say(
                    zh: "请用 --pg 给出总部的 PostgreSQL 数据库（或设置 LUBAN_HQ），例如 --pg postgresql://localhost/luban_hq",
                    en: "give HQ's PostgreSQL database with --pg (or set LUBAN_HQ), e.g. --pg postgresql://localhost/luban_hq"))
        }
    }

    var keyPath: String { keyFile ?? HQKey.defaultPath }

    func open() throws -> Headquarters { try Headquarters(url: try resolvedURL, key: try HQKey.load(at: keyPath)) }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Make (or bring up to date) HQ's schema in a PostgreSQL database, and HQ's keys if there are none.",
        discussion: "Example: luban hq init --pg postgresql://localhost/luban_hq")
    @OptionGroup var connection: Connection

    func run() throws {
        let (hq, madeKey) = try Headquarters.initialize(url: try connection.resolvedURL, keyPath: connection.keyPath)
        if madeKey {
            emit(
                say(
                    zh: "已创建总部密钥文件 \(connection.keyPath)（请备份，并只让总部持有）", en: "HQ's key file made: \(connection.keyPath) (back it up; only HQ holds it)"
                ))
        }
        emit(say(zh: "总部数据库就绪；总部公钥：", en: "HQ's database is ready; HQ's public key: ") + hq.key.signing.publicKey)
    }
}

struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Print HQ's public key, which every centre is given by hand to check HQ's statement.",
        discussion: "Example: luban hq key")
    @Option(help: "HQ's key file (default: $LUBAN_HQ_KEY_FILE, else ~/.luban/hq.key).") var keyFile: String?

    func run() throws { emit(try HQKey.load(at: keyFile ?? HQKey.defaultPath).signing.publicKey) }
}

struct OfficeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office", abstract: "The centres HQ takes bundles from.", subcommands: [Add.self, List.self, Retire.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Register a centre and its issuer key; print the signed statement the centre keeps (luban office join).",
            discussion: """
                The code (2 to 8 capital letters) also prefixes the centre's certificate numbers once it joins.
                Example: luban hq office add CD --name 承德培训中心 --key ed25519:… > CD-statement.txt
                """)
        @OptionGroup var connection: Connection
        @Argument(help: "The centre's code, e.g. CD.") var code: String
        @Option(help: "The centre's name.") var name: String
        @Option(help: "The centre's issuer key, as luban issuer key prints it there (ed25519:…).") var key: String

        func run() throws {
            let statement = try connection.open().addOffice(code: code, name: name, key: key)
            Swift.print(statement, terminator: "")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the registered centres.", discussion: "Example: luban hq office list")
        @OptionGroup var connection: Connection
        @Option(help: "text, csv or json.") var format: OutputFormat = .text

        func run() throws {
            let offices = try connection.open().offices()
            let table = Table(
                columns: [
                    .init("office", "中心 office"), .init("name", "名称 name"), .init("key", "密钥 key"), .init("added", "登记 added"),
                    .init("retired", "停用 retired"), .init("last_bundle", "最后数据包 bundle"),
                ],
                rows: offices.map { o in
                    [.text(o.code), .text(o.name), .text(o.key), .text(o.added), .text(o.retired ?? ""), .int(o.lastNumber)]
                })
            if offices.isEmpty && format == .text {
                emit(
                    say(
                        zh: "尚未登记任何中心：luban hq office add 代码 --name 名称 --key ed25519:…",
                        en: "no centre is registered yet: luban hq office add CODE --name NAME --key ed25519:…"))
                return
            }
            emit(table.render(format))
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retire", abstract: "Retire a centre's key (lost or replaced): what HQ has from it stays valid; later bundles are refused.",
            discussion: "Then: luban hq office add CODE --name … --key NEWKEY gives it a new key.\nExample: luban hq office retire CD")
        @OptionGroup var connection: Connection
        @Argument(help: "The centre's code.") var code: String

        func run() throws {
            let when = try connection.open().retireOffice(code)
            emit(say(zh: "\(code) 的密钥已于 \(when) 停用", en: "\(code)'s key retired at \(when)"))
        }
    }
}

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Check each bundle and apply it in one transaction, or refuse it whole; one verdict a file.",
        discussion: """
            Verdicts: applied, already applied (nothing changes), out of order (names the missing number), conflict, refused.
            The files may come in any order: one out of order is tried again once the others have applied.
            The exit status is 0 when HQ holds every bundle given, 1 otherwise.
            Example: luban hq apply bundles/*.luban-bundle
            """)
    @OptionGroup var connection: Connection
    @Argument(help: "Bundle files (a folder: its .luban-bundle files, in name order).") var files: [String]

    func run() throws {
        let hq = try connection.open()
        var paths: [String] = []
        for f in files {
            var folder: ObjCBool = false
            if FileManager.default.fileExists(atPath: f, isDirectory: &folder), folder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: f)) ?? []
                paths += names.filter { $0.hasSuffix(".luban-bundle") }.sorted().map { f + "/" + $0 }
            } else {
                paths.append(f)
            }
        }
        guard !paths.isEmpty else { throw ValidationError(say(zh: "请给出数据包文件", en: "give bundle files")) }
        // Any order: a bundle out of order is tried again once another has applied, until
        // nothing more applies; then each file's last verdict is printed, in the order given.
        // Each file is read when it is applied (one in memory at a time).
        var verdicts: [String: Verdict] = [:]
        var pending = paths
        var progress = true
        while progress && !pending.isEmpty {
            progress = false
            var waiting: [String] = []
            for path in pending {
                let file: [UInt8]
                do { file = try InputFile.read(path) } catch {
                    verdicts[path] = .refused(reason: error.reason)
                    continue
                }
                let verdict = try hq.apply(file)
                verdicts[path] = verdict
                if case .outOfOrder = verdict { waiting.append(path) } else if case .applied = verdict { progress = true }
            }
            pending = waiting
        }
        var allHeld = true
        for path in paths {
            let verdict = verdicts[path]!
            allHeld = allHeld && verdict.holds
            emit("\(path): " + verdict.line)
        }
        if !allHeld { throw ExitCode(1) }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The union's figures.", subcommands: [Yearly.self, Offices.self])

    struct Yearly: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "yearly", abstract: "Yearly totals (DOMAIN.md) union-wide, or of one centre: a person trained at two centres counts once.",
            discussion: "Example: luban hq report yearly --format csv")
        @OptionGroup var connection: Connection
        @Option(help: "One centre's figures (its code).") var office: String?
        @Option(help: "text, csv or json.") var format: OutputFormat = .text

        func run() throws {
            let rows = try connection.open().yearly(office: office)
            let table = YearlyTotals.table(rows)
            if format == .text {
                let whose = office.map { say(zh: "中心 \($0)", en: "centre \($0)") } ?? say(zh: "全部中心（联合会）", en: "all centres (the union)")
                emit(say(zh: "年度统计", en: "Yearly totals") + " — " + whose + "\n\n" + table.text() + "\n" + YearlyTotals.definitions.text())
                if office == nil {
                    emit(
                        say(
                            zh: "全联合会：人数按身份证号（总部的加密摘要）计不同的人，在两个中心培训的人只计一次；其余各项为各中心之和。",
                            en:
                                "Union-wide: trainees counts distinct persons by ID number (HQ's keyed digest), once however many centres trained them; every other figure is the sum over centres."
                        ))
                }
            } else {
                emit(table.render(format))
            }
        }
    }

    struct Offices: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "offices", abstract: "Each centre: its last bundle, when it was made and applied, and its totals over all years.",
            discussion: "Example: luban hq report offices")
        @OptionGroup var connection: Connection
        @Option(help: "text, csv or json.") var format: OutputFormat = .text

        func run() throws { emit(try connection.open().officesTable().render(format)) }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check a certificate from any centre by its number and the holder's name: VALID, REVOKED or INVALID.",
        discussion: """
            A number with another name, or with no name, says nothing about who holds it.
            The exit status is 0 for VALID, 1 otherwise.
            Example: luban hq verify CD-2026-0001-7 --name 张三
            """)
    @OptionGroup var connection: Connection
    @Argument(help: "The certificate number.") var number: String
    @Option(help: "The holder's name as on the certificate.") var name: String

    func run() throws {
        switch try connection.open().check(number: number, name: name) {
        case .valid(let n, let tier, let issued, let office, let officeName):
            emit(
                say(
                    zh: "有效 VALID \(n)：\(tier)，\(issued) 由 \(officeName)（\(office)）颁发",
                    en: "VALID \(n): \(tier), issued \(issued) by \(officeName) (\(office))"))
        case .revoked(let n, let reason, let office, let officeName):
            emit(
                say(
                    zh: "已撤销 REVOKED \(n)：\(reason.isEmpty ? "" : reason + "，")由 \(officeName)（\(office)）颁发",
                    en: "REVOKED \(n): \(reason.isEmpty ? "" : reason + "; ")issued by \(officeName) (\(office))"))
            throw ExitCode(1)
        case .invalid(let n):
            emit(
                say(
                    zh: "无效 INVALID \(n)：没有此编号且持证人为此姓名的证书", en: "INVALID \(n): no certificate with this number for this holder's name"))
            throw ExitCode(1)
        }
    }
}
