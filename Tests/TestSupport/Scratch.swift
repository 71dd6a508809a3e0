import Foundation

/// The files a test run makes, in one folder of the run (`luban-tests-PID` in the temporary
/// folder): removed when the run ends, or by the next run when this one was killed. Tests made
/// a folder of their own in the temporary folder each and never removed it: thousands a run.
public enum Scratch {
    /// A new empty folder in the run's folder, its name `prefix` and a unique tail.
    public static func folder(_ prefix: String) throws -> URL {
        let url = run.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A path in the run's folder for a file or folder not made yet, its name `prefix` and a
    /// unique tail of `unique` characters.
    public static func path(_ prefix: String, unique: Int = 36) -> String {
        run.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(unique))").path
    }

    private static let namePrefix = "luban-tests-"

    /// The run's folder, made on first use (with the folders of killed runs removed), and
    /// removed when the process exits.
    private static let run: URL = {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(namePrefix) {
            // A run whose process is gone.
            if let pid = pid_t(name.dropFirst(namePrefix.count)), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
        let url = temporary.appendingPathComponent("\(namePrefix)\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.run) }
        return url
    }()
}
