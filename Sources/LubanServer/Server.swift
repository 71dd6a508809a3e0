import Foundation
import Hummingbird
import Logging
import LubanKit
import NIOCore

// MARK: - `luban serve`: the server, started and stopped

public enum WebServer {
    public struct Options: Sendable {
        public var databasePath: String
        public var bind: String
        public var port: Int
        public var secureCookies: Bool
        /// A session whose roll-call link is made at start and printed with its QR code.
        public var rollCall: Int64?
        /// Whether what is said goes to a terminal: only then are a roll-call link's token and
        /// PIN printed (in a log file they would be read by whoever reads the log).
        public var toTerminal = false

        public init(databasePath: String, bind: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, rollCall: Int64? = nil) {
            self.databasePath = databasePath
            self.bind = bind
            self.port = port
            self.secureCookies = secureCookies
            self.rollCall = rollCall
        }
    }

    /// Serves until SIGINT or SIGTERM; then stops taking requests, finishes those under way,
    /// writes every mark handed over and closes the database. `say` gets what a person reads:
    /// the addresses (with a QR code's colours) and one line per request, made visible.
    public static func run(_ options: Options, say: @escaping @Sendable (String) -> Void) async throws {
        let store = try Store(path: options.databasePath)
        let web = Web(store: store, secureCookies: options.secureCookies, bind: options.bind, log: say)
        let link = try options.rollCall.map { session throws(LubanError) in
            try RollCallLink.open(session: session, by: LubanDatabase.osUser, try LubanDatabase(path: options.databasePath))
        }
        var logger = Logger(label: "luban")
        logger.logLevel = .error
        let devices = DeviceConnections()
        let app = Application(
            router: web.router(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ConnectionGuard(devices: devices, requestLimit: .seconds(30))],
                    idleTimeout: .seconds(15))),
            configuration: .init(address: .hostname(options.bind, port: options.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                say(Self.banner(options, port: port, link: link))
            },
            logger: logger)
        try await app.runService()
        if store.close() {
            say(Phrase(zh: "已停止；所有点名已写入数据库", en: "stopped; every mark is in the database").text())
        } else {
            say(
                Phrase(
                    zh: "已停止；数据库文件 \(options.databasePath) 在运行期间被移走、替换或删除：此后的点名均被拒绝，未保存",
                    en:
                        "stopped; the database file \(options.databasePath) was moved, replaced or deleted while serving: every mark after that was refused, none kept"
                ).text())
        }
    }

    /// What went wrong in words a person can act on (the network's errors name a system call).
    public static func describe(_ error: any Error) -> String {
        if let e = error as? IOError {
            switch e.errnoCode {
            case EADDRINUSE:
                return Phrase(
                    zh: "无法在该端口监听：端口已被占用（另一个 luban serve 在运行？）；请用 --port 换一个端口",
                    en: "cannot listen there: the port is in use (is another luban serve running?); choose another with --port"
                ).text()
            case EADDRNOTAVAIL:
                return Phrase(
                    zh: "本机没有这个地址；--bind 请用 127.0.0.1（仅本机）或 0.0.0.0（所有网络）",
                    en: "this computer has no such address; use --bind 127.0.0.1 (this computer only) or 0.0.0.0 (every network)"
                ).text()
            case EACCES:
                return Phrase(
                    zh: "没有权限使用 1024 以下的端口；请用 --port 8080 之类", en: "ports below 1024 need privileges; use --port 8080 or similar"
                ).text()
            default: return Phrase(verbatim: String(cString: strerror(e.errnoCode))).text()
            }
        }
        if error is SocketAddressError {
            return Phrase(
                zh: "--bind 不是有效的地址；请用 127.0.0.1 或 0.0.0.0", en: "--bind is not a valid address; use 127.0.0.1 or 0.0.0.0"
            ).text()
        }
        return "\(error)"
    }

    /// The addresses to open: this machine's own, and, bound to every address, each network's.
    static func banner(_ options: Options, port: Int, link: (link: RollCallLink, token: String)?) -> String {
        var hosts = [options.bind]
        if options.bind == "0.0.0.0" || options.bind == "::" { hosts = localAddresses() }
        if hosts.isEmpty { hosts = ["127.0.0.1"] }
        var lines = [Phrase(zh: "luban 网页已启动（Ctrl-C 停止）：", en: "luban is serving (Ctrl-C stops it):").text()]
        for host in hosts {
            lines.append("  \(Phrase(zh: "办公室", en: "office").text())    http://\(host):\(port)/")
            lines.append("  \(Phrase(zh: "验证", en: "verify").text())    http://\(host):\(port)/verify")
        }
        if let link, !options.toTerminal {
            lines.append(
                Phrase(
                    zh: "已为课次 \(link.link.sessionID) 开启点名链接；链接和 PIN 只显示在终端上，不写入日志：请在终端里运行 luban serve，或在办公室网页的课次页面生成新链接",
                    en:
                        "a roll-call link for session \(link.link.sessionID) is open; its link and PIN are shown on a terminal only, never in a log: run luban serve in a terminal, or make a new link on the session's office page"
                ).text())
        } else if let link {
            // The PIN beside the QR code: whoever sees this screen may mark; a link passed on
            // without the PIN opens nothing.
            let url = "http://\(hosts.first { $0 != "127.0.0.1" } ?? hosts[0]):\(port)/r/\(link.token)"
            let session = link.link.sessionID
            lines.append(
                Phrase(
                    zh: "课次 \(session) 的点名链接（请专家扫码，再输入 PIN \(link.link.pin)；仅在课次当天有效）：",
                    en:
                        "Roll-call link for session \(session) (the expert scans it, then enters PIN \(link.link.pin); valid on the session's date only):"
                ).text()
            )
            lines.append("  " + url)
            if let qr = try? QRCode(url) { lines.append(qr.terminalText) }
        }
        return lines.joined(separator: "\n")
    }

    /// This machine's IPv4 addresses other than loopback (a hotspot's, a LAN's), then loopback.
    static func localAddresses() -> [String] {
        var result: [String] = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return ["127.0.0.1"] }
        defer { freeifaddrs(list) }
        var next: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = next {
            if let addr = entry.pointee.ifa_addr, addr.pointee.sa_family == UInt16(AF_INET) {
                var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(addr, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
                    let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if text != "127.0.0.1" { result.append(text) }
                }
            }
            next = entry.pointee.ifa_next
        }
        return result + ["127.0.0.1"]
    }
}
