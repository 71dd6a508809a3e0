import Foundation

// MARK: - What `luban certificate verify` does

/// Decides whether the target is a file or a number, finds the public key and the register if
/// they are at hand, and verifies.
public struct CertificateVerifier: Sendable {
    public var databasePath: String
    public var publicKey: String?

    public init(databasePath: String, publicKey: String?) {
        self.databasePath = databasePath
        self.publicKey = publicKey
    }

    public func verify(_ target: String) throws(LubanError) -> VerificationVerdict {
        let register = FileManager.default.fileExists(atPath: databasePath) ? try LubanDatabase(path: databasePath) : nil
        let key = try resolvedKey(register)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDir), !isDir.boolValue {
            guard let data = FileManager.default.contents(atPath: target) else { throw .file(path: target, reason: "cannot be read") }
            guard let key else {
                throw .refused("no public key to verify with: give --public-key ed25519:... (the issuer prints it with: luban issuer key)")
            }
            return Verification.verify(file: String(decoding: data, as: UTF8.self), publicKey: key, register: register)
        }
        guard let register else {
            if case .failure(let p) = CertificateNumber.parse(target) { return .invalid(p.reason) }
            throw .refused("\(target) is not a file, and there is no register at \(databasePath) to look a number up in; give --db")
        }
        return Verification.verify(number: target, database: register, publicKey: key)
    }

    /// `--public-key` as given (or read from the file it names), else the register's.
    func resolvedKey(_ register: LubanDatabase?) throws(LubanError) -> String? {
        if let publicKey {
            if FileManager.default.fileExists(atPath: publicKey), let data = FileManager.default.contents(atPath: publicKey) {
                return String(decoding: data, as: UTF8.self).trimmed
            }
            guard IssuerKey.publicKeyBytes(publicKey) != nil else {
                throw .invalidValue(what: "public key", text: publicKey, expected: "the key as `luban issuer key` prints it (ed25519:<base64>) or a file holding it")
            }
            return publicKey
        }
        return try register?.issuerPublicKey()
    }
}
