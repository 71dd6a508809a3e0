import Foundation

// MARK: - What `luban certificate verify` does

/// The issuer's public key as pinned outside the database: given by the person verifying
/// (`--public-key`), or read from the key file beside the database. The key the database itself
/// records is only compared with it, never trusted: whoever can edit the database could
/// re-sign every entry with a key of their own.
public struct IssuerKeyPin: Sendable {
    /// The key to verify with (`ed25519:<base64>`), nil when none is at hand.
    public var key: String?
    /// Mismatches between the keys at hand.
    public var problems: [Phrase]

    public static func resolve(databasePath: String?, explicit: String?, registered: String?) throws(LubanError) -> IssuerKeyPin {
        var given: String?
        if let explicit {
            if FileManager.default.fileExists(atPath: explicit), let data = FileManager.default.contents(atPath: explicit) {
                given = String(decoding: data, as: UTF8.self).trimmed
            } else {
                given = explicit.trimmed
            }
            guard let g = given, IssuerKey.publicKeyBytes(g) != nil else {
                throw .invalidValue(
                    what: "public key", text: String(explicit.prefix(60)),
                    expected: Phrase(zh: "签发方的公钥（ed25519:<base64>）或存有公钥的文件", en: "the issuer's public key (ed25519:<base64>) or a file holding it")
                )
            }
        }
        var file: String?
        let keyPath = databasePath.map(IssuerKey.path(forDatabase:))
        if let keyPath, FileManager.default.fileExists(atPath: keyPath) { file = try IssuerKey.load(at: keyPath).publicKey }
        func fp(_ k: String) -> String { IssuerKey.fingerprint(ofPublicKey: k) ?? "?" }
        var problems: [Phrase] = []
        if let given, let file, fp(given) != fp(file) {
            problems.append(
                Phrase(
                    zh: "给出的密钥（\(fp(given))）不是数据库旁密钥文件中的（\(fp(file))，\(keyPath ?? "")）",
                    en: "the key given (\(fp(given))) is not the key file's beside the database (\(fp(file)), \(keyPath ?? ""))"))
        }
        let pinned = given ?? file
        if let pinned, let registered, fp(pinned) != fp(registered) {
            problems.append(
                Phrase(
                    zh: "数据库记录的签发密钥是 \(fp(registered))，而签发方的密钥是 \(fp(pinned))：登记簿的密钥被手工更换过，或属于另一签发方",
                    en:
                        "the database records issuer key \(fp(registered)), but the issuer's key is \(fp(pinned)): the register was re-keyed by hand, or belongs to another issuer"
                ))
        }
        return IssuerKeyPin(
            key: pinned.map { IssuerKey.prefix + (IssuerKey.publicKeyBytes($0).map { Data($0).base64EncodedString() } ?? "") }, problems: problems)
    }
}

/// Decides whether the target is a file or a number, finds the pinned public key and the
/// register if they are at hand, and verifies.
public struct CertificateVerifier: Sendable {
    public var databasePath: String
    public var publicKey: String?

    public init(databasePath: String, publicKey: String?) {
        self.databasePath = databasePath
        self.publicKey = publicKey
    }

    /// What a verification found: the verdict; the words the issuer signed, one line each, as the
    /// page in the asker's hands must read (empty for a text certificate, whose signature covers
    /// the whole page, and for an invalid one); and the holder's name in the register, for a
    /// number (nil when unknown or erased), which a public page compares with the one it is given.
    public struct Report: Sendable, Equatable {
        public var verdict: VerificationVerdict
        public var signed: [String] = []
        public var holder: String?
        /// Whether the target was a bare number (a public page then shows no details without the holder's name).
        public var byNumber = false
        /// For a revoked certificate in the register at hand, the reason the office chose to give the public.
        public var publicReason: PublicRevocationReason?
    }

    /// `target`: a file (text or PDF), a statement (what a QR code holds) or a number. With
    /// `readingFiles` false (text pasted into a web page), it is never taken for a path.
    public func verify(_ target: String, readingFiles: Bool = true) throws(LubanError) -> VerificationVerdict {
        try check(target, readingFiles: readingFiles).verdict
    }

