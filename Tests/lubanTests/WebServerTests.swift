import Foundation
import Synchronization
import Testing

/// `luban serve` as it runs at a field site: the built binary on a free port, driven over a
/// real socket the way a phone's browser drives it, stopped with Ctrl-C.
@Suite struct WebServerTests {
    /// A demo office with a cohort whose one session is today, 40 trainees in it.
    static func fieldSite() throws -> (User, session: String) {
        let user = try User()
        try user.ok("demo")
        let today = String(ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate]))
        try user.ok("cohort", "add", "2026-9", "--start", today, "--end", today, "--site", "承德")
        let session =
            try user.ok("session", "add", "2026-9", "--date", today, "--kind", "field", "--hours", "4")
            .split(whereSeparator: { !$0.isNumber }).first.map(String.init) ?? ""
        try user.ok(["enroll", "2026-9"] + (1...40).map { String(format: "T%05d", $0) })
        return (user, session)
    }

    /// The server's standard output, gathered as it comes.
    final class Output: Sendable {
        let text = Mutex("")
        func wait(for needle: String, seconds: Double = 30) -> String? {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                let now = text.withLock { $0 }
                if now.contains(needle) { return now }
                usleep(20_000)
            }
            return nil
        }
    }

    static func serve(_ user: User, _ args: [String]) throws -> (Process, Output) {
        let p = Process()
        p.executableURL = User.binary
        p.arguments = ["serve", "--port", "0"] + args
        p.environment = user.environment
        p.currentDirectoryURL = user.folder
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        let output = Output()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try p.run()
        return (p, output)
    }

    /// `luban serve --rollcall SESSION` running, with the link and PIN it printed and a phone.
    static func rollCall(_ user: User, _ session: String) throws -> (server: Process, output: Output, link: String, pin: String, phone: Phone) {
        let (server, output) = try serve(user, ["--rollcall", session])
        guard let banner = output.wait(for: "/r/"), let link = first("http://[0-9.]+:[0-9]+(/r/[A-Za-z0-9_-]{43})", banner),
            let pin = first("PIN ([0-9]{6})", banner), let port = first("http://127\\.0\\.0\\.1:([0-9]+)/", banner).flatMap({ UInt16($0) })
        else {
            server.terminate()
            throw POSIXError(.EIO)
        }
        return (server, output, link, pin, Phone(port: port))
    }

    @Test func aWholeRollCallOverHTTPThenCtrlC() throws {
        let (user, session) = try Self.fieldSite()
        let field = try Self.rollCall(user, session)
        let (server, output, link, pin) = (field.server, field.output, field.link, field.pin)
        defer { if server.isRunning { server.terminate() } }
        let phone = field.phone

        // The PIN page, the PIN, the board: 40 trainees, none marked.
        #expect(try phone.get(link).status == 200)
        #expect(try phone.post(link + "/pin", ["pin": pin]).status == 303)
        let board = try phone.get(link)
        #expect(board.body.contains("<b id=\"unmarked\">40</b>"))
        #expect(board.body.utf8.count < 50_000, "the roll-call page weighs \(board.body.utf8.count) bytes")

        // A class of 40, one tap each, late every fifth; the script's JSON answers carry the counts.
        let statuses = ["present", "present", "present", "present", "late"]
        for i in 1...39 {
            let code = String(format: "T%05d", i)
            let answer = try phone.post(link + "/mark", ["m": "\(code) \(statuses[i % 5])"], json: i % 2 == 0)
            #expect(answer.status == (i % 2 == 0 ? 200 : 303), "\(code): \(answer.status) \(answer.body.prefix(200))")
        }
        // A wrong tap, undone: T00039 goes back to what it was.
        #expect(try phone.post(link + "/mark", ["m": "T00039 absent"]).status == 303)
        #expect(try phone.post(link + "/undo").body.contains("T00039"))
        // The last one: "mark all unmarked present", confirmed.
        #expect(try phone.get(link + "/all").body.contains("1"))
        #expect(try phone.post(link + "/all").status == 200)
        #expect(try phone.get(link).body.contains("<b id=\"unmarked\">0</b>"))

        // Ctrl-C: the server says it stopped and exits 0; every mark is in the ledger.
        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        let log = output.text.withLock { $0 }
        #expect(log.contains("stopped"))
        // One line per request, with neither the link's token (printed once, in the banner)
        // nor anyone's name.
        let requests = log.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("GET ") || $0.hasPrefix("POST ") }
        #expect(requests.count == 47)
        #expect(requests.filter { $0.hasPrefix("POST /r/…/mark 303 ") }.count == 21)
        #expect(!requests.contains { $0.contains(String(link.dropFirst(3))) })
        #expect(!log.contains("周云"))
        let history = try user.ok("attendance", "history", session, "--format", "csv")
        let rows = history.split(whereSeparator: \.isNewline).dropFirst()
        // 39 marks + the wrong tap + its undo + 1 by "all": 42 entries, each once.
        #expect(rows.count == 42, "\(history)")
        #expect(rows.allSatisfy { $0.contains("web 127.0.0.1") })
        // The roll-ups the marks moved agree with the ledger.
        try user.ok("check")
    }

    @Test func marksUnderWayWhenCtrlCComesAreKept() throws {
        let (user, session) = try Self.fieldSite()
        let field = try Self.rollCall(user, session)
        let (server, link, pin) = (field.server, field.link, field.pin)
        defer { if server.isRunning { server.terminate() } }
        let phone = field.phone
        _ = try phone.get(link)
        #expect(try phone.post(link + "/pin", ["pin": pin]).status == 303)
        // Eight phones tap at once; Ctrl-C arrives while they do.
        let answered = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 9) { i in
            if i == 8 {
                usleep(10_000)
                kill(server.processIdentifier, SIGINT)
                return
            }
            for j in 0..<5 {
                let code = String(format: "T%05d", i * 5 + j + 1)
                if let answer = try? phone.post(link + "/mark", ["m": "\(code) late"]), answer.status == 303 {
                    answered.withLock { $0.append(code) }
                }
            }
        }
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        let history = try user.ok("attendance", "history", session, "--format", "csv")
        for code in answered.withLock({ $0 }) {
            #expect(history.contains(code), "\(code) was answered but is not in the ledger")
        }
        // Nothing recorded twice.
        let rows = history.split(whereSeparator: \.isNewline).dropFirst()
        #expect(Set(rows.map { $0.split(separator: ",")[2] }).count == rows.count)
    }
}

