import Foundation
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
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
