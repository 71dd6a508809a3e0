import Foundation
import TestSupport
import Testing

/// The PostgreSQL server the HQ tests use: `$LUBAN_TEST_PG` (the one `.ci/run` starts), else
/// one started here by `Scripts/start-postgres.sh` and stopped when the tests end. With none,
/// every HQ test fails (it never skips): HQ is tested against a real server or not at all.
enum TestPostgres {
    /// A started server: its folder (nil for `$LUBAN_TEST_PG`) and URL.
    struct Server {
        let folder: String?
        let url: String
    }

    static let shared: Result<Server, TestFailure> = {
        if let url = ProcessInfo.processInfo.environment["LUBAN_TEST_PG"], !url.isEmpty { return .success(Server(folder: nil, url: url)) }
        let started = start()
        if case .success(let server) = started, let folder = server.folder {
            ownFolder = folder
            atexit { if let folder = TestPostgres.ownFolder { _ = try? TestPostgres.script(["--stop", folder]) } }
        }
        return started
    }()

    nonisolated(unsafe) static var ownFolder: String?

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts a server of its own (for a test that crashes it).
    static func start() -> Result<Server, TestFailure> {
        // Short: the server's socket is made in it.
        let folder = Scratch.path("luban-pg", unique: 8)
        do {
            let url = try script([folder]).trimmingCharacters(in: .whitespacesAndNewlines)
            return .success(Server(folder: folder, url: url))
        } catch {
            return .failure(TestFailure(description: "no PostgreSQL server for the HQ tests: \(error)"))
        }
    }

    /// Runs Scripts/start-postgres.sh with `arguments`; its standard output.
    @discardableResult
    static func script(_ arguments: [String]) throws -> String {
        try run("/bin/bash", [User.root.appendingPathComponent("Scripts/start-postgres.sh").path] + arguments)
    }

    /// A new, empty database on the shared server: its URL.
    static func database(on server: Server? = nil) throws -> String {
        let server = try server ?? shared.get()
        let name = "hq_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try psql(server.url, "CREATE DATABASE \(name)")
        guard let slash = server.url.lastIndex(of: "/") else { return server.url }
        return server.url[..<slash] + "/" + name
    }

    /// `psql URL -c SQL`: its rows, `|`-separated.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        try run("/usr/bin/env", ["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }

    /// Runs a program to its end: its standard output. Spawned and waited for directly (not
    /// Foundation's `Process`, whose wait missed the exit of a script that starts a daemon). The
    /// program gets no other file of this process: a PostgreSQL server started while the tests
    /// held a thousand files open inherited them all and refused to start ("insufficient file
    /// descriptors").
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let output = Scratch.path("luban-run")
        defer {
            unlink(output)
            unlink(output + ".err")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, output + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try closeFrom3(&actions)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestFailure(description: "cannot run \(program): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let out = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let err = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
            throw TestFailure(description: "\(arguments.joined(separator: " ")): \(err)")
        }
        return out
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np(actions, 3)`, which Swift's Glibc
    /// module does not import.
    private static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) throws {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        // nil is RTLD_DEFAULT: every library loaded.
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw TestFailure(description: "this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 has)")
        }
        let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
        let failed = closeFrom(&actions, 3)
        guard failed == 0 else { throw TestFailure(description: "posix_spawn_file_actions_addclosefrom_np: \(String(cString: strerror(failed)))") }
    }
}

extension User {
    /// `luban ARGS` (an array), expecting success; returns stdout.
    @discardableResult
    func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try run(args)
        #expect(r.status == 0, "luban \(args.joined(separator: " ")) failed: \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    /// A user at HQ: `luban hq` with its own database on `server` and its own key file.
    static func hq(on server: TestPostgres.Server? = nil) throws -> User {
        var user = try User()
        user.environment["LUBAN_HQ"] = try TestPostgres.database(on: server)
        user.environment["LUBAN_HQ_KEY_FILE"] = user.folder.appendingPathComponent("hq.key").path
        try user.ok("hq", "init")
        return user
    }

    /// A centre made by the demo, joined to `hq` as `code`.
    static func centre(_ code: String, joining hq: User) throws -> User {
        let centre = try User()
        try centre.demo()
        try centre.join(code, hq)
        return centre
    }

    /// A centre with a key of its own and the records `luban generate` makes for `seed` (the
    /// same seed, the same people), joined to `hq` as `code`.
    static func generatedCentre(_ code: String, joining hq: User, seed: Int = 5, cohorts: Int = 4, trainees: Int = 150) throws -> User {
        let centre = try User()
        let data = centre.folder.appendingPathComponent("data").path
        try centre.ok("generate", data, "--cohorts", String(cohorts), "--trainees", String(trainees), "--seed", String(seed))
        try centre.ok("init")
        try centre.ok("curriculum", "load", User.root.appendingPathComponent("Curriculum/luban.yaml").path)
        try centre.ok("cohort", "import", "\(data)/cohorts.csv")
        try centre.ok("trainee", "import", "\(data)/roster.csv")
        try centre.ok("enroll", "--csv", "\(data)/enrolments.csv")
        try centre.ok("session", "import", "\(data)/schedule.csv", "--add-experts")
        try centre.ok("attend", "--csv", "\(data)/attendance.csv")
        try centre.ok("signoff", "import", "\(data)/signoffs.csv", "--add-experts")
        try centre.join(code, hq)
        return centre
    }

    /// Registers this centre at `hq` and joins with the statement HQ printed.
    func join(_ code: String, _ hq: User) throws {
        let key = try ok("issuer", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        let statement = try hq.ok("hq", "office", "add", code, "--name", "\(code) 培训中心", "--key", key)
        let file = try write("\(code)-statement.txt", statement)
        let hqKey = try hq.ok("hq", "key").trimmingCharacters(in: .whitespacesAndNewlines)
        try ok("office", "join", code, "--hq-key", hqKey, "--statement", file)
    }

    /// `luban publish` into the user's `bundles` folder: the path of the bundle written.
    @discardableResult
    func publish() throws -> String {
        let out = try ok("publish", "--out", folder.appendingPathComponent("bundles").path)
        guard let arrow = out.range(of: " → ") else { return "" }
        return String(out[arrow.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
