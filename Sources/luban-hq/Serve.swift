import ArgumentParser
import Foundation
import Hummingbird
import Logging
import LubanHQ
import LubanKit
import LubanServer
import NIOCore
import Synchronization

/// `luban hq serve`: HQ's pages (the union's figures, a chart per centre), the public check
/// (/verify) and the door for bundles (POST /bundles, what `luban hq apply` does with a file).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve HQ's pages: the union's figures with a chart per centre, the public check (/verify), and POST /bundles.",
        discussion: """
            Anyone may check a certificate at /verify with its number and the holder's name. A bundle POSTed to /bundles \
            is checked and applied as luban hq apply does (it is signed: nothing else is asked of the sender).
            Example: luban hq serve --port 8090
            """)
    @OptionGroup var connection: Connection
    @Option(help: "The address to listen on.") var bind = "127.0.0.1"
    @Option(help: "The port (0: any free one, printed).") var port = 8090

    func run() throws {
        let desk = Desk(try connection.open())
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        let (bind, port) = (bind, port)
        let language = Language.current
        Task.detached {
            await Language.$current.withValue(language) {
                do {
                    var logger = Logger(label: "luban-hq")
                    logger.logLevel = .error
                    let app = Application(
                        router: HQPages(desk: desk, language: language).router(),
                        configuration: .init(address: .hostname(bind, port: port), serverName: nil),
                        onServerRunning: { channel in
                            let port = channel.localAddress?.port ?? port
                            emit(say(zh: "总部页面：http://\(bind):\(port)/ （Ctrl-C 停止）", en: "HQ's pages: http://\(bind):\(port)/ (Ctrl-C stops)"))
                            // At once, also into a pipe or a log: the address is read as it is printed.
                            fflush(nil)
                        },
                        logger: logger)
                    try await app.runService()
                } catch {
                    failure = error
                }
            }
            done.signal()
        }
        done.wait()
        if let failure { throw failure }
    }
}

/// HQ's one database connection, used by one request at a time (libpq's connection is not
/// shared between threads), off the server's own threads.
final class Desk: @unchecked Sendable {
    private let hq: Headquarters
    private let queue = DispatchQueue(label: "luban-hq.desk")

    init(_ hq: Headquarters) { self.hq = hq }

    func work<T: Sendable>(_ body: @escaping @Sendable (Headquarters) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self.hq) }) }
        }
    }
}

