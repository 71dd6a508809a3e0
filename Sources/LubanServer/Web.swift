import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import LubanKit
import NIOCore
import Synchronization

// MARK: - The web interface: its parts, and how a page is answered

/// Everything the handlers share: the store, who holds which cookie, the attempt counters.
public final class Web: Sendable {
    let store: Store
    let sessions = Sessions()
    /// Passwords: by account name and by device address.
    let logins = Attempts(limit: 5, window: 15 * 60, lockout: 5 * 60)
    /// PINs by device address; six digits, so few tries.
    let pins = Attempts(limit: 5, window: 30 * 60, lockout: 10 * 60)
    /// PINs by link, from every device together: a backstop against many devices guessing.
    let linkPins = Attempts(limit: 30, window: 30 * 60, lockout: 10 * 60)
    let secureCookies: Bool
    /// Roll-call links by token, as last looked up, and when (see `link(_:)`).
    let links = Mutex<[String: (link: RollCallLink?, at: ContinuousClock.Instant)]>([:])
    /// Where each request is reported (method, path without secrets, status, time), or nil.
    let log: (@Sendable (String) -> Void)?

    /// The address the server listens on (for the links it shows: see `linkHost`).
    let bind: String

    public init(store: Store, secureCookies: Bool = false, bind: String = "127.0.0.1", log: (@Sendable (String) -> Void)? = nil) {
        self.store = store
        self.secureCookies = secureCookies
        self.bind = bind
        self.log = log
    }

