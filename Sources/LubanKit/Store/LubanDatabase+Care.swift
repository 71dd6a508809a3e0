import Foundation
import GRDB

// MARK: - Forgetting, checking, backing up, the change log

extension LubanDatabase {
    /// Erases a person's details on request (PIPL art. 47): name, ID number, employer, craft
    /// and phone. What they did stays, keyed by their code, so every total stays the same; their
    /// certificates stay verifiable by number, since the register signs only a salted digest of
    /// the holder.
    public func forget(_ reference: String, on date: CalendarDate = .today) throws(LubanError) -> Trainee {
        let trainee = try trainee(reference)
        guard trainee.forgottenOn == nil else { throw .refused("\(trainee.code)'s details were already erased on \(trainee.forgottenOn!)") }
        return try write("trainee forget", detail: trainee.code) { db in
            try db.execute(sql: """
                UPDATE trainee SET name = ?, id_number = NULL, employer = NULL, craft = NULL, phone = NULL, forgotten_on = ? WHERE id = ?
                """, arguments: [Self.erasedName, date, trainee.id])
            // The holder digest's salt goes too: with it, a digest and a guessed name could
            // still be tried against every possible ID number.
            try db.execute(sql: "UPDATE certificate SET holder_salt = '' WHERE trainee_id = ?", arguments: [trainee.id])
            return try Trainee.fetchOne(db, key: trainee.id)!
        }
    }

    /// What an erased person's name reads as.
    public static let erasedName = "(已删除 erased)"

