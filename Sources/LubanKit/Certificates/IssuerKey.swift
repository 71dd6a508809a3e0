import Foundation
import LubanCrypto

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - The issuer's signing key

/// The association's Ed25519 key. The private half lives in a file beside the database,
/// readable by its owner only; the public half is printed for employers (`luban issuer key`)
/// as `ed25519:` followed by base64.
public struct IssuerKey: Sendable {
    /// The key, made from its 32 bytes once: making it derives the public half (a scalar
    /// multiplication), which signing every certificate again would repeat.
    let privateKey: Ed25519PrivateKey
    /// The 32 private key bytes.
    var raw: [UInt8] { privateKey.seed }

    init(privateKey: Ed25519PrivateKey) { self.privateKey = privateKey }

    /// A key from 32 seed bytes (the demo's fixed key, tests).
    public init(seed: [UInt8]) throws(LubanError) {
        guard let key = Ed25519PrivateKey(seed: seed) else {
            throw .issuerKey(path: "(seed)", reason: Phrase(zh: "密钥种子须是 32 字节", en: "a key seed is 32 bytes"))
        }
        privateKey = key
    }

    /// The public key as employers receive it: `ed25519:<base64>`.
    public var publicKey: String { Self.prefix + Data(privateKey.publicKey).base64EncodedString() }

    /// The first 16 hex digits of the SHA-256 of the public key: short enough to read aloud.
    public var fingerprint: String { Self.fingerprint(of: privateKey.publicKey) }

    static func fingerprint(of raw: [UInt8]) -> String {
        SHA256.hash(raw).prefix(8).hex
    }

    static let prefix = "ed25519:"

    /// The base64 Ed25519 signature of `text` (UTF-8).
    public func sign(_ text: String) throws(LubanError) -> String { try sign(Array(text.utf8)) }

    /// The base64 Ed25519 signature of `bytes`.
    public func sign(_ bytes: [UInt8]) throws(LubanError) -> String {
        guard let signature = privateKey.signature(for: bytes) else {
            throw .issuerKey(path: "(key)", reason: Phrase(zh: "签名失败", en: "signing failed"))
        }
        return Data(signature).base64EncodedString()
    }

    /// The salt of a certificate's holder digest: derived from the private key and the number,
    /// so it cannot be guessed from outside, and the same records always give the same register.
    public func holderSalt(for number: String) -> String {
        HMACSHA256(key: raw).code(for: Array(number.utf8)).prefix(16).hex
    }

    /// The key file that belongs to the database at `databasePath`.
    public static func path(forDatabase databasePath: String) -> String { databasePath + ".issuer-key" }

    /// Creates a new random key at `path`, owner-only. Refuses to replace an existing key,
    /// since certificates already signed with it would no longer verify.
    public static func create(at path: String, seed: [UInt8]? = nil) throws(LubanError) -> IssuerKey {
        let key = try seed.map { s throws(LubanError) in try IssuerKey(seed: s) } ?? IssuerKey(privateKey: Ed25519PrivateKey())
        try key.save(at: path, ifThere: Phrase(zh: "已存在；予以保留", en: "already exists; it is kept"))
        return key
    }

    /// Writes the key to a new file at `path`, owner-only; refused, saying `ifThere`, when a
    /// file is there already (a key is never replaced).
    private func save(at path: String, ifThere: Phrase) throws(LubanError) {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .issuerKey(path: path, reason: errno == EEXIST ? ifThere : Phrase(verbatim: String(cString: strerror(errno))))
        }
        let text = Data(raw).base64EncodedString() + "\n"
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        guard written == text.utf8.count else {
            unlink(path)
            throw .issuerKey(path: path, reason: Phrase(zh: "无法写入", en: "could not be written"))
        }
    }

    /// The key at `path`, created first if there is none; says whether it was created. With
    /// `registered` (the public key a database records), a missing key is never created: the
    /// register's certificates were signed by that key, and a new one beside them would sign a
    /// second register no employer's copy of the old key verifies.
    public static func loadOrCreate(at path: String, seed: [UInt8]? = nil, registered: String? = nil) throws(LubanError) -> (
        IssuerKey, created: Bool
    ) {
        if FileManager.default.fileExists(atPath: path) { return (try load(at: path), false) }
        if let registered { throw .issuerKey(path: path, reason: .keyMissing(registered)) }
        return (try create(at: path, seed: seed), true)
    }

    /// Copies the key at `from` to `to` (owner-only, never over an existing file), after checking
    /// that it is the key `expected` (a public key) when one is given.
    public static func copy(from: String, to: String, expected: String? = nil) throws(LubanError) -> IssuerKey {
        let key = try load(at: from)
        if let expected, expected != key.publicKey {
            throw .issuerKey(path: from, reason: .notTheKey(expected, restore: true))
        }
        try key.save(at: to, ifThere: Phrase(zh: "已存在；未覆盖", en: "already exists; it was not replaced"))
        return key
    }

    /// Loads the key at `path`.
    public static func load(at path: String) throws(LubanError) -> IssuerKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .noIssuerKey(path: path)
        }
        let text = String(decoding: data, as: UTF8.self).trimmed
        guard let raw = Data(base64Encoded: text), raw.count == 32 else {
            throw .issuerKey(path: path, reason: Phrase(zh: "不是 luban 签发密钥（32 字节，base64）", en: "is not a luban issuer key (32 bytes, base64)"))
        }
        return try IssuerKey(seed: Array(raw))
    }

    /// Checks a base64 signature of `text` (UTF-8) against a public key (`ed25519:<base64>`).
    public static func verify(signature: String, of text: String, publicKey: String) -> Bool {
        verify(signature: signature, of: Array(text.utf8), publicKey: publicKey)
    }

    /// Checks a base64 signature of `bytes` against a public key (`ed25519:<base64>`).
    public static func verify(signature: String, of bytes: some ContiguousBytes, publicKey: String) -> Bool {
        guard let raw = publicKeyBytes(publicKey),
            let sig = Data(base64Encoded: signature), sig.count == 64,
            // Canonical base64 only: the one spelling of these 64 bytes (the unused low bits of
            // the last character zero), so that changing any character of a signature breaks it.
            sig.base64EncodedString() == signature
        else { return false }
        return bytes.withUnsafeBytes { Ed25519.isValid(signature: [UInt8](sig), of: $0, publicKey: raw) }
    }

    /// The fingerprint of a public key given as `ed25519:<base64>`, or nil.
    public static func fingerprint(ofPublicKey text: String) -> String? {
        publicKeyBytes(text).map(fingerprint(of:))
    }

    /// The 32 key bytes of `ed25519:<base64>` (the prefix may be left out), or nil.
    public static func publicKeyBytes(_ text: String) -> [UInt8]? {
        var t = text.trimmed
        if t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
        guard let raw = Data(base64Encoded: t), raw.count == 32 else { return nil }
        return [UInt8](raw)
    }
}
