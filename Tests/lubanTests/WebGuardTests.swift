import Foundation
import Glibc
import Synchronization
import Testing

/// The web server's guards, each attacked over a real socket as the attack would come: a
/// redirect to another site, a form posted from another page, a sign-in that outlives its
/// account, a device holding the server with half-open connections, oversized input, secrets in
/// the log, a link that tells who is enrolled, a PIN lock that shuts out the expert.
@Suite struct WebGuardTests {
    static let password = "correct horse battery"

    /// A field site with an office account, served on a terminal with a roll-call link.
    typealias Field = (server: Process, output: WebServerTests.Output, link: String, pin: String, phone: Phone)

    static func office() throws -> (user: User, session: String, field: Field) {
        let (user, session) = try WebServerTests.fieldSite()
        let added = try user.run(["user", "add", "wangli"], stdin: password + "\n")
        #expect(added.status == 0, "\(added.stderr)")
        return (user, session, try WebServerTests.rollCall(user, session))
    }

    static func signIn(_ phone: Phone) throws -> Phone.Answer {
        _ = try phone.get("/login")
        return try phone.post("/login", ["name": "wangli", "password": password])
    }

    static func location(_ answer: Phone.Answer) -> String? { answer.headers.first { $0.0 == "location" }?.1 }

    static func stop(_ server: Process) {
        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
    }

    @Test func redirectsStayOnThisServer() throws {
        let (_, _, field) = try Self.office()
        defer { if field.server.isRunning { field.server.terminate() } }
        let phone = Phone(port: field.phone.port)
        // A browser drops the tab: `/\t/evil.example/x` would be `//evil.example/x`.
        for to in ["/%09/evil.example/x", "/%0A/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/%20/evil"] {
            let answer = try phone.get("/lang/en?to=" + to)
            #expect(Self.location(answer) == "/", "\(to): \(Self.location(answer) ?? "none")")
        }
        #expect(Self.location(try phone.get("/lang/zh?to=/cohorts/2013-1")) == "/cohorts/2013-1")
        _ = try phone.get("/login")
        let signedIn = try phone.post("/login?to=/%09/evil.example/x", ["name": "wangli", "password": Self.password])
        #expect(signedIn.status == 303 && Self.location(signedIn) == "/", "\(signedIn.status) \(Self.location(signedIn) ?? "")")
        Self.stop(field.server)
    }

    @Test func aFormFromAnotherPageIsRefusedAndTheTokenChangesAtSignIn() throws {
        let (user, session, field) = try Self.office()
        defer { if field.server.isRunning { field.server.terminate() } }
        let phone = Phone(port: field.phone.port)
        _ = try phone.get("/login")
        let before = phone.cookies.withLock { $0["luban_csrf"] }
        #expect(try phone.post("/login", ["name": "wangli", "password": Self.password]).status == 303)
        let after = phone.cookies.withLock { $0["luban_csrf"] }
        #expect(before != nil && after != nil && before != after, "the CSRF token did not change at sign-in")
        // A page served on another port of this machine shares the cookies of 127.0.0.1: it sets
        // its own CSRF cookie and posts a mark with the same token.
        let planted = String(repeating: "A", count: 43)
        phone.cookies.withLock { $0["luban_csrf"] = planted }
        let forged = try phone.post("/sessions/\(session)/mark", ["m": "T00001 absent", "csrf": planted])
        #expect(forged.status == 403, "a planted token was taken: \(forged.status)")
        // The same from a browser that says where the form came from.
        let crossOrigin = try phone.post(
            "/sessions/\(session)/mark", ["m": "T00001 absent", "csrf": after ?? ""],
            headers: ["Origin": "http://127.0.0.1:9999", "Sec-Fetch-Site": "same-site"])
        #expect(crossOrigin.status == 403, "another origin's form was taken: \(crossOrigin.status)")
        // The office's own page, then its form: recorded.
        _ = try phone.get("/sessions/\(session)")
        let own = try phone.post("/sessions/\(session)/mark", ["m": "T00001 present"], headers: ["Origin": "http://127.0.0.1:\(phone.port)"])
        #expect(own.status == 303, "\(own.status) \(own.body.prefix(300))")
        Self.stop(field.server)
        let history = try user.ok("attendance", "history", session, "--format", "csv")
        #expect(history.contains("present") && !history.contains("absent"))
    }

