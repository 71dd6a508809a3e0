import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Checking, backing up, restoring, the change log

extension LubanDatabase {
    /// Everything `luban check` verifies: SQLite's integrity and foreign keys, every
    /// certificate's number and signed statement, the ledger against the current statuses.
    /// Returns the problems found (empty when all is well) and what was checked.
    ///
    /// `quick`, for a check every few minutes: SQLite's `quick_check` instead of
    /// `integrity_check` (it does not compare each index with its table), and no scan of the
    /// foreign keys, of marks of trainees not enrolled, or full recomputation of the yearly
    /// roll-ups; what it skips is named in `checked`. Every certificate, the register's seal and
    /// the ledger's numbering are checked either way.
    public func check(publicKey: String? = nil, quick: Bool = false) throws(LubanError) -> (problems: [Phrase], checked: [Phrase]) {
        var problems: [Phrase] = []
        var checked: [Phrase] = []
        let pragma = quick ? "quick_check" : "integrity_check"
        let integrity = try read { db in try String.fetchAll(db, sql: "PRAGMA \(pragma)") }
        if integrity != ["ok"] { problems += integrity.map { Phrase(zh: "完整性：\($0)", en: "integrity: \($0)") } }
        checked.append(
            Phrase(
                zh: "SQLite 完整性检查 \(pragma)：\(integrity == ["ok"] ? "正常" : "失败")",
                en: "SQLite \(pragma): \(integrity == ["ok"] ? "ok" : "FAILED")"))
        if quick {
            checked.append(
                Phrase(
                    zh: "已略过（--quick）：索引与表的逐一核对、外键扫描、未报名学员的考勤扫描、年度统计的完整重算、有效证书依据的重算",
                    en:
                        "skipped (--quick): each index against its table, the foreign-key scan, the scan for marks of trainees not enrolled, the full recomputation of the yearly totals and of valid certificates' grounds"
                ))
        }
        let keys = quick ? [] : try read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        problems += keys.map {
            let (table, row, target) = ($0[0] as String? ?? "?", $0[1] as Int64? ?? 0, $0[2] as String? ?? "?")
            return Phrase(zh: "外键：表 \(table) 第 \(row) 行指向不存在的 \(target)", en: "foreign key: table \(table) row \(row) points to a missing \(target)")
        }
        if !quick { checked.append(Phrase(zh: "外键：\(keys.count) 处断开", en: "foreign keys: \(keys.count) broken")) }
        // Certificates, judged by the issuer key pinned outside the database (the key file
        // beside it, or `publicKey`), never by the key the database records.
        let register = try register(cohort: nil)
        let pin = try IssuerKeyPin.resolve(databasePath: path, explicit: publicKey, registered: try issuerPublicKey())
        problems += pin.problems.map { Phrase(zh: "签发密钥：", en: "issuer key: ") + $0 }
        if !register.isEmpty && pin.key == nil {
            let keyFile = path.map(IssuerKey.path(forDatabase:)) ?? "?"
            problems.append(
                Phrase(
                    zh: "签发密钥：没有可用来核对证书的密钥（\(keyFile) 处没有密钥文件）；请给出签发方的公钥",
                    en: "issuer key: no key to check the certificates against (no key file at \(keyFile)); give the issuer's public key"))
        }
        for entry in register {
            let n = entry.certificate.number
            if case .failure(let p) = CertificateNumber.parse(n) { problems.append(Phrase(zh: "证书 \(n)：", en: "certificate \(n): ") + p.phrase) }
            if let key = pin.key {
                problems += Verification.registerProblems(entry, publicKey: key).map { Phrase(zh: "证书 \(n)：", en: "certificate \(n): ") + $0 }
            }
        }
        if let key = pin.key {
            problems += try read { db in try Self.sealProblems(publicKey: key, db) }.map { Phrase(zh: "登记簿：", en: "register: ") + $0 }
        }
        let serialProblems = try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT c.number FROM certificate c LEFT JOIN certificate_number n ON n.year = CAST(substr(c.number, instr(c.number, '-') + 1, 4) AS INTEGER)
                    WHERE n.year IS NULL OR CAST(substr(c.number, instr(c.number, '-') + 6, length(c.number) - instr(c.number, '-') - 7) AS INTEGER) > n.last_serial
                    """)
        }
        problems += serialProblems.map {
            Phrase(
                zh: "证书 \($0)：序号超出编号计数器，可能重复发号", en: "certificate \($0): its serial is beyond the number counter, so a number could be issued twice")
        }
        let fingerprint = pin.key.flatMap(IssuerKey.fingerprint(ofPublicKey:))
        checked.append(
            Phrase(
                zh: "证书：\(register.count) 张已用签发密钥 \(fingerprint ?? "（手边没有）") 核验，并核对了登记簿封印",
                en: "certificates: \(register.count) verified against the issuer key \(fingerprint ?? "(none at hand)"), and the register's seal"))
        // The ledger: every batch holds exactly its range of entry numbers, and the ranges
        // follow each other (so entry numbers are unique and in the order recorded); only
        // enrolled trainees have marks. (The current status is the newest entry by
        // construction: `attendance` is a view over the ledger.)
        problems += try read { db in try LedgerNumbering.problems(db) }
        guard !quick else { return (problems, checked) }
        // Every valid certificate against the records it rests on, recomputed.
        problems += try read { db in try CertificateGround.problems(db) }
        let valid = register.filter { $0.certificate.status == .valid }.count
        checked.append(
            Phrase(
                zh: "证书依据：\(valid) 张有效证书已按记录重算等级与学时", en: "certificate grounds: \(valid) valid certificates recomputed from the records"))
        // One pass over the current statuses: how many, how many are of trainees not enrolled, and
        // what the yearly totals take from them; the roll-ups read in the same transaction, so
        // that a mark recorded meanwhile (by a server) cannot make them differ.
        let (pass, kept, recomputed) = try read { db in
            let pass = try CurrentStatusPass(db, countingStrays: true)
            return (pass, try YearlyTotals.rows(db, year: nil), try YearlyTotals.recompute(db, year: nil, pass: pass))
        }
        let (pairs, strays) = (pass.statuses, pass.strays)
        if strays > 0 {
            problems.append(
                Phrase(zh: "考勤：\(strays) 条考勤属于未报名该课次期次的学员", en: "attendance: \(strays) marks for trainees not enrolled in the session's cohort"))
        }
        checked.append(Phrase(zh: "考勤台账：\(pairs) 条当前状态已与报名核对", en: "attendance ledger: \(pairs) current statuses checked against enrolment"))
        if kept != recomputed {
            let (k, r) = (kept.map(\.summary), recomputed.map(\.summary))
            problems.append(
                Phrase(
                    zh: "年度统计：汇总与按记录重算的结果不同（保存的 \(k)，重算的 \(r)）",
                    en: "yearly totals: the roll-ups differ from a recomputation from the records (kept \(k), recomputed \(r))"))
        }
        checked.append(
            kept == recomputed
                ? Phrase(zh: "年度统计：汇总与完整重算一致", en: "yearly totals: roll-ups match a full recomputation")
                : Phrase(zh: "年度统计：汇总与完整重算不一致", en: "yearly totals: roll-ups DIFFER FROM a full recomputation"))
        return (problems, checked)
    }

    /// A consistent copy of the database into a new file, made with SQLite's online backup, so
    /// other processes may go on writing meanwhile.
    public func backup(to file: String) throws(LubanError) {
        guard !FileManager.default.fileExists(atPath: file) else {
            throw .file(
                path: file, reason: Phrase(zh: "已存在；请换一个文件名（备份从不覆盖文件）", en: "already exists; choose a new file name (a backup never overwrites)"))
        }
        let fd = open(file, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .file(path: file, reason: .cannotCreate(errno)) }
        close(fd)
        do {
            let target = try DatabaseQueue(path: file)
            try writer.backup(to: target)
            // One self-contained file: the copy leaves write-ahead logging for a rollback journal.
            try target.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
            try target.close()
        } catch {
            try? FileManager.default.removeItem(atPath: file)
            throw .file(path: file, reason: Phrase(zh: "备份失败：\(Self.describe(error))", en: "backup failed: \(Self.describe(error))"))
        }
    }

    /// Restores the database at `path` from a backup, never harming the live one: the backup
    /// must be intact and hold exactly the schema this version's migrations make, and be
    /// signed by this office's issuer key (unless `otherIssuer`). It is copied into a new file
    /// beside the live one, brought up to date, given back every erasure made since
    /// (`ErasureList`), checked, and only then swapped in; the live file is kept as
    /// `<path>.before-restore`.
    public static func restore(
        backup file: String, into path: String, otherIssuer: Bool = false, withAccounts: Bool = false, user: String = osUser
    ) throws(LubanError) -> RestoreResult {
        sweepAbandonedRestores(of: path)
        var info = stat()
        guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw .file(path: file, reason: .noSuchFile) }
        // Read before this process opens any connection (a descriptor closed here would drop
        // the locks of a connection to the same file).
        guard startsAsSQLite(file), info.st_size > 0 else {
            throw .file(
                path: file,
                reason: Phrase(zh: "不是 luban 数据库（不是 SQLite 文件）；未做任何恢复", en: "is not a luban database (not an SQLite file); nothing was restored"))
        }
        let kept = path + ".before-restore"
        if access(kept, F_OK) == 0 || (try? FileManager.default.destinationOfSymbolicLink(atPath: kept)) != nil {
            throw .file(
                path: kept,
                reason: Phrase(zh: "是上次恢复留下的；请先把它移走（未做任何恢复）", en: "is left from an earlier restore; move it elsewhere first (nothing was restored)"))
        }
        let live = access(path, F_OK) == 0 ? try LubanDatabase(path: path) : nil
        // Which key this office signs with: the key file beside the database, else the live
        // database's own record of it.
        let keyPath = IssuerKey.path(forDatabase: path)
        let officeKey = access(keyPath, F_OK) == 0 ? try IssuerKey.load(at: keyPath).publicKey : try live?.issuerPublicKey()
        live?.closeConnection()
        let sourceKey: String?
        do {
            var config = Configuration()
            config.readonly = true
            let source = try DatabaseQueue(path: file, configuration: config)
            defer { try? source.close() }
            sourceKey = try source.read { db throws -> String? in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard integrity == ["ok"] else {
                    throw LubanError.file(
                        path: file,
                        reason: Phrase(
                            zh: "已损坏（integrity_check：\(integrity.prefix(3).joined(separator: "; "))）；未做任何恢复",
                            en: "is damaged (integrity_check: \(integrity.prefix(3).joined(separator: "; "))); nothing was restored"))
                }
                try checkSchema(of: db, file: file)
                // Office accounts are ways into the server: a backup brings none unless asked
                // (a planted account would let its maker sign in).
                let accounts = try db.tableExists("web_user") ? try String.fetchAll(db, sql: "SELECT name FROM web_user ORDER BY name") : []
                if !accounts.isEmpty && !withAccounts { throw LubanError.backupHoldsAccounts(file: file, names: accounts) }
                return try String.fetchOne(db, sql: "SELECT public_key FROM issuer WHERE id = 1")
            }
            if let sourceKey, let officeKey, sourceKey != officeKey, !otherIssuer {
                throw LubanError.file(
                    path: file,
                    reason: Phrase(
                        zh:
                            "由另一把签发密钥签名（\(IssuerKey.fingerprint(ofPublicKey: sourceKey) ?? "?")，本办公室的是 \(IssuerKey.fingerprint(ofPublicKey: officeKey) ?? "?")）；未做任何恢复（只有确实要把它作为另一签发方的登记簿恢复时才这样做）",
                        en:
                            "was signed by another issuer key (\(IssuerKey.fingerprint(ofPublicKey: sourceKey) ?? "?"), this office's is \(IssuerKey.fingerprint(ofPublicKey: officeKey) ?? "?")); nothing was restored (restore it as another issuer's register only if that is what you mean)"
                    ))
            }
        } catch let e as LubanError {
            throw e
        } catch {
            throw .file(
                path: file, reason: Phrase(zh: "无法读取：\(describe(error))；未做任何恢复", en: "cannot be read: \(describe(error)); nothing was restored"))
        }
        // Build the restored database in a file of its own.
        let building = path + ".restoring-\(getpid())"
        let erasures = ErasureList(databasePath: path)
        var reapplied = 0
        do {
            let fd = open(building, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw LubanError.file(path: building, reason: .cannotCreate(errno)) }
            close(fd)
            var config = Configuration()
            config.readonly = true
            let source = try DatabaseQueue(path: file, configuration: config)
            let target = try DatabaseQueue(path: building)
            try source.backup(to: target)
            try source.close()
            try target.close()
            let restored = try LubanDatabase(path: building, user: user)
            // Logged whatever it changes: the log says when the database became the backup.
            reapplied = try restored.write(
                "restore",
                detail: Phrase(zh: "来自 \((file as NSString).lastPathComponent)", en: "from \((file as NSString).lastPathComponent)").text(),
                logged: true
            ) { db in
                // A roll-call link open in the backup is a way in that the office no longer shows
                // on any screen: every link is closed.
                if try db.tableExists("rollcall_link") { try RollCallLink.closeAll(db) }
                var n = 0
                for code in try erasures.codes() {
                    guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM trainee WHERE code = ? AND forgotten_on IS NULL", arguments: [code])
                    else { continue }
                    try Trainee.erase(traineeID: id, on: .today, db)
                    n += 1
                }
                return n
            }
            let integrity = try restored.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            guard integrity == ["ok"] else {
                throw LubanError.file(
                    path: file,
                    reason: Phrase(
                        zh: "恢复结果不完整（integrity_check：\(integrity.prefix(3).joined(separator: "; "))）；未做任何恢复",
                        en: "did not restore cleanly (integrity_check: \(integrity.prefix(3).joined(separator: "; "))); nothing was restored"))
            }
            restored.closeConnection()
        } catch {
            for suffix in ["", "-wal", "-shm"] { unlink(building + suffix) }
            if let e = error as? LubanError { throw e }
            throw .file(
                path: file,
                reason: Phrase(
                    zh: "无法恢复：\(describe(error))；正在使用的数据库未受影响", en: "cannot be restored: \(describe(error)); the live database is untouched"))
        }
        // Swap it in.
        for suffix in ["-wal", "-shm"] { unlink(building + suffix) }
        if access(path, F_OK) == 0 {
            guard rename(path, kept) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(building)
                throw .file(
                    path: path,
                    reason: Phrase(zh: "无法另存为 \(kept)（\(reason)）；未做任何恢复", en: "cannot be set aside as \(kept) (\(reason)); nothing was restored"))
            }
            chmod(kept, 0o600)
            for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
        }
        guard rename(building, path) == 0 else {
            let reason = String(cString: strerror(errno))
            if access(kept, F_OK) == 0 { rename(kept, path) }
            unlink(building)
            throw .file(
                path: path,
                reason: Phrase(
                    zh: "恢复的副本无法就位（\(reason)）；正在使用的数据库已复原",
                    en: "the restored copy could not be put in place (\(reason)); the live database is back as it was"))
        }
        let foreign = sourceKey.flatMap { k in officeKey.map { $0 != k } ?? false ? IssuerKey.fingerprint(ofPublicKey: k) : nil }
        return RestoreResult(keptAs: access(kept, F_OK) == 0 ? kept : nil, erasuresReapplied: reapplied, otherIssuerKey: foreign)
    }

    /// Removes the copies (`<path>.restoring-PID`, with their logs) that a restore killed
    /// before it finished left beside the database: they hold the backup's people, and no
    /// process is building them any more.
    static func sweepAbandonedRestores(of path: String) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".restoring-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let pid = pid_t(digits), ["", "-wal", "-shm", "-journal"].contains(String(rest.dropFirst(digits.count))) else { continue }
            // Another restore still at work keeps its copy.
            if pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }
            unlink(folder + "/" + name)
        }
    }

    /// Whether the file begins with SQLite's 16-byte header. Only for a file this process has
    /// no connection to: closing the descriptor drops every lock the process holds on the file.
    private static func startsAsSQLite(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let n = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 16) }
        return n == 16 && head == Array("SQLite format 3\0".utf8)
    }

    /// What a restore did.
    public struct RestoreResult: Sendable, Equatable {
        /// Where the database it replaced is kept, if there was one.
        public var keptAs: String?
        /// How many people erased since the backup was taken were erased again.
        public var erasuresReapplied: Int
        /// The fingerprint of the backup's issuer key, when it is not this office's.
        public var otherIssuerKey: String?
    }

    /// Refuses a backup whose schema is not exactly what this version's migrations make (for
    /// the migrations it has applied): no table, index, view or trigger more, none less, none
    /// changed.
    static func checkSchema(of db: Database, file: String) throws {
        guard try db.tableExists("grdb_migrations") else {
            throw LubanError.file(
                path: file,
                reason: Phrase(zh: "是 SQLite 文件，但不是 luban 数据库；未做任何恢复", en: "is an SQLite file but not a luban database; nothing was restored"))
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        let known = migrator.migrations
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw LubanError.file(
                path: file,
                reason: Phrase(
                    zh: "由更新版本的 luban 写入（迁移 \(unknown.joined(separator: ", "))）；请安装该版本后再恢复；未做任何恢复",
                    en:
                        "was written by a newer luban (migrations \(unknown.joined(separator: ", "))); install that version to restore it; nothing was restored"
                ))
        }
        guard let last = applied.last, Set(applied) == Set(known.prefix(applied.count)) else {
            throw LubanError.file(
                path: file,
                reason: Phrase(
                    zh: "不是本版本认识的 luban 数据库（其迁移：\(applied.joined(separator: ", "))）；未做任何恢复",
                    en: "is not a luban database this version knows (its migrations: \(applied.joined(separator: ", "))); nothing was restored"))
        }
        let reference = try DatabaseQueue()
        try migrator.migrate(reference, upTo: last)
        // Every object but those SQLite makes itself: the tables it keeps (AUTOINCREMENT's
        // counters, ANALYZE's statistics) and the indexes behind UNIQUE constraints, which have no
        // SQL. Names are compared exactly (in LIKE, `_` is any character, and a trigger named
        // `sqliteXforget` would pass as SQLite's).
        let schemaSQL = """
            SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master
            WHERE NOT (type = 'table' AND name IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4'))
              AND NOT (type = 'index' AND substr(name, 1, 17) = 'sqlite_autoindex_' AND sql IS NULL)
            ORDER BY 1
            """
        let expected = Set(try reference.read { try String.fetchAll($0, sql: schemaSQL) })
        let actual = Set(try String.fetchAll(db, sql: schemaSQL))
        guard expected == actual else {
            func names(_ set: Set<String>) -> String { set.sorted().prefix(5).map { String($0.prefix { $0 != ":" }) }.joined(separator: ", ") }
            let extra = actual.subtracting(expected)
            let missing = expected.subtracting(actual)
            var what: [String] = []
            if !extra.isEmpty { what.append("not made by luban: \(names(extra))") }
            if !missing.isEmpty { what.append("missing or changed: \(names(missing))") }
            throw LubanError.file(
                path: file,
                reason: Phrase(
                    zh: "其表结构与 luban 所建不同（\(what.joined(separator: "; "))）；未做任何恢复",
                    en: "its schema is not what luban makes (\(what.joined(separator: "; "))); nothing was restored"))
        }
    }

    /// The change log, oldest first: from a day on (a day in the office's time zone), and the
    /// entries that name a trainee (by code) or a cohort.
    public func changes(since: CalendarDate? = nil, trainee: String? = nil, cohort: String? = nil) throws(LubanError) -> [(
        id: Int64, at: String, user: String, action: String, detail: String
    )] {
        let code = try trainee.map { t throws(LubanError) in try self.trainee(t).code }
        let cohortCode = try cohort.map { c throws(LubanError) in try self.cohort(c).code }
        let rows: [(id: Int64, at: String, user: String, action: String, detail: String)] = try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, at, user, action, detail FROM change_log
                    WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR instr(detail, ?2) > 0) AND (?3 IS NULL OR instr(detail, ?3) > 0) ORDER BY id
                    """, arguments: [since.map { Timestamp.startOfLocalDay($0) }, code, cohortCode]
            ).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
        // A code is a word of its own: T00042 is not T000421, cohort 2014-1 is not 2014-11.
        func names(_ detail: String, _ word: String?) -> Bool {
            guard let word else { return true }
            var rest = detail[...]
            while let r = rest.range(of: word) {
                let before = r.lowerBound == detail.startIndex ? nil : detail[detail.index(before: r.lowerBound)]
                let after = r.upperBound == detail.endIndex ? nil : detail[r.upperBound]
                let edge: (Character?) -> Bool = { c in c.map { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") } ?? true }
                if edge(before) && edge(after) { return true }
                rest = detail[r.upperBound...]
            }
            return false
        }
        return rows.filter { names($0.detail, code) && names($0.detail, cohortCode) }
    }
}