    /// Everything `luban check` verifies: SQLite's integrity and foreign keys, every
    /// certificate's number and signed statement, the ledger against the current statuses.
    /// Returns the problems found (empty when all is well) and what was checked.
    public func check(publicKey: String? = nil) throws(LubanError) -> (problems: [String], checked: [String]) {
        var problems: [String] = []
        var checked: [String] = []
        let integrity = try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        if integrity != ["ok"] { problems += integrity.map { "integrity: \($0)" } }
        checked.append("SQLite integrity_check: \(integrity == ["ok"] ? "ok" : "FAILED")")
        let keys = try read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        problems += keys.map { "foreign key: table \($0[0] as String? ?? "?") row \($0[1] as Int64? ?? 0) points to a missing \($0[2] as String? ?? "?")" }
        checked.append("foreign keys: \(keys.count) broken")
        // Certificates, judged by the issuer key pinned outside the database (the key file
        // beside it, or `publicKey`), never by the key the database records.
        let register = try register(cohort: nil)
        let pin = try IssuerKeyPin.resolve(databasePath: path, explicit: publicKey, registered: try issuerPublicKey())
        problems += pin.problems.map { "issuer key: \($0)" }
        if !register.isEmpty && pin.key == nil {
            problems.append("issuer key: no key to check the certificates against (no key file at \(path.map(IssuerKey.path(forDatabase:)) ?? "?")); give --public-key")
        }
        for entry in register {
            let n = entry.certificate.number
            if case .failure(let p) = CertificateNumber.parse(n) { problems.append("certificate \(n): \(p.reason)") }
            if let key = pin.key {
                problems += Verification.registerProblems(entry, publicKey: key).map { "certificate \(n): \($0)" }
            }
        }
        if let key = pin.key {
            problems += try read { db in try Self.sealProblems(publicKey: key, db) }.map { "register: \($0)" }
        }
        let serialProblems = try read { db in
            try String.fetchAll(db, sql: """
                SELECT c.number FROM certificate c LEFT JOIN certificate_number n ON n.year = CAST(substr(c.number, instr(c.number, '-') + 1, 4) AS INTEGER)
                WHERE n.year IS NULL OR CAST(substr(c.number, instr(c.number, '-') + 6, length(c.number) - instr(c.number, '-') - 7) AS INTEGER) > n.last_serial
                """)
        }
        problems += serialProblems.map { "certificate \($0): its serial is beyond the number counter, so a number could be issued twice" }
        checked.append("certificates: \(register.count) verified against the issuer key \(pin.key.flatMap(IssuerKey.fingerprint(ofPublicKey:)) ?? "(none at hand)"), and the register's seal")
        // The ledger: every batch holds exactly its range of entry numbers, and the ranges
        // follow each other (so entry numbers are unique and in the order recorded); only
        // enrolled trainees have marks. (The current status is the newest entry by
        // construction: `attendance` is a view over the ledger.)
        let batches = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.id, b.first_entry, b.last_entry, r.n, r.different, r.first, r.last FROM attendance_batch b
                LEFT JOIN (SELECT batch_id, count(*) AS n, count(DISTINCT id) AS different, min(id) AS first, max(id) AS last
                           FROM attendance_entry GROUP BY batch_id) AS r ON r.batch_id = b.id
                ORDER BY b.id
                """)
        }
        var previousLast: Int64 = 0
        for b in batches {
            let id: Int64 = b[0], first: Int64 = b[1], last: Int64 = b[2]
            let n: Int64 = b[3] ?? 0, different: Int64 = b[4] ?? 0, low: Int64 = b[5] ?? first, high: Int64 = b[6] ?? last
            if first <= previousLast || last < first {
                problems.append("attendance batch \(id): its entry numbers \(first)…\(last) do not follow the previous batch's (up to \(previousLast))")
            } else if low < first || high > last || n != different || n != last - first + 1 {
                problems.append("attendance batch \(id): holds \(n) entries (\(different) different numbers, \(low)…\(high)) where its range \(first)…\(last) says \(last - first + 1)")
            }
            previousLast = max(previousLast, last)
        }
        let strays = try read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM attendance a JOIN session s ON s.id = a.session_id
                WHERE NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.cohort_id = s.cohort_id AND e.trainee_id = a.trainee_id)
                """) ?? 0
        }
        if strays > 0 { problems.append("attendance: \(strays) marks for trainees not enrolled in the session's cohort") }
        let pairs = try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attendance") ?? 0 }
        checked.append("attendance ledger: \(pairs) current statuses checked against enrolment")
        let kept = try YearlyTotals.rows(self), recomputed = try YearlyTotals.recompute(self)
        if kept != recomputed {
            problems.append("yearly totals: the roll-ups differ from a recomputation from the records (kept \(kept.map(\.summary)), recomputed \(recomputed.map(\.summary)))")
        }
        checked.append("yearly totals: roll-ups \(kept == recomputed ? "match" : "DIFFER FROM") a full recomputation")
        return (problems, checked)
    }

    /// A consistent copy of the database into a new file, made with SQLite's online backup, so
    /// other processes may go on writing meanwhile.
    public func backup(to file: String) throws(LubanError) {
        guard !FileManager.default.fileExists(atPath: file) else {
            throw .file(path: file, reason: "already exists; choose a new file name (a backup never overwrites)")
        }
        let fd = open(file, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw .file(path: file, reason: "cannot be created (\(String(cString: strerror(errno))))") }
        close(fd)
        do {
            let target = try DatabaseQueue(path: file)
            try writer.backup(to: target)
            try target.close()
        } catch {
            try? FileManager.default.removeItem(atPath: file)
            throw .file(path: file, reason: "backup failed: \(Self.describe(error))")
        }
    }

    /// Replaces this database's contents with a backup, after checking that the file is a luban
    /// database this version understands.
    public func restore(from file: String) throws(LubanError) {
        guard FileManager.default.fileExists(atPath: file) else { throw .file(path: file, reason: "does not exist") }
        var info = stat()
        guard Self.looksLikeSQLite(file), stat(file, &info) == 0, info.st_size > 0 else {
            throw .file(path: file, reason: "is not a luban database (not an SQLite file); nothing was restored")
        }
        do {
            var config = Configuration()
            config.readonly = true
            let source = try DatabaseQueue(path: file, configuration: config)
            let applied = try source.read { db -> [String]? in
                guard try db.tableExists("grdb_migrations") else { return nil }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
            guard let applied, try source.read({ try $0.tableExists("certificate") && $0.tableExists("trainee") }) else {
                throw LubanError.file(path: file, reason: "is an SQLite file but not a luban database; nothing was restored")
            }
            let known = Set(Self.migrator.migrations)
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw LubanError.file(path: file, reason: "was written by a newer luban (migrations \(unknown.joined(separator: ", "))); install that version to restore it; nothing was restored")
            }
            try source.backup(to: writer)
            try migrateAfterRestore()
        } catch let e as LubanError {
            throw e
        } catch {
            throw .file(path: file, reason: "cannot be restored: \(Self.describe(error))")
        }
    }

    private func migrateAfterRestore() throws {
        try Self.migrator.migrate(writer)
        try writer.write { db in try ChangeLog.record(db, user: user, action: "restore", detail: "from a backup") }
    }

    /// The change log, oldest first, optionally from a day on.
    public func changes(since: CalendarDate? = nil) throws(LubanError) -> [(id: Int64, at: String, user: String, action: String, detail: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, at, user, action, detail FROM change_log WHERE (? IS NULL OR at >= ?) ORDER BY id",
                             arguments: [since?.description, since?.description]).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
    }
}
