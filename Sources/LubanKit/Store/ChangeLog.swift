import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB

// MARK: - Who changed what, when

/// The audit trail: one row per change, written in the change's own transaction.
public enum ChangeLog {
    static func record(_ db: Database, user: String, action: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO change_log (at, user, action, detail) VALUES (?, ?, ?, ?)",
                       arguments: [Timestamp.now(), user, action, detail])
    }
}

/// Times recorded with changes: UTC, ISO 8601, to the second.
public enum Timestamp {
    public static func now() -> String {
        var t = time(nil)
        if t == cache.second { return cache.text }
        var parts = tm()
        gmtime_r(&t, &parts)
        let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                          Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        cache = (t, text)
        return text
    }

    /// The last second formatted (a long import asks many times a second).
    nonisolated(unsafe) private static var cache: (second: time_t, text: String) = (-1, "")
}