struct HQPages: Sendable {
    let desk: Desk
    /// The pages' language until a visitor chooses one (`/lang/zh`, `/lang/en`): the server's.
    let language: Language
    let uploads = Uploads(most: 2)

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: Speaking(language: language))
        router.get("/lang/:language") { request, context in Web.chooseLanguage(context.parameters.get("language"), request) }
        router.get("/") { _, _ in try await self.home() }
        router.get("/verify") { request, _ in
            let number = request.uri.queryParameters.get("number") ?? ""
            let name = request.uri.queryParameters.get("name") ?? ""
            return try await self.verify(number: number, name: name)
        }
        router.post("/verify") { request, _ in
            let form = Self.form(String(buffer: try await request.body.collect(upTo: 16 * 1024)))
            return try await self.verify(number: form["number"] ?? "", name: form["name"] ?? "")
        }
        router.post("/bundles") { request, _ in
            // A few bundles at a time: each is read whole (up to 256 MiB) before it is checked,
            // so that a flood of uploads cannot take all of HQ's memory. The others are asked to
            // come back.
            guard uploads.enter() else {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .retryAfter: "30"],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string: say(zh: "总部正在接收其他数据包：请稍后重新发送", en: "HQ is taking other bundles: send it again in a moment") + "\n")))
            }
            defer { uploads.leave() }
            let body = try await request.body.collect(upTo: 256 * 1024 * 1024)
            let file = [UInt8](buffer: body)
            let verdict = try await desk.work { try $0.apply(file) }
            let status: HTTPResponse.Status
            switch verdict {
            case .applied, .alreadyApplied: status = .ok
            case .outOfOrder, .conflict: status = .conflict
            case .refused: status = .badRequest
            }
            return Response(
                status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: verdict.line + "\n"))
            )
        }
        return router
    }

    /// The union's figures, then each centre's, each with its chart.
    func home() async throws -> Response {
        let (union, offices, perOffice) = try await desk.work { hq in
            let offices = try hq.offices()
            return (try hq.yearly(), offices, try offices.map { try hq.yearly(office: $0.code) })
        }
        var body = "<h1>\(say(zh: "联合会总部", en: "The union's headquarters"))</h1>"
        body += "<p><a href=\"/verify\">\(say(zh: "查验证书", en: "Check a certificate"))</a></p>"
        body += "<h2>\(say(zh: "全联合会年度统计", en: "Yearly totals, all centres"))</h2>"
        body += Self.table(YearlyTotals.table(union))
        body +=
            "<p class=\"note\">\(say(zh: "人数按身份证号计不同的人：在两个中心培训的人只计一次；其余各项为各中心之和。", en: "Trainees counts distinct persons: someone trained at two centres counts once; every other figure is the sum over centres."))</p>"
        body += BarChart.yearly(union)
        for (office, rows) in zip(offices, perOffice) {
            body += "<section><h2>\(escape(office.name)) (\(escape(office.code)))</h2>"
            let last =
                office.lastNumber == 0
                ? say(zh: "尚无数据包", en: "no bundle yet")
                : say(
                    zh: "最后数据包：第 \(office.lastNumber) 号，\(office.lastMade ?? "") 制作，\(office.lastApplied ?? "") 应用",
                    en: "last bundle: \(office.lastNumber), made \(office.lastMade ?? ""), applied \(office.lastApplied ?? "")")
            body += "<p class=\"note\">\(escape(last))\(office.retired.map { " · " + say(zh: "密钥已停用 ", en: "key retired ") + escape($0) } ?? "")</p>"
            body += Self.table(YearlyTotals.table(rows)) + BarChart.yearly(rows) + "</section>"
        }
        return Self.page(say(zh: "联合会总部", en: "Union HQ"), body, here: "/")
    }

    /// The public check: a form, and the answer when a number and a name were given.
    func verify(number: String, name: String) async throws -> Response {
        var body = "<h1>\(say(zh: "查验证书", en: "Check a certificate"))</h1>"
        body += """
            <form method="post" action="/verify">
            <label>\(say(zh: "证书编号", en: "Certificate number"))<input name="number" value="\(escape(number))" autocomplete="off"></label>
            <label>\(say(zh: "持证人姓名", en: "Holder's name"))<input name="name" value="\(escape(name))" autocomplete="off"></label>
            <button>\(say(zh: "查验", en: "Check"))</button>
            </form>
            """
        let number = number.trimmingCharacters(in: .whitespaces)
        let name = name.trimmingCharacters(in: .whitespaces)
        if !number.isEmpty || !name.isEmpty {
            if number.isEmpty || name.isEmpty {
                body += "<p class=\"verdict\">\(say(zh: "请同时填写证书编号和持证人姓名", en: "give both the number and the holder's name"))</p>"
            } else {
                let check: Headquarters.Check
                do {
                    check = try await desk.work { try $0.check(number: number, name: name) }
                } catch let error as LubanError {
                    return Self.page(
                        say(zh: "查验证书", en: "Check a certificate"), body + "<p class=\"verdict invalid\">\(escape(error.message))</p>",
                        here: "/verify")
                }
                switch check {
                case .valid(let n, let tier, let issued, let office, let officeName):
                    body +=
                        "<p class=\"verdict valid\">\(say(zh: "有效", en: "VALID")) VALID</p><p>\(escape(n)) · \(escape(tier)) · \(escape(issued))<br>\(say(zh: "颁发机构", en: "Issued by"))：\(escape(officeName)) (\(escape(office)))</p>"
                case .revoked(let n, let reason, let office, let officeName):
                    body +=
                        "<p class=\"verdict revoked\">\(say(zh: "已撤销", en: "REVOKED")) REVOKED</p><p>\(escape(n))\(reason.isEmpty ? "" : " · " + escape(reason))<br>\(say(zh: "颁发机构", en: "Issued by"))：\(escape(officeName)) (\(escape(office)))</p>"
                case .invalid(let n):
                    body +=
                        "<p class=\"verdict invalid\">\(say(zh: "无效", en: "INVALID")) INVALID</p><p>\(say(zh: "没有编号为 \(escape(n)) 且持证人为此姓名的证书", en: "no certificate \(escape(n)) for this holder's name"))</p>"
                }
            }
        }
        body +=
            "<p class=\"note\">\(say(zh: "编号与姓名须同时相符；只给编号不会显示任何持证人信息。", en: "The number and the name must both match; a number alone tells nothing about its holder."))</p>"
        return Self.page(say(zh: "查验证书", en: "Check a certificate"), body, here: "/verify")
    }

    static func table(_ table: Table) -> String {
        var html = "<div class=\"scroll\"><table><tr>" + table.columns.map { "<th>\(escape($0.heading))</th>" }.joined() + "</tr>"
        for row in table.rows {
            html += "<tr>" + row.map { "<td\($0.isNumeric ? " class=\"n\"" : "")>\(escape($0.shown))</td>" }.joined() + "</tr>"
        }
        return html + "</table></div>"
    }

    static func page(_ title: String, _ body: String, here: String) -> Response {
        let html = """
            <!doctype html><html lang="\(Language.current == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(title))</title>
            <style>
            body{font-family:"Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#222}
            h1{color:#7a1f1f;font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}
            .scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;white-space:nowrap}
            th{text-align:left;background:#f6f1e7}td.n{text-align:right}.note{color:#666;font-size:.85rem}
            section{border-top:2px solid #c9a227;margin-top:1.5rem}svg.chart{max-width:100%;height:auto}
            form{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}label{display:flex;flex-direction:column;font-size:.9rem}
            input{font-size:1rem;padding:.4rem;min-width:14rem}button{font-size:1rem;padding:.45rem 1.2rem;background:#7a1f1f;color:#fff;border:0}
            .verdict{font-size:1.4rem;font-weight:bold}.valid{color:#1d6b2f}.revoked{color:#a15c00}.invalid{color:#a11}
            .lang{float:right;font-size:.9rem}
            </style></head><body><p class="lang"><a href="/lang/zh?to=\(here)">中文</a> · <a href="/lang/en?to=\(here)">EN</a></p>\(body)</body></html>
            """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func form(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }
}

/// How many bundles are being received at once, up to `most`.
final class Uploads: Sendable {
    private let count = Atomic<Int>(0)
    let most: Int

    init(most: Int) { self.most = most }

    /// Takes a place, or false when all are taken.
    func enter() -> Bool {
        if count.add(1, ordering: .relaxed).newValue <= most { return true }
        count.subtract(1, ordering: .relaxed)
        return false
    }

    func leave() { count.subtract(1, ordering: .relaxed) }
}

/// Each request in the language its visitor chose, else the server's.
struct Speaking: RouterMiddleware {
    typealias Context = BasicRequestContext
    let language: Language

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await Language.$current.withValue(Web.chosenLanguage(request) ?? language) { try await next(request, context) }
    }
}

/// Text made safe inside HTML.
func escape(_ text: String) -> String {
    var out = ""
    for c in Visible.text(text) {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