    @Test func aSignInBelongsToTheAccountNotItsName() throws {
        let (user, _, field) = try Self.office()
        defer { if field.server.isRunning { field.server.terminate() } }
        let phone = Phone(port: field.phone.port)
        #expect(try Self.signIn(phone).status == 303)
        #expect(try phone.get("/").status == 200)
        // Removed and added again under the same name: the old browser is signed out.
        try user.ok("user", "remove", "wangli")
        #expect(try user.run(["user", "add", "wangli"], stdin: "another long password\n").status == 0)
        let old = try phone.get("/")
        #expect(old.status == 303 && Self.location(old)?.hasPrefix("/login") == true, "\(old.status)")
        // A new password signs the account out of every browser.
        let second = Phone(port: field.phone.port)
        _ = try second.get("/login")
        #expect(try second.post("/login", ["name": "wangli", "password": "another long password"]).status == 303)
        #expect(try second.get("/").status == 200)
        let changed = try user.run(["user", "password", "wangli"], stdin: "a third long password\n")
        #expect(changed.status == 0 && changed.stdout.contains("signed out"), "\(changed.stderr)")
        #expect(try second.get("/").status == 303)
        #expect(try user.run(["user", "password", "nobody"], stdin: "a third long password\n").status == 1)
        Self.stop(field.server)
    }

