import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import LubanDemo
import LubanKit
import NIOCore
import NIOEmbedded
import Synchronization
import TestSupport

@testable import LubanServer

/// The demo database, made once per test run, plus a cohort `2026-9` whose session is today
/// (roll-call links open only on a session's date) and an office account `office`.
enum Fixture {
    static let password = "correct horse battery"
    static let todayCohort = "2026-9"

    /// The prepared database, made once.
    static let prepared: String = {
        let folder = try! Scratch.folder("luban-web-fixture").path
        let path = folder + "/demo.sqlite"
        _ = try! DemoProgram.run(databasePath: path) { _ in }
        let db = try! LubanDatabase(path: path)
        let today = CalendarDate.now()
        try! db.addCohort(code: todayCohort, start: today, end: today, site: "承德", title: "今天")
        _ = try! db.addSession(cohort: todayCohort, SessionDraft(date: today, kind: .field, hours: 4, site: "普宁寺"))
        try! db.enroll(cohort: todayCohort, trainees: (1...40).map { String(format: "T%05d", $0) })
        try! Accounts.add("office", password: password, db)
        db.closeConnection()
        return path
    }()

    /// A copy of the prepared database for one test, with its issuer key beside it.
    static func database() throws -> String {
        let folder = try Scratch.folder("luban-web").path
        let path = folder + "/luban.sqlite"
        try FileManager.default.copyItem(atPath: prepared, toPath: path)
        try FileManager.default.copyItem(atPath: IssuerKey.path(forDatabase: prepared), toPath: IssuerKey.path(forDatabase: path))
        return path
    }

    /// The id of today's session.
    static func todaySession(_ path: String) throws -> Int64 {
        try LubanDatabase(path: path).sessions(cohort: todayCohort)[0].id!
    }

    /// Runs `test` against the router of a server on a fresh copy of the database.
    static func withServer(_ test: @Sendable @escaping (String, RouterClient) async throws -> Void) async throws {
        let path = try database()
        let store = try Store(path: path)
        try await test(path, RouterClient(Web(store: store).router()))
        _ = store.close()
    }
}

/// Sends requests straight to a router's responder, as the server does with each request it
/// reads (the socket itself is tested end to end by lubanTests, which run `luban serve`).
struct RouterClient: Sendable {
    struct Response {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
    }

    private let responder: RouterResponder<WebContext>
    private let logger = Logger(label: "luban-test")

    init(_ router: Router<WebContext>) { responder = router.buildResponder() }

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> Response {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let request = Request(
            head: .init(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: body ?? ByteBuffer())
        )
        let context = WebContext(source: .init(channel: NIOAsyncTestingChannel(), logger: logger))
        let response: Hummingbird.Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            response = Hummingbird.Response(status: .internalServerError)
        }
        let collected = Collected()
        try await response.body.write(collected)
        return Response(status: response.status, headers: response.headers, body: collected.buffer.withLock { $0 })
    }

    /// A response body, written into one buffer.
    private final class Collected: ResponseBodyWriter, Sendable {
        let buffer = Mutex(ByteBuffer())
        func write(_ part: ByteBuffer) async throws { buffer.withLock { _ = $0.writeImmutableBuffer(part) } }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

/// A browser: keeps its cookies and sends the CSRF token with every form, as a page would.
final class Browser: Sendable {
    let client: RouterClient
    private let jar = Mutex<[String: String]>([:])

    init(_ client: RouterClient) { self.client = client }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
    }

    var csrf: String { jar.withLock { $0["luban_csrf"] ?? "" } }
    func cookie(_ name: String) -> String? { jar.withLock { $0[name] } }
    func setCookie(_ name: String, _ value: String?) { jar.withLock { $0[name] = value } }

    func get(_ uri: String) async throws -> Page {
        try await send(uri, .get, body: nil, json: false)
    }

    /// Posts `fields`, with this browser's CSRF token unless `csrf` is false.
    func post(_ uri: String, _ fields: [String: String] = [:], csrf: Bool = true, json: Bool = false) async throws -> Page {
        var fields = fields
        if csrf { fields["csrf"] = self.csrf }
        let body = fields.map { key, value in "\(Self.encode(key))=\(Self.encode(value))" }.joined(separator: "&")
        return try await send(uri, .post, body: body, json: json)
    }

    private func send(_ uri: String, _ method: HTTPRequest.Method, body: String?, json: Bool) async throws -> Page {
        var headers: HTTPFields = [:]
        let cookies = jar.withLock { $0.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookies.isEmpty { headers[.cookie] = cookies }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        if json { headers[.accept] = "application/json" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for set in response.headers[values: .setCookie] {
            let pair = set.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            jar.withLock { $0[pair[0]] = set.contains("Max-Age=0") ? nil : pair[1] }
        }
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    /// Signs in and makes a roll-call link for `session`: its path (`/r/TOKEN`) and PIN, read
    /// off the page the office sees (with its QR code).
    func openLink(_ session: Int64) async throws -> (link: String, pin: String) {
        try await signIn()
        let made = try await post("/sessions/\(session)/link")
        precondition(made.body.contains("<svg"), "no QR code on the link's page")
        guard let link = first("value=\"http://[^/]+(/r/[^\"]+)\"", in: made.body), let pin = first("PIN <b>([0-9]{6})</b>", in: made.body) else {
            throw LubanError.refused(zh: "页面上没有链接", en: "no link on the page: \(made.status)")
        }
        return (link, pin)
    }

    /// Signs in as the fixture's office account.
    func signIn() async throws {
        _ = try await get("/login")
        let page = try await post("/login", ["name": "office", "password": Fixture.password])
        precondition(page.status == .seeOther, "sign-in failed: \(page.status) \(page.body)")
    }
}

/// The ledger of a session: (trainee code, status, recorded_by, source), oldest first.
func ledger(_ path: String, session: Int64) throws -> [(code: String, status: String, by: String, source: String)] {
    try LubanDatabase(path: path).read { db in
        try Row.fetchAll(
            db,
            sql: """
                SELECT t.code, e.status, b.recorded_by, b.source FROM attendance_ledger e
                    JOIN attendance_batch b ON b.id = (SELECT id FROM attendance_batch WHERE first_entry <= e.id ORDER BY first_entry DESC, id DESC LIMIT 1)
                JOIN trainee t ON t.id = e.trainee_id WHERE e.session_id = ? ORDER BY e.id
                """, arguments: [session]
        ).map { ($0[0], $0[1], $0[2], $0[3]) }
    }
}

/// The first match of `pattern`'s first group in `text`.
func first(_ pattern: String, in text: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
        let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
        let r = Range(m.range(at: 1), in: text)
    else { return nil }
    return String(text[r])
}
