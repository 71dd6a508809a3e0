import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Who changed what, when

/// The audit trail: one row per change, written in the change's own transaction.
public enum ChangeLog {
    static func record(_ db: Database, user: String, action: String, detail: String) throws {
        try db.execute(
            sql: "INSERT INTO change_log (at, user, action, detail) VALUES (?, ?, ?, ?)",
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
        let text =
            "\((Int(parts.tm_year) + 1900).padded(4))-\((parts.tm_mon + 1).padded(2))-\(parts.tm_mday.padded(2))T"
            + "\(parts.tm_hour.padded(2)):\(parts.tm_min.padded(2)):\(parts.tm_sec.padded(2))Z"
        cache = (t, text)
        return text
    }

    /// The last second formatted (a long import asks many times a second).
    nonisolated(unsafe) private static var cache: (second: time_t, text: String) = (-1, "")
}

extension Timestamp {
    /// A stored time (UTC) as the office reads it: in the local time zone (`TZ`, else the
    /// system's), with its offset, e.g. `2026-11-29 23:49:02 +0800`.
    public static func local(_ stored: String, in zone: TimeZone = .current) -> String {
        let parser = ISO8601DateFormatter()
        guard let date = parser.date(from: stored) else { return stored }
        let out = DateFormatter()
        out.locale = Locale(identifier: "en_US_POSIX")
        out.timeZone = zone
        out.dateFormat = "yyyy-MM-dd HH:mm:ss xx"
        return out.string(from: date)
    }
}
