import ArgumentParser
import Foundation
import LubanKit

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web interface: roll call on a phone, the office's pages, /verify for employers.",
        discussion: """
            Nothing is fetched from the internet. Ctrl-C stops it; every mark answered is already on disk.
            Example, at a field site (a laptop and a phone hotspot):
              luban serve --bind 0.0.0.0 --rollcall 12
            In the office (then open http://127.0.0.1:8080/):
              luban user add wangli
              luban serve
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The address to listen on: 127.0.0.1 (this computer only) or 0.0.0.0 (every network, e.g. a hotspot).")
    var bind = "127.0.0.1"
    @Option(help: "The port (0: any free one, printed).") var port = 8080
    @Option(help: "Open a roll-call link for this session at start and print it with its QR code.") var rollcall: Int64?
    @Flag(help: "Mark cookies Secure: only behind an HTTPS proxy (over plain HTTP the browser would never send them back).")
    var secureCookies = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw usage(zh: "--port 须在 0 到 65535 之间", en: "--port must be from 0 to 65535") }
        var v4 = in_addr()
        var v6 = in6_addr()
        guard inet_pton(AF_INET, bind, &v4) == 1 || inet_pton(AF_INET6, bind, &v6) == 1 else {
            throw usage(
                zh: "--bind 须是本机的一个 IP 地址：127.0.0.1（仅本机）或 0.0.0.0（所有网络，如手机热点）",
                en: "--bind takes an IP address of this computer: 127.0.0.1 (this computer only) or 0.0.0.0 (every network, e.g. a hotspot)")
        }
    }

    func run() throws {
        // The path is checked (and the database brought up to date) before anything listens.
        let db = try database.open()
        if let rollcall {
            // The link opens only on its session's date: made for another day, it would open
            // nothing on the phones, with nobody told why.
            let session = try db.session(String(rollcall))
            let today = CalendarDate.now()
            guard session.date == today else {
                throw LubanError.refused(
                    zh:
                        "课次 \(rollcall) 在 \(session.date)，不是今天（\(today)）：它的点名链接今天打不开；请选今天的课次（luban session list 期次），或先改期（luban session edit \(rollcall) --date \(today)）",
                    en:
                        "session \(rollcall) is on \(session.date), not today (\(today)): its roll-call link would not open today; choose today's session (luban session list COHORT), or move it first (luban session edit \(rollcall) --date \(today))"
                )
            }
        }
        OpenDatabases.closeAll()
        var arguments = ["--db", database.resolvedPath, "--bind", bind, "--port", String(port)]
        if let rollcall { arguments += ["--rollcall", String(rollcall)] }
        if secureCookies { arguments.append("--secure-cookies") }
        try Self.exec(arguments)
    }

    /// Replaces this process with `luban-serve` from beside the `luban` binary: the same
    /// process id (Ctrl-C and a service manager reach the server), the same environment.
    static func exec(_ arguments: [String], program: String = "luban-serve") throws -> Never {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let server = (parentFolder(me) as NSString).appendingPathComponent(program)
        guard access(server, X_OK) == 0 else {
            throw LubanError.refused(
                zh: "找不到 \(server)：此命令需要与 luban 放在同一文件夹的 \(program)；源码目录中请先运行 swift build（几个程序一起构建），安装时请一并复制（见 README“安装”）",
                en:
                    "no \(server): this command needs \(program) in the same folder as luban; in a checkout run swift build first (it builds them all), and install them all (see the README, Install)"
            )
        }
        let argv = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, argv)
        throw LubanError.refused(
            zh: "无法启动 \(server)：\(String(cString: strerror(errno)))", en: "cannot start \(server): \(String(cString: strerror(errno)))")
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Office accounts for luban serve.", discussion: "Example: luban user add wangli",
        subcommands: [Add.self, List.self, Password.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an office account; the password is asked on the terminal (twice) and kept as a bcrypt hash.",
            discussion: "Example: luban user add wangli")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The account name.") var name: String

        func run() throws {
            let db = try database.open()
            try Accounts.checkName(name)
            let password = try LubanPassword.ask(twice: true)
            try Accounts.add(name, password: password, db)
            emit(say(zh: "已添加账户 \(name)", en: "account \(name) added"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the office accounts.", discussion: "Example: luban user list")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let accounts = try Accounts.list(try database.open())
            try output.print(
                Table(
                    columns: [.init("name", "账户 name"), .init("created_at", "创建于 created at"), .init("created_by", "创建者 created by")],
                    rows: accounts.map { [.text($0.name), .time($0.createdAt), .text($0.createdBy)] }))
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "password",
            abstract: "Set an office account's password (asked twice) and sign the account out of every browser.",
            discussion: "Example: luban user password wangli")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The account name.") var name: String

        func run() throws {
            let db = try database.open()
            let password = try LubanPassword.ask(twice: true)
            try Accounts.setPassword(name, password: password, db)
            emit(say(zh: "已为账户 \(name) 设置新密码；所有已登录的浏览器均已退出", en: "new password set for \(name); every browser signed in to it is signed out"))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an office account (a running server refuses it from its next request).", discussion: "Example: luban user remove wangli"
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The account name.") var name: String

        func run() throws {
            try Accounts.remove(name, try database.open())
            emit(say(zh: "已删除账户 \(name)", en: "account \(name) removed"))
        }
    }
}

/// A password from the terminal, not echoed; from standard input's first line when it is not
/// a terminal (scripts, tests).
enum LubanPassword {
    static func ask(twice: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else {
                throw LubanError.refused(zh: "标准输入中没有密码", en: "no password on standard input")
            }
            return line
        }
        let first = try read(prompt: say(zh: "密码（至少 10 个字符）：", en: "Password (10 characters or more): "))
        if twice {
            let second = try read(prompt: say(zh: "再输一次：", en: "Again: "))
            guard first == second else { throw LubanError.refused(zh: "两次输入的密码不同", en: "the two passwords differ") }
        }
        return first
    }

    private static func read(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw LubanError.refused(zh: "没有输入密码", en: "no password given") }
        return line
    }
}
