import Foundation
import GRDB
import Synchronization

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
    public static func now() -> String { text(at: time(nil)) }

    /// Second `t` (since 1970) as stored, the last one formatted kept for the next caller.
    static func text(at second: time_t) -> String {
        var t = second
        if let hit = cache.withLock({ $0.second == t ? $0.text : nil }) { return hit }
        var parts = tm()
        gmtime_r(&t, &parts)
        let text =
            "\((Int(parts.tm_year) + 1900).padded(4))-\((parts.tm_mon + 1).padded(2))-\(parts.tm_mday.padded(2))T"
            + "\(parts.tm_hour.padded(2)):\(parts.tm_min.padded(2)):\(parts.tm_sec.padded(2))Z"
        cache.withLock { $0 = (t, text) }
        return text
    }

    /// The last second formatted (a long import asks many times a second). Behind a lock:
    /// databases written on several threads at once (a server's, the tests') ask at the same
    /// time, and a string read while another thread replaces it was freed under the reader.
    private static let cache = Mutex<(second: time_t, text: String)>((-1, ""))
}

extension Timestamp {
    /// A stored time (UTC) as the office reads it: in the local time zone (`TZ`, else the
    /// system's), with its offset, e.g. `2026-11-29 23:49:02 +0800`.
    public static func local(_ stored: String, in zone: TimeZone = .current) -> String {
        guard let date = ISO8601DateFormatter().date(from: stored) else { return stored }
        return local(date, in: zone)
    }

    /// The stored form (UTC) of the moment a day begins in the office's time zone: where
    /// `log --since DAY` starts (a day of the office, not of UTC).
    public static func startOfLocalDay(_ day: CalendarDate, in zone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) else { return day.description }
        let out = ISO8601DateFormatter()
        out.timeZone = TimeZone(identifier: "UTC")
        return out.string(from: start)
    }

    static func local(_ date: Date, in zone: TimeZone) -> String {
        let out = DateFormatter()
        out.locale = Locale(identifier: "en_US_POSIX")
        out.timeZone = zone
        out.dateFormat = "yyyy-MM-dd HH:mm:ss xx"
        return out.string(from: date)
    }
}