    /// As `verify`, with the signed words and, for a number, the register's holder.
    public func check(_ target: String, readingFiles: Bool = true) throws(LubanError) -> Report {
        let register = FileManager.default.fileExists(atPath: databasePath) ? try LubanDatabase(path: databasePath) : nil
        var report = try checked(target, readingFiles: readingFiles, register: register)
        // A revocation's public reason, from the register already open.
        if case .revoked(let number, _, _) = report.verdict, let register {
            let entry = try register.register(numbers: [number]).first
            report.publicReason = entry?.certificate.publicReason.flatMap(PublicRevocationReason.init(rawValue:))
        }
        return report
    }

    private func checked(_ target: String, readingFiles: Bool, register: LubanDatabase?) throws(LubanError) -> Report {
        let pin = try IssuerKeyPin.resolve(
            databasePath: register == nil ? nil : databasePath, explicit: publicKey,
            registered: try register?.issuerPublicKey())
        var isDir: ObjCBool = false
        let isFile = readingFiles && FileManager.default.fileExists(atPath: target, isDirectory: &isDir) && !isDir.boolValue
        let pasted = !readingFiles && target.trimmingCharacters(in: .whitespacesAndNewlines).contains("\n")
        if isFile || pasted || CertificateStatement.looksLikeOne(target) {
            let bytes: [UInt8]
            if isFile {
                bytes = try InputFile.bytes(target)
            } else {
                bytes = Array(target.utf8)
            }
            guard let key = pin.key else {
                throw .noPublicKey(keyFile: nil)
            }
            let verdict = Self.verify(bytes, publicKey: key, register: register)
            if verdict.isValid, !pin.problems.isEmpty { return Report(verdict: .invalid(.joined(pin.problems))) }
            if case .invalid = verdict { return Report(verdict: verdict) }
            return Report(verdict: verdict, signed: Self.statement(in: bytes).map(CertificateStatement.signedWords) ?? [])
        }
        let number = CertificateNumber.parse(target)
        if readingFiles, case .failure(.form) = number, target.contains("/") || target.contains(".") {
            throw .file(path: target, reason: .noSuchFile)
        }
        guard let register else {
            if case .failure(let p) = number { return Report(verdict: .invalid(p.phrase), byNumber: true) }
            throw .noRegister(target: target, databasePath: databasePath)
        }
        guard let key = pin.key else {
            throw .noPublicKey(keyFile: IssuerKey.path(forDatabase: databasePath))
        }
        if !pin.problems.isEmpty { return Report(verdict: .invalid(.joined(pin.problems)), byNumber: true) }
        let verdict = Verification.verify(number: target, database: register, publicKey: key)
        if case .invalid = verdict { return Report(verdict: verdict, byNumber: true) }
        guard case .success(let n) = number, let entry = try register.register(numbers: [n.description]).first else {
            return Report(verdict: verdict, byNumber: true)
        }
        return Report(
            verdict: verdict, signed: CertificateStatement.signedWords(lines: CertificateStatement.lines(entry)),
            holder: entry.trainee.forgottenOn == nil ? entry.holderName : nil, byNumber: true)
    }

    /// The statement a file's bytes carry: a luban PDF's, or the text itself when it is one.
    static func statement(in bytes: [UInt8]) -> String? {
        if bytes.starts(with: Array("%PDF".utf8)) { return Verification.statement(inPDF: bytes) }
        guard let text = String(validating: bytes, as: UTF8.self), CertificateStatement.looksLikeOne(text) else { return nil }
        return text
    }

    /// A file's (or pasted text's) bytes: a luban PDF by the statement it carries, a statement
    /// (what a QR code holds), or a printed text certificate.
    static func verify(_ bytes: [UInt8], publicKey: String, register: LubanDatabase?) -> VerificationVerdict {
        if bytes.starts(with: Array("%PDF".utf8)) {
            guard let statement = Verification.statement(inPDF: bytes) else {
                return .invalid(
                    Phrase(
                        zh: "这个 PDF 没有 luban 证书声明；它是 luban certificate print --format pdf 打印的吗？",
                        en: "this PDF carries no luban certificate statement; was it printed by luban certificate print --format pdf?"))
            }
            return Verification.verify(statement: statement, publicKey: publicKey, register: register)
        }
        if let text = String(validating: bytes, as: UTF8.self), CertificateStatement.looksLikeOne(text) {
            return Verification.verify(statement: text, publicKey: publicKey, register: register)
        }
        return Verification.verify(file: bytes, publicKey: publicKey, register: register)
    }
}