extension WebServerTests {
    @Test func officeAccountsOnTheCommandLine() throws {
        let user = try User()
        try user.ok("init")
        // Not a terminal: the password is the first line of standard input.
        let added = try user.run(["user", "add", "wangli"], stdin: "correct horse battery\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try user.ok("user", "list", "--format", "csv").contains("wangli,"))
        let short = try user.run(["user", "add", "lisi"], stdin: "short\n")
        #expect(short.status == 1 && short.stderr.contains("at least 10 characters"))
        let again = try user.run(["user", "add", "wangli"], stdin: "another long password\n")
        #expect(again.status == 1 && again.stderr.contains("exists already"))
        let odd = try user.run(["user", "add", "wang li\u{1B}[2J"], stdin: "correct horse battery\n")
        #expect(odd.status == 1 && !odd.stderr.contains("\u{1B}"))
        // The password is kept only as a bcrypt hash.
        let file = try Data(contentsOf: URL(fileURLWithPath: user.database))
        #expect(file.range(of: Data("correct horse battery".utf8)) == nil)
        try user.ok("user", "remove", "wangli")
        #expect(!(try user.ok("user", "list", "--format", "csv").contains("wangli")))
        #expect(try user.run(["user", "remove", "wangli"]).status == 1)
    }

    @Test func aRestoreWhileServingSendsTheNextMarksToTheRestoredDatabase() throws {
        let (user, session) = try Self.fieldSite()
        let field = try Self.rollCall(user, session)
        let (server, link, pin) = (field.server, field.link, field.pin)
        defer { if server.isRunning { server.terminate() } }
        let backup = user.folder.appendingPathComponent("backup.sqlite").path
        try user.ok("backup", backup)
        let phone = field.phone
        _ = try phone.get(link)
        #expect(try phone.post(link + "/pin", ["pin": pin]).status == 303)
        #expect(try phone.post(link + "/mark", ["m": "T00001 late"]).status == 303)
        // The office restores the backup (taken before that mark) while the server runs.
        try user.ok("restore", backup)
        #expect(try phone.post(link + "/mark", ["m": "T00002 excused"]).status == 303)
        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
        let history = try user.ok("attendance", "history", session, "--format", "csv")
        #expect(history.contains("T00002") && history.contains("excused"))
        #expect(!history.contains("T00001"))
        try user.ok("check")
    }

    @Test func serveRefusesWhatCannotWorkBeforeListening() throws {
        let user = try User()
        let none = try user.run(["serve", "--port", "0"])
        #expect(none.status == 1 && none.stderr.contains("no luban database"))
        try user.ok("init")
        try user.ok("demo", "--db", user.database + ".demo")
        let past = try user.run(["serve", "--db", user.database + ".demo", "--rollcall", "12"])
        #expect(past.status == 1 && past.stderr.contains("not today") && past.stderr.contains("luban session edit 12 --date"))
        let bind = try user.run(["serve", "--bind", "everywhere"])
        #expect(bind.status == 64 && bind.stderr.contains("--bind takes an IP address"))
        // A port in use: one line saying so, no stack trace.
        let (running, output) = try Self.serve(user, [])
        defer { if running.isRunning { running.terminate() } }
        let banner = try #require(output.wait(for: "verify"))
        let port = try #require(first("http://127\\.0\\.0\\.1:([0-9]+)/", banner))
        let second = try user.run(["serve", "--port", port])
        #expect(second.status == 1)
        #expect(second.stderr.contains("the port is in use"))
        #expect(!second.stderr.contains("Backtrace") && !second.stderr.contains("Fatal"))
        kill(running.processIdentifier, SIGTERM)
        running.waitUntilExit()
        #expect(running.terminationStatus == 0)
    }
}

/// A browser over a plain socket: one connection per request (`Connection: close`), its cookies kept.
final class Phone: Sendable {
    let port: UInt16
    private let cookies = Mutex<[String: String]>([:])

    init(port: UInt16) { self.port = port }

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: String
    }

    func get(_ path: String) throws -> Answer { try send("GET", path, body: nil, json: false) }

    func post(_ path: String, _ fields: [String: String] = [:], json: Bool = false) throws -> Answer {
        var fields = fields
        fields["csrf"] = cookies.withLock { $0["luban_csrf"] } ?? ""
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try send("POST", path, body: body, json: json)
    }

    private func send(_ method: String, _ path: String, body: String?, json: Bool) throws -> Answer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        let jar = cookies.withLock { $0.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !jar.isEmpty { request += "Cookie: \(jar)\r\n" }
        if json { request += "Accept: application/json\r\n" }
        if let body {
            request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            request += "\r\n"
        }
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw POSIXError(.EPIPE) }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EBADMSG) }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        for (name, value) in headers where name == "set-cookie" {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { cookies.withLock { $0[pair[0]] = pair[1] } }
        }
        return Answer(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}

/// The first match of `pattern`'s first group in `text`.
private func first(_ pattern: String, _ text: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
        let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
        let r = Range(m.range(at: 1), in: text)
    else { return nil }
    return String(text[r])
}
