import Foundation
import TestSupport
import Testing

/// Runs the built `luban` binary as a user would, in its own folder with its own database.
struct User {
    let folder: URL
    var environment: [String: String]

    init() throws {
        folder = try Scratch.folder("luban-e2e")
        var env = ProcessInfo.processInfo.environment
        env["LUBAN_DB"] = folder.appendingPathComponent("office.sqlite").path
        env.removeValue(forKey: "LUBAN_TEMPLATES")
        // English unless a test asks for Chinese, whatever the machine's locale.
        env["LUBAN_LANG"] = "en"
        environment = env
    }

    var database: String { environment["LUBAN_DB"]! }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `luban ARGS`, in the user's folder.
    @discardableResult
    func run(_ args: [String], stdin: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        p.environment = environment
        p.currentDirectoryURL = folder
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Starts `luban ARGS` in the background (output discarded); the caller waits or kills.
    func spawn(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        p.environment = environment
        p.currentDirectoryURL = folder
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// `luban ARGS`, expecting success; returns stdout.
    @discardableResult
    func ok(_ args: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let r = try run(args)
        #expect(r.status == 0, "luban \(args.joined(separator: " ")) failed: \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    /// The demo's office in this user's database: what `luban demo` makes, made once for the
    /// whole test run and copied here (its database and issuer key). The demo is the same every
    /// time (a fixed seed and key), and making it was the slowest step of the tests that start
    /// from it. The tests of `luban demo` itself run it.
    func demo() throws {
        let template = try Self.demoTemplate.get()
        for suffix in ["", ".issuer-key"] {
            try FileManager.default.copyItem(atPath: template + suffix, toPath: database + suffix)
        }
    }

    /// The database `luban demo` made, once per test run.
    private static let demoTemplate: Swift.Result<String, any Error> = Swift.Result {
        let maker = try User()
        let made = try maker.run(["demo"])
        guard made.status == 0 else { throw DemoFailed(stderr: made.stderr) }
        return maker.database
    }

    struct DemoFailed: Error, CustomStringConvertible {
        let stderr: String
        var description: String { "luban demo failed: \(stderr)" }
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The package root (for Curriculum/ and Reports/).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `luban` built beside the test bundle.
    static let binary: URL = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("luban")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/luban")
    }()
}

/// Runs `python3` with `arguments` (an independent reader: a verifier, openpyxl); returns what it
/// printed on stdout and stderr together.
func python3(_ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3"] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return text
}

/// A valid ID number from 17 digits (ISO 7064 MOD 11-2).
func validID(_ d17: String) -> String {
    var sum = 0
    for c in d17 { sum = (sum + (c.wholeNumberValue ?? 0)) * 2 % 11 }
    let check = (12 - sum % 11) % 11
    return d17 + (check == 10 ? "X" : String(check))
}

/// A unified diff of two texts (for golden-file failures).
func unifiedDiff(_ expected: String, _ actual: String) -> String {
    let dir = URL(fileURLWithPath: Scratch.path("luban-diff"))
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let a = dir.appendingPathComponent("expected")
    let b = dir.appendingPathComponent("actual")
    try? Data(expected.utf8).write(to: a)
    try? Data(actual.utf8).write(to: b)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
    p.arguments = ["-u", a.path, b.path]
    let out = Pipe()
    p.standardOutput = out
    try? p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
