import Crypto
import Foundation

// MARK: - Fields sealed to HQ

/// Seals a bundle's personal fields (ID numbers, certificate holders' names) so that only HQ
/// opens them: an ephemeral X25519 key per bundle, agreed with HQ's sealing key, gives a
/// ChaCha20-Poly1305 key (HKDF-SHA256, bound to the centre and the bundle number); each field
/// is sealed with a nonce of its own. HQ keeps none of them in the clear (docs/FEDERATION.md).
public struct FieldSealer {
    /// `x25519:<base64>`: the ephemeral public key, written in the bundle's header.
    public let publicKey: String
    private let key: SymmetricKey

    public init(hqSealKey: String, office: String, number: Int) throws(LubanError) {
        guard let raw = SealKey.bytes(hqSealKey), let hq = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw) else {
            throw .refused(zh: "总部的加密公钥无效：\(hqSealKey)", en: "HQ's sealing key is not valid: \(hqSealKey)")
        }
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        guard let shared = try? ephemeral.sharedSecretFromKeyAgreement(with: hq) else {
            throw .refused(zh: "无法与总部的加密公钥协商密钥", en: "no key agreement with HQ's sealing key")
        }
        publicKey = SealKey.prefix + ephemeral.publicKey.rawRepresentation.base64EncodedString()
        key = SealKey.fieldKey(shared, office: office, number: number)
    }

    /// The field sealed, base64.
    public func seal(_ text: String) -> String {
        // ChaChaPoly with a fresh random nonce cannot fail on a valid key.
        ((try? ChaChaPoly.seal(Data(text.utf8), using: key))?.combined ?? Data()).base64EncodedString()
    }
}

/// HQ's sealing key: the private half HQ holds, the public half in the statement every centre
/// keeps.
public struct SealKey: Sendable {
    static let prefix = "x25519:"
    let raw: Data

    public init() { raw = Curve25519.KeyAgreement.PrivateKey().rawRepresentation }

    public init?(raw: Data) {
        guard (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)) != nil else { return nil }
        self.raw = raw
    }

    public var rawRepresentation: Data { raw }

    private var privateKey: Curve25519.KeyAgreement.PrivateKey {
        (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)) ?? Curve25519.KeyAgreement.PrivateKey()
    }

    /// `x25519:<base64>`.
    public var publicKey: String { Self.prefix + privateKey.publicKey.rawRepresentation.base64EncodedString() }

    static func bytes(_ text: String) -> Data? {
        guard text.hasPrefix(prefix), let raw = Data(base64Encoded: String(text.dropFirst(prefix.count))), raw.count == 32 else { return nil }
        return raw
    }

    static func fieldKey(_ shared: SharedSecret, office: String, number: Int) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Data("luban-bundle".utf8), sharedInfo: Data("\(office) \(number)".utf8), outputByteCount: 32)
    }

    /// An opener for the fields of bundle `number` of `office`, sealed with the ephemeral key
    /// `bundleSeal`; nil when that key is not a key.
    public func opener(bundleSeal: String, office: String, number: Int) -> FieldOpener? {
        guard let raw = Self.bytes(bundleSeal), let theirs = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw),
            let shared = try? privateKey.sharedSecretFromKeyAgreement(with: theirs)
        else { return nil }
        return FieldOpener(key: Self.fieldKey(shared, office: office, number: number))
    }
}

/// Opens the sealed fields of one bundle.
public struct FieldOpener {
    let key: SymmetricKey

    /// The field, or nil when it was not sealed for this HQ (or was altered).
    public func open(_ sealed: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? ChaChaPoly.SealedBox(combined: data),
            let plain = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return String(validating: plain, as: UTF8.self)
    }
}
