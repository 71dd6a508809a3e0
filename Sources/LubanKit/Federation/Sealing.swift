import Foundation
import LubanCrypto

// MARK: - Fields sealed to HQ

/// Seals a bundle's personal fields (ID numbers, certificate holders' names) so that only HQ
/// opens them: an ephemeral X25519 key per bundle, agreed with HQ's sealing key, gives a
/// ChaCha20-Poly1305 key (HKDF-SHA256, bound to the centre and the bundle number); each field
/// is sealed with a nonce of its own. HQ keeps none of them in the clear (docs/FEDERATION.md).
public struct FieldSealer {
    /// `x25519:<base64>`: the ephemeral public key, written in the bundle's header.
    public let publicKey: String
    private let key: [UInt8]

    public init(hqSealKey: String, office: String, number: Int) throws(LubanError) {
        guard let hq = SealKey.bytes(hqSealKey) else {
            throw .refused(zh: "总部的加密公钥无效：\(hqSealKey)", en: "HQ's sealing key is not valid: \(hqSealKey)")
        }
        let ephemeral = randomBytes(32)
        guard let shared = X25519.sharedSecret(ephemeral, hq), let ephemeralPublic = X25519.publicKey(of: ephemeral) else {
            throw .refused(zh: "无法与总部的加密公钥协商密钥", en: "no key agreement with HQ's sealing key")
        }
        publicKey = SealKey.prefix + Data(ephemeralPublic).base64EncodedString()
        key = SealKey.fieldKey(shared, office: office, number: number)
    }

    /// The field sealed, base64.
    public func seal(_ text: String) -> String {
        // A 32-byte key and a fresh random nonce: sealing cannot fail.
        Data(ChaChaPoly.seal(Array(text.utf8), key: key) ?? []).base64EncodedString()
    }
}

/// HQ's sealing key: the private half HQ holds, the public half in the statement every centre
/// keeps.
public struct SealKey: Sendable {
    static let prefix = "x25519:"
    let raw: [UInt8]

    public init() { raw = randomBytes(32) }

    /// The key of 32 bytes (any 32 bytes are an X25519 key); nil for another length.
    public init?(raw: [UInt8]) {
        guard raw.count == 32 else { return nil }
        self.raw = raw
    }

    public var rawRepresentation: [UInt8] { raw }

    /// `x25519:<base64>`.
    public var publicKey: String { Self.prefix + Data(X25519.publicKey(of: raw) ?? []).base64EncodedString() }

    static func bytes(_ text: String) -> [UInt8]? {
        guard text.hasPrefix(prefix), let raw = Data(base64Encoded: String(text.dropFirst(prefix.count))), raw.count == 32 else { return nil }
        return [UInt8](raw)
    }

    /// The ChaCha20-Poly1305 key of one bundle's fields: HKDF-SHA256 of the agreed secret, bound
    /// to the centre and the bundle's number.
    static func fieldKey(_ shared: [UInt8], office: String, number: Int) -> [UInt8] {
        hkdfSHA256(secret: shared, salt: Array("luban-bundle".utf8), info: Array("\(office) \(number)".utf8), count: 32)
    }

    /// An opener for the fields of bundle `number` of `office`, sealed with the ephemeral key
    /// `bundleSeal`; nil when that key is not a key.
    public func opener(bundleSeal: String, office: String, number: Int) -> FieldOpener? {
        guard let theirs = Self.bytes(bundleSeal), let shared = X25519.sharedSecret(raw, theirs) else { return nil }
        return FieldOpener(key: Self.fieldKey(shared, office: office, number: number))
    }
}

/// Opens the sealed fields of one bundle.
public struct FieldOpener {
    let key: [UInt8]

    /// The field, or nil when it was not sealed for this HQ (or was altered).
    public func open(_ sealed: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let plain = ChaChaPoly.open([UInt8](data), key: key) else { return nil }
        return String(validating: plain, as: UTF8.self)
    }
}
