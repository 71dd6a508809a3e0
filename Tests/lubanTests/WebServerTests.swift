import Foundation
import Glibc
import Synchronization
import Testing

/// `luban serve` as it runs at a field site: the built binary on a free port, driven over a
/// real socket the way a phone's browser drives it, stopped with Ctrl-C.
@Suite struct WebServerTests {
    /// A demo office with a cohort whose one session is today, 40 trainees in it.
    static func fieldSite() throws -> (User, session: String) {
        let user = try User()
        try user.demo()
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

    /// `luban serve --port 0 ARGS` in the background, its output gathered. On a terminal (a
    /// pseudo-terminal, as a person runs it) unless `terminal` is false (a log file or a pipe:
    /// then it never prints a link's token or PIN).
    static func serve(_ user: User, _ args: [String], terminal: Bool = true) throws -> (Process, Output) {
        let p = Process()
        p.executableURL = User.binary
        p.arguments = ["serve", "--port", "0"] + args
        p.environment = user.environment
        p.currentDirectoryURL = user.folder
        let output = Output()
        let reading: Int32
        if terminal {
            let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
            guard master >= 0, Terminal.grantpt(master) == 0, Terminal.unlockpt(master) == 0, let name = Terminal.ptsname(master) else {
                throw POSIXError(.EIO)
            }
            let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
            guard slave >= 0 else { throw POSIXError(.EIO) }
            let child = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
            p.standardOutput = child
            p.standardError = child
            try p.run()
            try child.close()
            reading = master
        } else {
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            reading = dup(pipe.fileHandleForReading.fileDescriptor)
        }
        // Read until the server closes its end (a terminal's master then reads EIO, a pipe EOF).
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(reading, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                let text = String(decoding: buffer[0..<n], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
                output.text.withLock { $0 += text }
            }
            close(reading)
        }
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

    /// `rollCall`, with its phone past the PIN page: the expert at work.
    static func expertAtWork(_ user: User, _ session: String) throws -> (server: Process, output: Output, link: String, pin: String, phone: Phone) {
        let field = try rollCall(user, session)
        _ = try field.phone.get(field.link)
        let signedIn = try field.phone.post(field.link + "/pin", ["pin": field.pin])
        #expect(signedIn.status == 303, "the PIN was refused: \(signedIn.status)")
        return field
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

    @Test func aRestoreWhileServingRefusesTheNextMarksUntilTheServerIsStartedAgain() throws {
        let (user, session) = try Self.fieldSite()
        let field = try Self.rollCall(user, session)
        let (server, output, link, pin) = (field.server, field.output, field.link, field.pin)
        defer { if server.isRunning { server.terminate() } }
        let backup = user.folder.appendingPathComponent("backup.sqlite").path
        try user.ok("backup", backup)
        let phone = field.phone
        _ = try phone.get(link)
        #expect(try phone.post(link + "/pin", ["pin": pin]).status == 303)
        #expect(try phone.post(link + "/mark", ["m": "T00001 late"]).status == 303)
        // The office restores the backup (taken before that mark) while the server runs: the
        // server's connection belongs to the file that was there, so the next mark is refused,
        // saying why, and nothing goes into either file.
        try user.ok("restore", backup)
        let refused = try phone.post(link + "/mark", ["m": "T00002 excused"], json: true)
        #expect(refused.status == 503 && refused.body.contains("被移走、替换或删除"), "\(refused.status) \(refused.body)")
        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
        #expect(output.text.withLock { $0 }.contains("every mark after that was refused, none kept"))
        let history = try user.ok("attendance", "history", session, "--format", "csv")
        #expect(!history.contains("T00001") && !history.contains("T00002"))
        // The mark made before the restore is in the database the restore set aside.
        let before = try user.run(["attendance", "history", session, "--format", "csv", "--db", user.database + ".before-restore"])
        #expect(before.stdout.contains("T00001") && before.stdout.contains("late"), "\(before.stderr)")
        try user.ok("check")
        #expect(try NeighbourTests.sqlite3(user.database + ".before-restore", "PRAGMA integrity_check") == "ok")
        // Started again, the server marks into the restored database (its link closed by the
        // restore: a new one is made).
        let again = try Self.rollCall(user, session)
        defer { if again.server.isRunning { again.server.terminate() } }
        _ = try again.phone.get(again.link)
        #expect(try again.phone.post(again.link + "/pin", ["pin": again.pin]).status == 303)
        #expect(try again.phone.post(again.link + "/mark", ["m": "T00002 excused"]).status == 303)
        kill(again.server.processIdentifier, SIGINT)
        again.server.waitUntilExit()
        #expect(try user.ok("attendance", "history", session, "--format", "csv").contains("excused"))
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

    /// In a Chinese locale the server speaks Chinese from its first line to its last (its work
    /// runs in a detached task, which must be given the language).
    @Test func theBannerAndTheLastLineAreInTheOfficesLanguage() throws {
        var user = try User()
        try user.ok("init")
        user.environment["LUBAN_LANG"] = nil
        user.environment["LANG"] = "zh_CN.UTF-8"
        let (server, output) = try Self.serve(user, [], terminal: false)
        defer { if server.isRunning { server.terminate() } }
        let banner = try #require(output.wait(for: "/verify"))
        #expect(banner.contains("luban 网页已启动（Ctrl-C 停止）：") && banner.contains("办公室") && !banner.contains("is serving"), "\(banner)")
        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
        let last = try #require(output.wait(for: "已停止"))
        #expect(!last.contains("stopped;"), "\(last)")
    }
}

/// The C library's pseudo-terminal calls, which Swift's Glibc module does not declare.
enum Terminal {
    typealias FDCall = @convention(c) (Int32) -> Int32
    typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    static let grantpt = unsafeBitCast(dlsym(nil, "grantpt"), to: FDCall.self)
    static let unlockpt = unsafeBitCast(dlsym(nil, "unlockpt"), to: FDCall.self)
    static let ptsname = unsafeBitCast(dlsym(nil, "ptsname"), to: NameCall.self)
}

/// A browser over a plain socket: one connection per request (`Connection: close`), its cookies kept.
final class Phone: Sendable {
    let port: UInt16
    /// The device's own address (any of 127.0.0.0/8: another phone on the same hotspot).
    let address: String
    let cookies = Mutex<[String: String]>([:])

    init(port: UInt16, address: String = "127.0.0.1") {
        self.port = port
        self.address = address
    }

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: String
    }

    func get(_ path: String, headers: [String: String] = [:]) throws -> Answer { try send("GET", path, body: nil, json: false, headers: headers) }

    /// A form posted from the page the server gave (its CSRF token, unless `fields` has one).
    func post(_ path: String, _ fields: [String: String] = [:], json: Bool = false, headers: [String: String] = [:]) throws -> Answer {
        var fields = fields
        if fields["csrf"] == nil { fields["csrf"] = cookies.withLock { $0["luban_csrf"] } ?? "" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try send("POST", path, body: body, json: json, headers: headers)
    }

    /// A socket connected to the server from this device's address.
    func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(address)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        return fd
    }

    func send(_ method: String, _ path: String, body: String?, json: Bool, headers: [String: String] = [:]) throws -> Answer {
        let fd = try connect()
        defer { close(fd) }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
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
func first(_ pattern: String, _ text: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
        let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
        let r = Range(m.range(at: 1), in: text)
    else { return nil }
    return String(text[r])
}
