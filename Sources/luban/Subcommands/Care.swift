import ArgumentParser
import Foundation
import LubanKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the database, every issued certificate and the attendance ledger; exit 1 on any problem.",
        discussion: """
            For a nightly job. Example: luban check || mail -s 'luban check failed' office@example.org
            During the day: luban check --quick
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The issuer's public key (ed25519:...) to check the register against, besides the key file beside the database.") var publicKey:
        String?
    @Flag(
        help:
            "A faster check for every few minutes: SQLite's quick_check, every certificate and the ledger's numbering; it says what it skips (the index, foreign-key and stray-mark scans, the full recomputation of the totals)."
    ) var quick = false

    func run() throws {
        let (problems, checked) = try database.open().check(publicKey: publicKey, quick: quick)
        for line in checked { emit(line.text()) }
        guard problems.isEmpty else {
            // PROBLEM leads in both languages: a nightly job greps for it.
            for p in problems { emit(say(zh: "PROBLEM 问题：", en: "PROBLEM: ") + p.text()) }
            throw LubanError.refused(
                zh: "\(database.resolvedPath) 中发现 \(problems.count) 处问题", en: "\(problems.count) problems found in \(database.resolvedPath)")
        }
        emit(say(zh: "ok 正常", en: "ok"))
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database consistently into a new file, while others may go on writing.",
        discussion: """
            Uses SQLite's online backup. The issuer key (<db>.issuer-key) is not in the database: --with-key copies it \
            beside the backup (<file>.issuer-key, owner-only), which restore then puts back. Without the key, a restored \
            register's certificates can be verified but no longer printed, revoked or added to.
            Example: luban backup /mnt/usb/luban-2016-04-23.sqlite --with-key
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The new file.") var file: String
    @Flag(help: "Copy the issuer key beside the backup too (<file>.issuer-key); keep that file as safe as the key itself.") var withKey = false

    func run() throws {
        let db = try database.open()
        let keyFile = IssuerKey.path(forDatabase: database.resolvedPath)
        // The key first: a backup said to hold it never lacks it (no key to copy, or a key file
        // already where the copy goes: refused before anything is written).
        if withKey {
            _ = try IssuerKey.load(at: keyFile)
            if FileManager.default.fileExists(atPath: IssuerKey.path(forDatabase: file)) {
                throw LubanError.issuerKey(
                    path: IssuerKey.path(forDatabase: file), reason: Phrase(zh: "已存在；请换一个备份文件名", en: "already exists; choose another backup name"))
            }
        }
        try db.backup(to: file)
        emit(say(zh: "已把 \(database.resolvedPath) 备份到 \(file)", en: "backed up \(database.resolvedPath) to \(file)"))
        if withKey {
            let key = try IssuerKey.copy(from: keyFile, to: IssuerKey.path(forDatabase: file))
            emit(
                say(
                    zh: "签发密钥（指纹 \(key.fingerprint)）已复制到 \(IssuerKey.path(forDatabase: file))；它能签发证书，请同样妥善保管",
                    en:
                        "the issuer key (fingerprint \(key.fingerprint)) is copied to \(IssuerKey.path(forDatabase: file)); it can sign certificates: keep it as safe"
                ))
        } else if try db.issuerPublicKey() != nil {
            note(
                say(
                    zh: "签发密钥不在备份中：换电脑时需要它（luban backup --with-key 会一并复制）",
                    en: "the issuer key is not in the backup: a new machine needs it (luban backup --with-key copies it too)"))
        }
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a backup, keeping the one it replaces as <db>.before-restore.",
        discussion: """
            The backup must be intact, hold exactly the tables luban makes, and be signed by this office's issuer key \
            (--other-issuer to take another's); a backup holding office accounts for the web server is restored only \
            with --with-accounts. It is built in a new file and swapped in only when complete; people erased since the \
            backup was taken are erased again, and every roll-call link is closed. Stop other luban processes on the database first.
            Example: luban restore /mnt/usb/luban-2016-04-23.sqlite
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The backup file.") var file: String
    @Flag(help: "Restore a backup whose certificates were signed by another issuer key.") var otherIssuer = false
    @Flag(help: "Restore the backup's office accounts for the web server too (refused otherwise).") var withAccounts = false

    func run() throws {
        let r = try LubanDatabase.restore(backup: file, into: database.resolvedPath, otherIssuer: otherIssuer, withAccounts: withAccounts)
        emit(say(zh: "已从 \(file) 恢复 \(database.resolvedPath)", en: "restored \(database.resolvedPath) from \(file)"))
        if let kept = r.keptAs { emit(say(zh: "被替换的数据库保留为 \(kept)", en: "the database it replaced is kept as \(kept)")) }
        // The issuer key: put back from beside the backup when this machine has none.
        let keyFile = IssuerKey.path(forDatabase: database.resolvedPath)
        if r.otherIssuerKey == nil, !FileManager.default.fileExists(atPath: keyFile),
            let registered = try database.open().issuerPublicKey()
        {
            let beside = IssuerKey.path(forDatabase: file)
            if FileManager.default.fileExists(atPath: beside) {
                let key = try IssuerKey.copy(from: beside, to: keyFile, expected: registered)
                emit(
                    say(
                        zh: "签发密钥（指纹 \(key.fingerprint)）已从 \(beside) 放回",
                        en: "the issuer key (fingerprint \(key.fingerprint)) was put back from \(beside)"))
            } else {
                note(say(zh: "注意：\(keyFile) ", en: "note: \(keyFile) ") + Phrase.keyMissing(registered).text())
            }
        }
        if let other = r.otherIssuerKey {
            emit(
                say(
                    zh: "其证书由密钥 \(other) 签名：要打印或验证这些证书，请把该密钥文件放到 \(IssuerKey.path(forDatabase: database.resolvedPath))",
                    en:
                        "its certificates were signed by key \(other): put that key file at \(IssuerKey.path(forDatabase: database.resolvedPath)) to print or verify them"
                ))
        }
        if r.erasuresReapplied > 0 {
            emit(
                say(
                    zh: "备份之后被删除信息的 \(r.erasuresReapplied) 人已再次删除",
                    en: "\(r.erasuresReapplied) people erased since the backup was taken were erased again"))
        }
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List every change: when (in the local time zone, TZ), who (the account), what.",
        discussion: """
            Examples: luban log --since 2016-04-01 --format csv
                      luban log --trainee T00042
                      TZ=Asia/Shanghai luban log --cohort 2014-1
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only changes on or after this day (in the office's time zone), YYYY-MM-DD.") var since: CalendarDate?
    @Option(help: "Only changes that name this trainee (code or ID number).") var trainee: String?
    @Option(help: "Only changes that name this cohort.") var cohort: String?

    func run() throws {
        try output.print(Views.changes(try database.open().changes(since: since, trainee: trainee, cohort: cohort)))
    }
}