    @Test func oneDeviceHoldingManyConnectionsDoesNotStopTheServer() throws {
        let (_, _, field) = try Self.office()
        defer { if field.server.isRunning { field.server.terminate() } }
        // 1,100 connections from one device, each with half a request's head.
        let attacker = Phone(port: field.phone.port, address: "127.0.0.2")
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        for _ in 0..<1100 {
            let fd = try attacker.connect()
            sockets.append(fd)
            let part = Array("GET /verify HTTP/1.1\r\nHost: 127".utf8)
            _ = part.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
        // Everyone else is still served, at once.
        let start = Date()
        let phone = Phone(port: field.phone.port)
        #expect(try phone.get("/verify").status == 200)
        #expect(Date().timeIntervalSince(start) < 5)
        // The server closed all but a few of them at once, and the rest once idle.
        func open() -> Int {
            sockets.count { fd in
                var byte: UInt8 = 0
                let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
                return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
            }
        }
        usleep(500_000)
        let stillOpen = open()
        #expect(stillOpen <= 24, "\(stillOpen) connections from one device are held")
        sleep(17)
        #expect(open() == 0)
        Self.stop(field.server)
    }

    @Test func oversizedInputIsRefusedAndNotEchoed() throws {
        let (user, session, field) = try Self.office()
        defer { if field.server.isRunning { field.server.terminate() } }
        let phone = Phone(port: field.phone.port)
        _ = try phone.get("/verify")
        // A body over 64 KB: 413, not a server error.
        let huge = try phone.post("/verify", ["text": String(repeating: "x", count: 70_000)])
        #expect(huge.status == 413, "\(huge.status)")
        // 20,000 pasted characters: refused, and not sent back.
        let pasted = "ECHOME" + String(repeating: "证", count: 20_000)
        let long = try phone.post("/verify", ["text": pasted])
        #expect(long.status == 413 && !long.body.contains("ECHOME"), "\(long.status)")
        // A note longer than any note may be: refused on the phone as by hand.
        let expert = field.phone
        _ = try expert.get(field.link)
        #expect(try expert.post(field.link + "/pin", ["pin": field.pin]).status == 303)
        let note = try expert.post(field.link + "/mark", ["m": "T00001 late", "note-T00001": String(repeating: "长", count: 600)], json: true)
        #expect(note.status == 400 && note.body.contains("500"), "\(note.status) \(note.body.prefix(300))")
        let byHand = try user.run(["attend", session, "T00001", "--status", "late", "--note", String(repeating: "长", count: 600)])
        #expect(byHand.status != 0 && byHand.stderr.contains("at most 500"))
        // A note with a line break, kept as typed.
        let twoLines = try expert.post(field.link + "/mark", ["m": "T00001 late", "note-T00001": "迟到\n堵车"], json: true)
        #expect(twoLines.status == 200, "\(twoLines.body)")
        // The board gives the note back as it is, lines and all; the same tap again, the note
        // as a browser sends a text area back (\r\n), adds nothing.
        let board = try expert.get(field.link)
        #expect(board.body.contains("迟到\n堵车</textarea>"), "\(board.body.prefix(3000))")
        let entries = try user.ok("attendance", "history", session, "T00001", "--format", "csv")
        #expect(try expert.post(field.link + "/mark", ["m": "T00001 late", "note-T00001": "迟到\r\n堵车"], json: true).status == 200)
        #expect(try user.ok("attendance", "history", session, "T00001", "--format", "csv") == entries)
        Self.stop(field.server)
        #expect(entries.contains("迟到\n堵车"))
    }

    @Test func theLogAndTheBannerKeepSecrets() throws {
        let (user, session) = try WebServerTests.fieldSite()
        // Output to a file (a pipe here): no token, no PIN.
        let (server, output) = try WebServerTests.serve(user, ["--rollcall", session], terminal: false)
        defer { if server.isRunning { server.terminate() } }
        let banner = try #require(output.wait(for: "verify"))
        usleep(300_000)
        let text = output.text.withLock { $0 }
        #expect(!text.contains("/r/") && first("(PIN [0-9]{6})", text) == nil && text.contains("terminal only"), "\(banner)")
        let port = try #require(first("http://127\\.0\\.0\\.1:([0-9]+)/", banner).flatMap { UInt16($0) })
        let phone = Phone(port: port)
        let token = String(repeating: "Q", count: 43)
        _ = try phone.get("//r/" + token)
        _ = try phone.get("/r/" + token + "/pin")
        _ = try phone.get("/trainees/110101199003078515")
        _ = try phone.get("/verify?id=110101199003078515")
        Self.stop(server)
        let log = output.text.withLock { $0 }
        #expect(!log.contains(token) && !log.contains("110101199003078515") && !log.contains("1101011990"), "\(log)")
        #expect(log.contains("GET //r/… ") && log.contains("GET /trainees/… "), "\(log)")
    }

    @Test func theRollCallLinkTakesCodesOnlyAndLocksByDeviceFirst() throws {
        let (user, session, field) = try Self.office()
        defer { if field.server.isRunning { field.server.terminate() } }
        let listing = try user.ok("trainee", "list", "--format", "csv", "--show-id")
        let id = try #require(
            listing.split(whereSeparator: \.isNewline).first { $0.contains("T00001") }.flatMap { line in
                line.split(separator: ",").first { $0.count == 18 && $0.prefix(17).allSatisfy(\.isNumber) }.map(String.init)
            })
        // A guesser on the same hotspot: five wrong PINs, each differing from the right one in
        // its first digit only, then locked out.
        let guesser = Phone(port: field.phone.port, address: "127.0.0.3")
        _ = try guesser.get(field.link)
        let first = field.pin.first == "9" ? "0" : String(field.pin.first!.wholeNumberValue! + 1)
        let wrong = first + field.pin.dropFirst()
        for _ in 0..<5 { #expect(try guesser.post(field.link + "/pin", ["pin": wrong]).status == 403) }
        #expect(try guesser.post(field.link + "/pin", ["pin": field.pin]).status == 429)
        // The expert's own phone is not locked out.
        let expert = field.phone
        _ = try expert.get(field.link)
        #expect(try expert.post(field.link + "/pin", ["pin": field.pin]).status == 303)
        // An ID number where a trainee code belongs tells nothing about who is enrolled.
        let byID = try expert.post(field.link + "/mark", ["m": "\(id) present"], json: true)
        #expect(byID.status == 404 && !byID.body.contains(id), "\(byID.status) \(byID.body)")
        let unknown = try expert.post(field.link + "/mark", ["m": "110101199003078515 present"], json: true)
        #expect(unknown.status == 404 && !unknown.body.contains("110101199003078515"))
        Self.stop(field.server)
        #expect(!(try user.ok("attendance", "history", session, "--format", "csv").contains("T00001")))
    }
}