    /// The router with every page: public (`/verify`, sign-in, roll-call links, style) and the
    /// office's, behind `OfficeOnly`.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: Guarded(web: self))
        addPublicRoutes(router)
        addRollCallRoutes(router)
        let office = router.group().add(middleware: OfficeOnly(web: self))
        addOfficeRoutes(office)
        return router
    }

    // MARK: Answers

    /// The sign-in a request's form belongs to: the roll-call link's on `/r/…`, else the
    /// office account's.
    func signIn(_ request: Request) -> Sessions.Holder? {
        let cookie = request.uri.path.hasPrefix("/r/") ? Cookies.rollCall : Cookies.office
        return sessions.holder(request.cookies[cookie]?.value)
    }

    /// The CSRF token of this browser: its sign-in's when signed in (see `Sessions.Holder.csrf`),
    /// else its cookie's, or a new one; `isNew` when the cookie must be set (by `page`).
    func csrf(_ request: Request) -> (token: String, isNew: Bool) {
        let cookie = request.cookies[Cookies.csrf]?.value
        if let bound = signIn(request)?.csrf { return (bound, cookie != bound) }
        if let cookie, cookie.utf8.count == 43 { return (cookie, false) }
        return (randomToken(), true)
    }

    /// A whole page: the layout around template `name` filled with `values`.
    func page(
        _ request: Request, _ context: WebContext, title: Phrase, _ name: String, _ values: [String: Any] = [:],
        status: HTTPResponse.Status = .ok, flash: String? = nil, problem: String? = nil, script: Bool = false
    ) -> Response {
        let (csrf, isNew) = csrf(request)
        var values = values
        values["csrf"] = csrf
        var layout: [String: Any] = [
            "lang": Language.current == .zh ? "zh-CN" : "en", "title": title.text(), "csrf": csrf, "script": script,
            "here": request.uri.path, "home": context.account == nil ? "/verify" : "/",
            "body": WebTemplates.render(name, values),
        ]
        if let flash { layout["flash"] = flash }
        if let problem { layout["problem"] = problem }
        if let account = context.account {
            layout["account"] = account
            layout["signOut"] = say(zh: "退出", en: "Sign out")
            layout["nav"] = [
                "links": [
                    ["href": "/", "label": say(zh: "期次", en: "Cohorts")], ["href": "/totals", "label": say(zh: "年度统计", en: "Yearly totals")],
                    ["href": "/trainees", "label": say(zh: "学员", en: "Trainees")], ["href": "/verify", "label": say(zh: "验证", en: "Verify")],
                ]
            ]
        }
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: WebTemplates.render("layout", layout))))
        if isNew { response.setCookie(Cookies.make(Cookies.csrf, csrf, secure: secureCookies)) }
        return response
    }

    /// A flat JSON object of strings and numbers, keys sorted (the roll call's script reads it).
    func json(_ object: [String: JSONValue], status: HTTPResponse.Status = .ok) -> Response {
        let members = object.sorted { $0.key < $1.key }.map { "\(JSONValue.string($0.key).text):\($0.value.text)" }
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: "{" + members.joined(separator: ",") + "}")))
    }

    /// A file to save: its name made of letters, digits, `.`, `-` and `_` only (it goes into a header).
    func download(_ bytes: [UInt8], name: String, type: String = "text/csv; charset=utf-8") -> Response {
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) ? $0 : "_" })
        return Response(
            status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(safe)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Runs `work` on a thread of its own: slow work (bcrypt, a workbook) never holds up an
    /// event loop or the database's threads.
    static func offTheLoop<T: Sendable>(_ work: @escaping @Sendable () throws(LubanError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            DispatchQueue.global().async { done.resume(with: Result { () throws(LubanError) in try work() }) }
        }
    }

    /// A refusal as a page (or JSON for the roll call's script): the message names the problem.
    func refusal(
        _ request: Request, _ context: WebContext, _ message: Phrase, status: HTTPResponse.Status = .badRequest
    ) -> Response {
        if wantsJSON(request) { return json(["problem": .string(message.text())], status: status) }
        return page(request, context, title: Phrase(zh: "无法完成", en: "Not done"), "table", ["empty": ""], status: status, problem: message.text())
    }

    /// The HTTP status that tells a refusal's kind: what is not there, what the records do not
    /// allow now, what cannot be served at all, and what was asked wrongly.
    static func status(of error: LubanError) -> HTTPResponse.Status {
        switch error {
        case .unknownTrainee, .notOnRollCall, .unknownCohort, .unknownSession, .unknownCertificate, .unknownCurriculum, .unknownExpert:
            return .notFound
        case .databaseReplaced, .database, .noDatabase, .notALubanDatabase, .databaseTooNew:
            return .serviceUnavailable
        case .internalFailure:
            return .internalServerError
        case .restsOnCertificate, .conflict, .cohortExists, .duplicateIDNumber:
            return .conflict
        default:
            return .badRequest
        }
    }

    func wantsJSON(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("application/json") == true
    }

    /// Reads a posted form that came from this server's own page: sent by the browser from this
    /// origin (`Origin`, `Sec-Fetch-Site`, when the browser sends them), carrying the CSRF token
    /// of its sign-in (before signing in, of its cookie). Nil when it did not.
    func form(_ request: Request, _ context: WebContext) async throws -> Form? {
        guard Self.sameOrigin(request) else { return nil }
        let form = try await Form.read(request)
        guard let sent = form["csrf"] else { return nil }
        if let holder = signIn(request) { return sameText(holder.csrf, sent) ? form : nil }
        guard let cookie = request.cookies[Cookies.csrf]?.value, sameText(cookie, sent) else { return nil }
        return form
    }

    /// Whether the browser says the request comes from a page of this origin, or says nothing
    /// (an older browser, a script): a page on another port of the same machine shares this
    /// site's cookies, but not its origin.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }

    func forbiddenForm(_ request: Request, _ context: WebContext) -> Response {
        refusal(
            request, context,
            Phrase(
                zh: "表单已过期或来自别处（缺少有效的 CSRF 令牌）；请重新打开此页再提交",
                en: "the form is stale or came from elsewhere (no valid CSRF token); open the page again and resend it"), status: .forbidden)
    }

    /// `/lang/zh` or `/lang/en`: the visitor's language, kept in a cookie for a year, then back
    /// to the page they were on (`?to=`, a path on this server). Any other word is Chinese.
    public static func chooseLanguage(_ word: String?, _ request: Request) -> Response {
        let language = word == "en" ? "en" : "zh"
        var response = Response.redirect(to: localPath(request.uri.queryParameters.get("to")))
        response.setCookie(Cookie(name: Cookies.language, value: language, maxAge: 365 * 86400, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    /// The language a visitor chose (`chooseLanguage`), nil when none.
    public static func chosenLanguage(_ request: Request) -> Language? {
        switch request.cookies[Cookies.language]?.value {
        case "en": return .en
        case "zh": return .zh
        default: return nil
        }
    }

    /// `to` when it is a path on this server (never another site), else `/`: printable ASCII
    /// only, since browsers drop tabs and line breaks from a URL (`/\t/evil.example` becomes
    /// `//evil.example`, another site) and read `\` as `/`.
    static func localPath(_ to: String?) -> String {
        guard let to, to.utf8.count < 300, to.hasPrefix("/"), !to.hasPrefix("//"),
            to.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") })
        else { return "/" }
        return to
    }
}

// MARK: - What every answer gets

/// Chooses the language (cookie, else Chinese), turns errors into pages (never a stack
/// trace), adds the security headers, and reports the request without secrets or personal data.
struct Guarded: RouterMiddleware {
    typealias Context = WebContext
    let web: Web

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let language = Web.chosenLanguage(request) ?? .zh
        var response = await Language.$current.withValue(language) {
            do {
                return try await next(request, context)
            } catch let error as LubanError {
                return web.refusal(request, context, error.phrase, status: Web.status(of: error))
            } catch is NIOTooManyBytesError {
                return web.refusal(
                    request, context,
                    Phrase(zh: "提交的内容太大（超过 64 KB）；请缩短后再提交", en: "what was sent is too large (over 64 KB); shorten it and send it again"),
                    status: .contentTooLarge)
            } catch let error as HTTPError where error.status == .notFound {
                return web.refusal(request, context, Phrase(zh: "没有这个页面", en: "no such page"), status: .notFound)
            } catch let error as HTTPError {
                return web.refusal(request, context, Phrase(verbatim: "\(error.status.code) \(error.status.reasonPhrase)"), status: error.status)
            } catch {
                web.log?("error: \(type(of: error))")
                return web.refusal(
                    request, context, Phrase(zh: "服务器内部错误；请查看服务器窗口", en: "internal error; see the server's window"),
                    status: .internalServerError)
            }
        }
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if let log = web.log {
            let ms = Double((ContinuousClock.now - start).components.attoseconds / 10_000_000_000_000) / 100
            log(Visible.lines("\(request.method) \(Self.loggable(request.uri.path)) \(response.status.code) \(ms) ms"))
        }
        return response
    }

    /// A path as it may be logged: a roll-call link's token left out wherever it stands
    /// (`/r/TOKEN`, `//r/TOKEN`), and so is anything typed into a URL that is long or holds a
    /// run of digits as long as an ID number's. What is left is the shape of the request.
    static func loggable(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        var out: [Substring] = []
        var afterR = false
        for part in parts {
            var longestDigits = 0
            var run = 0
            for b in part.utf8 {
                run = (b >= 0x30 && b <= 0x39) ? run + 1 : 0
                longestDigits = max(longestDigits, run)
            }
            let secret = afterR || part.utf8.count > 24 || longestDigits >= 6
            out.append(secret && !part.isEmpty ? "…" : part)
            if !part.isEmpty { afterR = part == "r" }
        }
        return out.joined(separator: "/")
    }
}

/// The office's pages: a signed-in account, else to the sign-in page (a read) or refused (a
/// form).
struct OfficeOnly: RouterMiddleware {
    typealias Context = WebContext
    let web: Web

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let holder = web.sessions.holder(request.cookies[Cookies.office]?.value)
        // An account removed with `luban user remove` is refused from its next request on.
        var account: String?
        if case .office(let name, let key)? = holder?.kind, try await web.store.read({ try Accounts.isSignedIn(name, key: key, $0) }) {
            account = name
        }
        guard let name = account else {
            if request.method == .get { return .redirect(to: "/login?to=" + Self.escape(request.uri.path)) }
            return web.refusal(
                request, context, Phrase(zh: "请先登录办公室账户", en: "sign in with an office account first"), status: .unauthorized)
        }
        var context = context
        context.account = name
        do {
            return try await next(request, context)
        } catch let error as LubanError {
            // Here rather than in `Guarded`, so that the page keeps the office's navigation.
            return web.refusal(request, context, error.phrase, status: Web.status(of: error))
        }
    }

    static func escape(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._"))) ?? "/"
    }
}

/// A value in `Web.json`: written by hand (Foundation's serializer cost a sixth of a mark's time).
enum JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int)

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }

    var text: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s):
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "<": out += "\\u003c"
                case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
                default: out.unicodeScalars.append(u)
                }
            }
            return out + "\""
        }
    }
}

/// The words in the language of this request (`Language.current`, set per request by `Guarded`).
func say(zh: String, en: String) -> String { Phrase(zh: zh, en: en).text() }
