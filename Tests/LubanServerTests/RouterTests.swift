import Foundation
import GRDB
import HTTPTypes
import LubanKit
import Testing

@testable import LubanServer

/// Every page and form of `luban serve`, through the router, on a real database file.
@Suite(.serialized) struct RouterTests {
    static let officePages = [
        "/", "/cohorts/2014-1", "/cohorts/2014-1/grid", "/cohorts/2014-1/eligibility", "/cohorts/2014-1/certify",
        "/cohorts/2014-1/register", "/certificates/LB-2014-0001-X.txt", "/certificates/LB-2014-0001-X.pdf", "/totals", "/trainees",
        "/trainees/T00001", "/sessions/12", "/sessions/12/all", "/cohorts/2014-1/grid?format=csv",
    ]
    static let officeForms = [
        "/cohorts/2014-1/certify", "/trainees", "/sessions/12/mark", "/sessions/12/undo", "/sessions/12/all", "/sessions/12/link",
        "/sessions/12/link/close",
    ]

    @Test func officePagesAndFormsRefuseWhoIsNotSignedIn() async throws {
        try await Fixture.withServer { path, client in
            let before = try ledger(path, session: 12).count
            let browser = Browser(client)
            _ = try await browser.get("/login")
            for uri in Self.officePages {
                let page = try await browser.get(uri)
                #expect(page.status == .seeOther, "\(uri)")
                #expect(page.location?.hasPrefix("/login?to=") == true, "\(uri)")
                #expect(!page.body.contains("T00001"), "\(uri)")
            }
            for uri in Self.officeForms {
                let page = try await browser.post(uri, ["m": "T00001 absent", "q": "周"])
                #expect(page.status == .unauthorized, "\(uri)")
                #expect(!page.body.contains("周云"), "\(uri)")
            }
            // An expert's roll-call cookie is no office account.
            browser.setCookie("luban_office", "not-a-session")
            #expect(try await browser.get("/sessions/12").status == .seeOther)
            #expect(try ledger(path, session: 12).count == before)
        }
    }

    @Test func aRemovedAccountIsRefusedFromItsNextRequest() async throws {
        try await Fixture.withServer { path, client in
            let browser = Browser(client)
            try await browser.signIn()
            #expect(try await browser.get("/").status == .ok)
            try Accounts.remove("office", LubanDatabase(path: path))
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await browser.post("/sessions/12/mark", ["m": "T00002 absent"]).status == .unauthorized)
        }
    }

    @Test func everyOfficePageAnswersOnceSignedIn() async throws {
        try await Fixture.withServer { _, client in
            let browser = Browser(client)
            try await browser.signIn()
            for uri in Self.officePages {
                let page = try await browser.get(uri)
                #expect(page.status == .ok, "\(uri): \(page.body.prefix(300))")
            }
            let grid = try await browser.get("/cohorts/2014-1/grid")
            #expect(grid.body.contains("<td class=\"present\">"))
            let csv = try await browser.get("/cohorts/2014-1/grid?format=csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body.contains("trainee"))
            // A cohort that is not there: the message that says so, on a page that keeps the navigation.
            let missing = try await browser.get("/cohorts/2099-9")
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("2099-9") && missing.body.contains("action=\"/logout\""))
            let book = try await browser.get("/cohorts/2014-1/grid?format=xlsx")
            #expect(book.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(book.headers[.contentDisposition] == "attachment; filename=\"grid-2014-1.xlsx\"")
            #expect(book.body.hasPrefix("PK"))
            let totals = try await browser.get("/totals")
            #expect(totals.body.contains("<svg class=\"chart\""))
            #expect(totals.body.contains("<rect"))
            let pdf = try await browser.get("/certificates/LB-2014-0001-X.pdf")
            #expect(pdf.body.hasPrefix("%PDF"))
            // The register links each certificate's text and PDF; its CSV holds the register alone.
            let register = try await browser.get("/cohorts/2014-1/register")
            #expect(register.body.contains("href=\"/certificates/LB-2014-0001-X.pdf\""))
            let registerCSV = try await browser.get("/cohorts/2014-1/register?format=csv")
            #expect(registerCSV.body.contains("LB-2014-0001-X") && !registerCSV.body.contains(".pdf"))
            let text = try await browser.get("/certificates/LB-2014-0001-X.txt")
            #expect(text.body.contains("LB-2014-0001-X"))
            // Find by a name, posted: what is typed stays out of the address.
            let found = try await browser.post("/trainees", ["q": "周云"])
            #expect(found.body.contains("href=\"/trainees/T00001\""))
            // Every page says who is signed in and offers to sign out, with the CSRF token.
            #expect(grid.body.contains("action=\"/logout\""))
            #expect(grid.body.contains(browser.csrf))
        }
    }

    @Test func noPageOrDownloadShowsAFullIDNumber() async throws {
        try await Fixture.withServer { path, client in
            let ids = try LubanDatabase(path: path).trainees().compactMap(\.idNumber)
            #expect(ids.count == 420)
            let browser = Browser(client)
            try await browser.signIn()
            var pages = Self.officePages + ["/cohorts/2014-1/register?format=csv", "/cohorts/2014-1/eligibility?format=csv", "/", "/totals"]
            pages += ["/trainees/T00002", "/trainees/T00002?format=csv", "/sessions/12"]
            for uri in pages where !uri.hasSuffix(".pdf") {
                let body = try await browser.get(uri).body
                let shown = ids.filter { body.contains($0) }
                #expect(shown.isEmpty, "\(uri) shows \(shown.count) full ID numbers")
            }
            let found = try await browser.post("/trainees", ["q": "周"])
            #expect(!ids.contains { found.body.contains($0) })
        }
    }

    @Test func formsWithoutTheirCSRFTokenAreRefusedAndWriteNothing() async throws {
        try await Fixture.withServer { path, client in
            let browser = Browser(client)
            try await browser.signIn()
            let before = try ledger(path, session: 12).count
            for uri in Self.officeForms + ["/logout", "/verify", "/login"] {
                let none = try await browser.post(uri, ["m": "T00001 absent"], csrf: false)
                #expect(none.status == .forbidden, "\(uri)")
                let wrong = try await browser.post(uri, ["m": "T00001 absent", "csrf": String(repeating: "A", count: 43)], csrf: false)
                #expect(wrong.status == .forbidden, "\(uri)")
            }
            #expect(try ledger(path, session: 12).count == before)
            // Still signed in: the refused logout did nothing.
            #expect(try await browser.get("/").status == .ok)
        }
    }

    @Test func officeMarksGoIntoTheLedgerWithTheirSource() async throws {
        try await Fixture.withServer { path, client in
            let browser = Browser(client)
            try await browser.signIn()
            // T00012 (who holds no certificate) and T00004 are in session 12's cohort (2014-1), marked present there by the demo.
            let mark = try await browser.post("/sessions/12/mark", ["m": "T00012 absent", "note-T00012": "核对后更正"])
            #expect(mark.status == .seeOther)
            #expect(mark.location == "/sessions/12#T00012")
            let last = try #require(try ledger(path, session: 12).last)
            #expect(last.code == "T00012" && last.status == "absent" && last.by == "web office" && last.source == "web local")
            // With the script: JSON with the counts.
            let json = try await browser.post("/sessions/12/mark", ["m": "T00004 late"], json: true)
            #expect(json.body.contains("\"status\":\"late\""))
            #expect(json.body.contains("\"unmarked\":0"))
            // Undo: T00004 was present before; a new entry puts that back.
            let undo = try await browser.post("/sessions/12/undo")
            #expect(undo.body.contains("T00004"))
            #expect(try ledger(path, session: 12).last.map { $0.code == "T00004" && $0.status == "present" } == true)
            // Nothing left to undo.
            #expect(try await browser.post("/sessions/12/undo").body.contains("没有可撤销"))
            // A certificate holder's attendance cannot change under the certificate: 409 Conflict,
            // naming it; a trainee not on the roll is 404, a made-up status 400 (below).
            let holder = try #require(try certificateHolder(path, session: 12))
            let held = try await browser.post("/sessions/12/mark", ["m": "\(holder.code) absent"])
            #expect(held.status == .conflict && held.body.contains(holder.number), "\(held.status) \(held.body.prefix(300))")
            // A trainee of another cohort, a made-up status: refused, nothing written.
            let count = try ledger(path, session: 12).count
            let other = try await browser.post("/sessions/12/mark", ["m": "T00500 absent"])
            #expect(other.status == .notFound)
            let bad = try await browser.post("/sessions/12/mark", ["m": "T00012 gone"])
            #expect(bad.status == .badRequest)
            #expect(try ledger(path, session: 12).count == count)
        }
    }

    @Test func markAllUnmarkedPresentAsksFirstAndMarksOnlyTheUnmarked() async throws {
        try await Fixture.withServer { path, client in
            let session = try Fixture.todaySession(path)
            let browser = Browser(client)
            try await browser.signIn()
            // A first mark taken back: the trainee is not marked again, and the ledger keeps both.
            _ = try await browser.post("/sessions/\(session)/mark", ["m": "T00002 late"])
            let undo = try await browser.post("/sessions/\(session)/undo")
            #expect(undo.body.contains("已撤销：T00002 恢复为未点名"), "\(undo.body.prefix(2000))")
            #expect(try ledger(path, session: session).map(\.status) == ["late", "unmarked"])
            #expect(try await browser.post("/sessions/\(session)/undo").body.contains("没有可撤销"))
            _ = try await browser.post("/sessions/\(session)/mark", ["m": "T00001 excused"])
            let ask = try await browser.get("/sessions/\(session)/all")
            #expect(ask.body.contains("39"))
            #expect(try ledger(path, session: session).count == 3)
            _ = try await browser.post("/sessions/\(session)/all")
            let entries = try ledger(path, session: session)
            #expect(entries.count == 42)
            #expect(entries.filter { $0.status == "present" }.count == 39)
            #expect(entries.last { $0.code == "T00002" }?.status == "present")
            #expect(entries.first { $0.code == "T00001" }?.status == "excused")
            let board = try await browser.get("/sessions/\(session)")
            #expect(board.body.contains("<b id=\"unmarked\">0</b>"))
        }
    }

    @Test func aRollCallLinkNeedsItsPINAndMarksOnlyItsSession() async throws {
        try await Fixture.withServer { path, client in
            let session = try Fixture.todaySession(path)
            let office = Browser(client)
            let (link, pin) = try await office.openLink(session)

            let expert = Browser(client)
            let ask = try await expert.get(link)
            #expect(ask.status == .ok)
            #expect(ask.body.contains("name=\"pin\""))
            #expect(!ask.body.contains("T00001"))
            // Marking before the PIN, a wrong PIN: refused.
            #expect(try await expert.post(link + "/mark", ["m": "T00001 present"]).status == .unauthorized)
            #expect(try await expert.post(link + "/pin", ["pin": pin == "000000" ? "111111" : "000000"]).status == .forbidden)
            #expect(try ledger(path, session: session).isEmpty)
            // The right PIN: the board, and marks recorded as the link's.
            let opened = try await expert.post(link + "/pin", ["pin": pin])
            #expect(opened.status == .seeOther)
            #expect(try await expert.get(link).body.contains("T00040"))
            #expect(try await expert.post(link + "/mark", ["m": "T00007 late"]).status == .seeOther)
            let entry = try #require(try ledger(path, session: session).last)
            #expect(entry.code == "T00007" && entry.status == "late" && entry.by.hasPrefix("web link ") && entry.source == "web local")
            // The link marks only its session: another session's office page is not the expert's.
            #expect(try await expert.get("/sessions/12").status == .seeOther)
            #expect(try await expert.post("/sessions/12/mark", ["m": "T00001 absent"]).status == .unauthorized)
            // A trainee not in its cohort.
            #expect(try await expert.post(link + "/mark", ["m": "T00300 absent"]).status == .badRequest)
            // A token one character off opens nothing.
            let altered = String(link.dropLast()) + (link.hasSuffix("A") ? "B" : "A")
            #expect(try await expert.get(altered).status == .notFound)
            // The office closes the link: the expert's next tap is refused.
            _ = try await office.post("/sessions/\(session)/link/close")
            #expect(try await expert.post(link + "/mark", ["m": "T00008 present"]).status == .notFound)
            #expect(try ledger(path, session: session).count == 1)
        }
    }

    @Test func aLinkForAnotherDayDoesNotOpen() async throws {
        try await Fixture.withServer { path, client in
            let office = Browser(client)
            let (link, _) = try await office.openLink(12)
            let expert = Browser(client)
            let page = try await expert.get(link)
            #expect(page.status == .notFound)
            #expect(page.body.contains("不是今天"))
        }
    }

    /// A cancelled session takes no roll: its page says so and shows the marks, with no buttons and
    /// no link; the link opened before the cancellation is closed with it.
    @Test func aCancelledSessionsPageTakesNoRoll() async throws {
        try await Fixture.withServer { path, client in
            let db = try LubanDatabase(path: path)
            let today = CalendarDate.now()
            try db.addCohort(code: "2099-1", start: today, end: today.adding(days: 10), site: "承德")
            try db.enroll(cohort: "2099-1", trainees: ["T00001"])
            let session = try db.addSession(cohort: "2099-1", SessionDraft(date: today, kind: .classroom, hours: 2)).id!
            let office = Browser(client)
            let (link, _) = try await office.openLink(session)
            #expect(try await office.get("/sessions/\(session)").body.contains("链接已开启"))
            try db.cancelSession(String(session), reason: "暴雨")
            let page = try await office.get("/sessions/\(session)")
            #expect(page.status == .ok && page.body.contains("已于 \(today) 取消（暴雨）"), "\(page.body)")
            #expect(!page.body.contains("链接已开启") && !page.body.contains("value=\"T00001 present\"") && !page.body.contains("/link\""))
            // The expert's link was closed with the session.
            #expect(try await Browser(client).get(link).status == .notFound)
        }
    }

    @Test func guessingPINsOrPasswordsIsStopped() async throws {
        try await Fixture.withServer { path, client in
            let session = try Fixture.todaySession(path)
            let office = Browser(client)
            let (link, pin) = try await office.openLink(session)
            let expert = Browser(client)
            _ = try await expert.get(link)
            let wrong = String(format: "%06d", (Int(pin)! + 1) % 1_000_000)
            for _ in 0..<5 { #expect(try await expert.post(link + "/pin", ["pin": wrong]).status == .forbidden) }
            // Locked: even the right PIN waits.
            #expect(try await expert.post(link + "/pin", ["pin": pin]).status == .tooManyRequests)

            let guesser = Browser(client)
            _ = try await guesser.get("/login")
            for _ in 0..<5 {
                #expect(try await guesser.post("/login", ["name": "office", "password": "wrong password"]).status == .unauthorized)
            }
            #expect(try await guesser.post("/login", ["name": "office", "password": Fixture.password]).status == .tooManyRequests)
            #expect(guesser.cookie("luban_office") == nil)
        }
    }

    @Test func verificationIsOpenToAnyoneAndNeverShowsAnIDNumber() async throws {
        try await Fixture.withServer { path, client in
            let db = try LubanDatabase(path: path)
            let entry = try #require(try db.register(numbers: ["LB-2014-0001-X"]).first)
            let id = try #require(entry.trainee.idNumber)
            let key = try IssuerKey.load(at: IssuerKey.path(forDatabase: path))
            let text = try db.printed([entry], language: .both, showID: true, templates: .builtIn, key: key)[0].text
            #expect(text.contains(id))
            let employer = Browser(client)
            _ = try await employer.get("/verify")
            let byNumber = try await employer.post("/verify", ["text": "LB-2014-0001-X"])
            #expect(byNumber.body.contains("VALID"))
            #expect(!byNumber.body.contains("INVALID"))
            // Numbers run in sequence with a public check character: ten tried without a name give
            // no holder, cohort or date; with the holder's name, what the issuer signed is shown.
            let register = try db.register(cohort: nil)
            #expect(register.count >= 10)
            for e in register.prefix(10) {
                let answer = try await employer.post("/verify", ["text": e.certificate.number])
                let verdict = try #require(first("(<p class=\"verdict[^<]*)", in: answer.body))
                #expect(!answer.body.contains(e.holderName) && !answer.body.contains("class=\"signed\""), "\(verdict)")
                #expect(!verdict.contains(e.cohort.code) && !verdict.contains(e.certificate.issuedOn.description), "\(verdict)")
                if e.certificate.status == .revoked, let reason = e.certificate.revokeReason { #expect(!answer.body.contains(reason)) }
            }
            // A revocation shows the public reason chosen at revoke, never the office's own words.
            let revokedNumber = register[9].certificate.number
            _ = try db.revoke(number: revokedNumber, reason: "内部：与王某的记录重复", key: key, cascade: true, publicReason: .wrongDetails)
            let revokedAnswer = try await employer.post("/verify", ["text": revokedNumber])
            #expect(revokedAnswer.body.contains("class=\"verdict revoked\"") && revokedAnswer.body.contains("（信息有误）"), "\(revokedAnswer.body)")
            #expect(!revokedAnswer.body.contains("王某"))
            let wrongName = try await employer.post("/verify", ["text": "LB-2014-0001-X", "name": "张三丰"])
            #expect(!wrongName.body.contains(entry.holderName) && !wrongName.body.contains("class=\"signed\""))
            let named = try await employer.post("/verify", ["text": "LB-2014-0001-X", "name": entry.holderName])
            #expect(named.body.contains("持证人 \(entry.holderName)") && named.body.contains("签发方签署的内容"), "\(named.body)")
            let byText = try await employer.post("/verify", ["text": text])
            #expect(byText.body.contains("class=\"verdict valid\""))
            let forged = try await employer.post("/verify", ["text": text.replacingOccurrences(of: "合计 total 56", with: "合计 total 96")])
            #expect(forged.body.contains("class=\"verdict invalid\""))
            let unknown = try await employer.post("/verify", ["text": "LB-2099-0001-X"])
            #expect(unknown.body.contains("INVALID"))
            // The pasted text comes back in the form, so the full ID is shown only where it was pasted;
            // the verdicts themselves never carry it.
            for page in [byNumber, unknown] { #expect(!page.body.contains(id)) }
            for page in [byText, forged] {
                let verdict = try #require(first("(<p class=\"verdict[^<]*)", in: page.body))
                #expect(!verdict.contains(id))
            }
        }
    }

    @Test func verificationTrustsTheKeyFileNotTheDatabase() async throws {
        try await Fixture.withServer { path, client in
            let employer = Browser(client)
            _ = try await employer.get("/verify")
            #expect(try await employer.post("/verify", ["text": "LB-2014-0001-X"]).body.contains("class=\"verdict valid\""))
            // A pasted path is text, never a file to read.
            let pasted = try await employer.post("/verify", ["text": "/etc/passwd"])
            #expect(pasted.body.contains("class=\"verdict invalid\"") && !pasted.body.contains("root:"))
            // Another issuer's key beside the database: the register's own key no longer counts.
            let keyFile = IssuerKey.path(forDatabase: path)
            try FileManager.default.removeItem(atPath: keyFile)
            _ = try IssuerKey.loadOrCreate(at: keyFile, seed: Array(repeating: 9, count: 32))
            let answer = try await employer.post("/verify", ["text": "LB-2014-0001-X"])
            #expect(answer.body.contains("class=\"verdict invalid\""))
        }
    }

    @Test func recordsAreEscapedNotRun() async throws {
        try await Fixture.withServer { path, client in
            let db = try LubanDatabase(path: path)
            _ = try db.editTrainee("T00002", name: "<script>alert(1)</script>")
            let browser = Browser(client)
            try await browser.signIn()
            let board = try await browser.get("/sessions/12")
            #expect(!board.body.contains("<script>alert"))
            #expect(board.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(board.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
        }
    }

    @Test func chineseFirstEnglishOnRequest() async throws {
        try await Fixture.withServer { _, client in
            let browser = Browser(client)
            #expect(try await browser.get("/login").body.contains("办公室登录"))
            let switched = try await browser.get("/lang/en?to=/login")
            #expect(switched.location == "/login")
            #expect(try await browser.get("/login").body.contains("Office sign-in"))
            // Only this server's own paths: never a redirect to another site.
            #expect(try await browser.get("/lang/zh?to=//evil.example/").location == "/")
        }
    }

    @Test func cookiesAreHttpOnlyAndStrict() async throws {
        try await Fixture.withServer { _, client in
            let response = try await client.execute(uri: "/login", method: .get)
            let cookie = try #require(response.headers[values: .setCookie].first)
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
        }
    }

    @Test func concurrentMarksAreEachRecordedOnce() async throws {
        let path = try Fixture.database()
        let store = try Store(path: path)
        let session = try Fixture.todaySession(path)
        let statuses: [AttendanceStatus] = [.present, .late, .excused, .absent]
        let outcomes = try await withThrowingTaskGroup(of: ScreenMarkOutcome.self) { group in
            for round in 0..<4 {
                for t in 1...40 {
                    group.addTask {
                        try await store.mark(
                            ScreenMark(
                                session: session, trainee: String(format: "T%05d", t), status: statuses[(t + round) % 4], by: "test",
                                source: "web test \(round)"))
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(store.close(), "the database was found replaced or removed")
        #expect(outcomes.count == 160)
        #expect(outcomes.allSatisfy { if case .recorded = $0 { true } else { false } })
        let changed = outcomes.count { if case .recorded(let r) = $0 { r.changed } else { false } }
        let entries = try ledger(path, session: session)
        #expect(entries.count == changed)
        #expect(try LubanDatabase(path: path).rollCallBoard(session: session).unmarked == 0)
        // And the roll-ups agree with the ledger.
        #expect(try LubanDatabase(path: path).check().problems.isEmpty)
    }
}

@Test func formFieldsAreDecodedAsBrowsersEncodeThem() {
    #expect(Form.decode("%E5%91%A8%E4%BA%91+T00001") == "周云 T00001")
    #expect(Form.decode("a%2Bb%3D%26") == "a+b=&")
    // A stray or cut-off % stays as it is; bytes that are not UTF-8 become U+FFFD.
    #expect(Form.decode("100%") == "100%")
    #expect(Form.decode("%zz%4") == "%zz%4")
    #expect(Form.decode("%FF") == "\u{FFFD}")
}

@Test func aLinkOpenedOnTheLaptopPointsPhonesAtItsNetworkAddress() throws {
    let store = try Store(path: try Fixture.database())
    defer { _ = store.close() }
    // Opened at an address a phone can reach: kept.
    #expect(Web(store: store, bind: "0.0.0.0").linkHost("192.168.43.20:8080") == ("192.168.43.20:8080", nil))
    // Opened at the loopback address and listening on every network: this computer's address there.
    let lan = WebServer.localAddresses().first { $0 != "127.0.0.1" }
    let field = Web(store: store, bind: "0.0.0.0").linkHost("127.0.0.1:8080")
    #expect(field.host == (lan.map { $0 + ":8080" } ?? "127.0.0.1:8080"))
    // Listening on this computer only: the page says a phone cannot reach it, and how to fix that.
    let office = Web(store: store, bind: "127.0.0.1").linkHost("localhost:8080")
    #expect(office.warning?.contains("--bind 0.0.0.0") == true)
}

/// A trainee marked present at `session` who holds a valid certificate resting on it, with its number.
func certificateHolder(_ path: String, session: Int64) throws -> (code: String, number: String)? {
    let db = try LubanDatabase(path: path, user: "test")
    return try db.read { db in
        try Row.fetchOne(
            db,
            sql: """
                SELECT t.code, c.number FROM attendance a JOIN trainee t ON t.id = a.trainee_id
                JOIN session s ON s.id = a.session_id JOIN certificate c ON c.trainee_id = t.id AND c.cohort_id = s.cohort_id
                WHERE a.session_id = ? AND a.status = 'present' AND c.status = 'valid' ORDER BY t.code LIMIT 1
                """, arguments: [session]
        ).map { ($0[0], $0[1]) }
    }
}

/// The totals chart holds its legend whole, with one year as with many.
@Test func theChartsLegendFitsWithOneYear() throws {
    for years in [1, 2, 8] {
        let rows = (0..<years).map { i in
            var row = YearlyRow(year: String(2014 + i))
            row.personTimes = 100 + i
            row.certificates = 40
            return row
        }
        let svg = BarChart.yearly(rows)
        let width = try #require(Int(first(#"<svg[^>]* width="([0-9]+)""#, in: svg) ?? ""))
        // The second legend entry's text starts 126 to the right of the margin; "证书" and
        // "certificates" take under 90 more at 12 px.
        let legend = try #require(Int(first(#"<text x="([0-9]+)" y="272"[^>]*>[^<]*</text>\s*</svg>"#, in: svg) ?? ""))
        #expect(width >= legend + 80, "\(years) years: width \(width), legend text at \(legend)")
    }
}
