import COpenSSL

// MARK: - The primitives luban signs, digests and seals with

// Each is the standard algorithm (FIPS 180-4, RFC 2104, RFC 5869, RFC 8032, RFC 7748,
// RFC 8439) from OpenSSL's libcrypto, so that what an older luban signed or sealed reads the
// same. The tests hold each to the published test vectors.

/// SHA-256.
public enum SHA256 {
    /// The digest of `bytes`: 32 bytes.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            _ = LubanCrypto.bytes(of: bytes) { COpenSSL.SHA256($0, $1, out.baseAddress) }
            count = 32
        }
    }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBytes { hash($0) } }
    public static func hash(_ bytes: ArraySlice<UInt8>) -> [UInt8] { bytes.withUnsafeBytes { hash($0) } }
    /// The digest of `text`'s UTF-8.
    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }
}

/// HMAC-SHA256 under one key, taken in once: each code starts from a copy of the keyed state
/// (a value: no allocation), so thousands of codes under one key cost the hashing alone.
public struct HMACSHA256: @unchecked Sendable {
    // `@unchecked`: SHA256_CTX is a plain C struct of integers, copied as a value.
    private var inner = SHA256_CTX()
    private var outer = SHA256_CTX()

    public init(key: UnsafeRawBufferPointer) {
        var block = [UInt8](repeating: 0, count: 64)
        if key.count > 64 {
            block.replaceSubrange(0..<32, with: SHA256.hash(key))
        } else {
            block.replaceSubrange(0..<key.count, with: key)
        }
        let ipad = block.map { $0 ^ 0x36 }
        let opad = block.map { $0 ^ 0x5C }
        SHA256_Init(&inner)
        SHA256_Update(&inner, ipad, 64)
        SHA256_Init(&outer)
        SHA256_Update(&outer, opad, 64)
    }

    public init(key: [UInt8]) { self = key.withUnsafeBytes { Self(key: $0) } }

    /// The code of `message`, written to the first 32 bytes of `out`.
    public func authenticate(_ message: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= 32, "an HMAC-SHA256 code is 32 bytes")
        let digest = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var state = inner
        SHA256_Update(&state, message.baseAddress, message.count)
        SHA256_Final(digest, &state)
        state = outer
        SHA256_Update(&state, digest, 32)
        SHA256_Final(digest, &state)
    }

    /// The code of `message`: 32 bytes.
    public func code(for message: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            authenticate(message, into: UnsafeMutableRawBufferPointer(out))
            count = 32
        }
    }

    public func code(for message: [UInt8]) -> [UInt8] { message.withUnsafeBytes { code(for: $0) } }
}

/// HKDF with SHA-256 (RFC 5869): `count` bytes (at most 32 × 255) from `secret`.
public func hkdfSHA256(secret: [UInt8], salt: [UInt8], info: [UInt8], count: Int) -> [UInt8] {
    precondition(count <= 32 * 255, "HKDF-SHA256 gives at most 8,160 bytes")
    let pseudorandom = HMACSHA256(key: salt).code(for: secret)
    let expand = HMACSHA256(key: pseudorandom)
    var out: [UInt8] = []
    var block: [UInt8] = []
    var counter: UInt8 = 1
    while out.count < count {
        block = expand.code(for: block + info + [counter])
        out += block
        counter &+= 1
    }
    return Array(out.prefix(count))
}

/// `body` given the address and length of `buffer`: an address even when it is empty (an empty
/// buffer may have none, which OpenSSL may take for an error).
func bytes<R>(of buffer: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
    guard let base = buffer.baseAddress else {
        var none: UInt8 = 0
        return body(&none, 0)
    }
    return body(base.assumingMemoryBound(to: UInt8.self), buffer.count)
}

/// `count` bytes from OpenSSL's random generator (seeded from the operating system's, and
/// without a system call each time: a bundle takes a nonce for each sealed field).
public func randomBytes(_ count: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { out, made in
        precondition(count == 0 || RAND_bytes(out.baseAddress, Int32(count)) == 1, "OpenSSL's random generator failed")
        made = count
    }
}

// MARK: - Ed25519

/// An Ed25519 private key, made from its 32-byte seed once (making it derives the public half,
/// which signing then does not repeat).
public final class Ed25519PrivateKey: @unchecked Sendable {
    // `@unchecked`: OpenSSL's keys are reference-counted and read-only once made; each signature
    // uses a context of its own, so one key signs on several threads at once.
    private let key: OpaquePointer
    /// The public half: 32 bytes.
    public let publicKey: [UInt8]
    /// The seed the key was made from: 32 bytes.
    public let seed: [UInt8]

    /// The key of a 32-byte seed; nil for any other length.
    public init?(seed: [UInt8]) {
        guard seed.count == 32, let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, 32) else { return nil }
        var length = 32
        var publicKey = [UInt8](repeating: 0, count: 32)
        guard EVP_PKEY_get_raw_public_key(key, &publicKey, &length) == 1, length == 32 else {
            EVP_PKEY_free(key)
            return nil
        }
        self.key = key
        self.publicKey = publicKey
        self.seed = seed
    }

    /// A new random key.
    public convenience init() {
        // Any 32 bytes are a seed.
        self.init(seed: randomBytes(32))!
    }

    deinit { EVP_PKEY_free(key) }

    /// The signature of `message`: 64 bytes.
    public func signature(for message: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else { return nil }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard bytes(of: message, { EVP_DigestSign(context, &signature, &length, $0, $1) }) == 1, length == 64 else { return nil }
        return signature
    }

    public func signature(for message: [UInt8]) -> [UInt8]? { message.withUnsafeBytes { signature(for: $0) } }
}

/// Ed25519 verification.
public enum Ed25519 {
    /// Whether `signature` (64 bytes) is `publicKey`'s (32 bytes) over `message`.
    public static func isValid(signature: [UInt8], of message: UnsafeRawBufferPointer, publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, publicKey.count == 32,
            let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, publicKey, 32)
        else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        return bytes(of: message) { EVP_DigestVerify(context, signature, 64, $0, $1) } == 1
    }

    public static func isValid(signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        message.withUnsafeBytes { isValid(signature: signature, of: $0, publicKey: publicKey) }
    }
}

// MARK: - X25519

/// X25519 key agreement (RFC 7748) on raw 32-byte keys.
public enum X25519 {
    /// The public key of a private key (any 32 bytes are one); nil for another length.
    public static func publicKey(of privateKey: [UInt8]) -> [UInt8]? {
        guard privateKey.count == 32, let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, privateKey, 32) else { return nil }
        defer { EVP_PKEY_free(key) }
        var length = 32
        var publicKey = [UInt8](repeating: 0, count: 32)
        guard EVP_PKEY_get_raw_public_key(key, &publicKey, &length) == 1, length == 32 else { return nil }
        return publicKey
    }

    /// The secret `privateKey` shares with the holder of `publicKey`; nil when a key is not 32
    /// bytes or the secret is all zeros (a public key of small order).
    public static func sharedSecret(_ privateKey: [UInt8], _ publicKey: [UInt8]) -> [UInt8]? {
        guard privateKey.count == 32, publicKey.count == 32,
            let mine = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, privateKey, 32)
        else { return nil }
        defer { EVP_PKEY_free(mine) }
        guard let theirs = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, publicKey, 32) else { return nil }
        defer { EVP_PKEY_free(theirs) }
        guard let context = EVP_PKEY_CTX_new(mine, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var secret = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, theirs) == 1,
            EVP_PKEY_derive(context, &secret, &length) == 1, length == 32, secret.contains(where: { $0 != 0 })
        else { return nil }
        return secret
    }
}

// MARK: - ChaCha20-Poly1305

/// ChaCha20-Poly1305 (RFC 8439) under a 32-byte key, no additional data. A sealed box is
/// `nonce (12) ‖ ciphertext ‖ tag (16)`.
public enum ChaChaPoly {
    /// `plaintext` sealed under `key` with a fresh random nonce; nil when the key is not 32 bytes.
    public static func seal(_ plaintext: [UInt8], key: [UInt8]) -> [UInt8]? {
        seal(plaintext, key: key, nonce: randomBytes(12))
    }

    /// Sealed with a given nonce (the test vectors'); a nonce is never used twice under one key.
    static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]) -> [UInt8]? {
        guard key.count == 32, nonce.count == 12, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        var final: Int32 = 0
        // A stream cipher: the final step writes nothing, only makes the tag.
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_EncryptInit_ex(context, EVP_chacha20_poly1305(), nil, key, nonce) == 1,
            plaintext.isEmpty || EVP_EncryptUpdate(context, &ciphertext, &length, plaintext, Int32(plaintext.count)) == 1,
            EVP_EncryptFinal_ex(context, &scratch, &final) == 1,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, 16, &tag) == 1
        else { return nil }
        return nonce + ciphertext + tag
    }

    /// The plaintext of a sealed box; nil when it was not sealed under `key` or was altered.
    public static func open(_ box: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard key.count == 32, box.count >= 28, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        let nonce = Array(box[0..<12])
        let ciphertext = Array(box[12..<(box.count - 16)])
        var tag = Array(box[(box.count - 16)...])
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        var length: Int32 = 0
        var final: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptInit_ex(context, EVP_chacha20_poly1305(), nil, key, nonce) == 1,
            ciphertext.isEmpty || EVP_DecryptUpdate(context, &plaintext, &length, ciphertext, Int32(ciphertext.count)) == 1,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, 16, &tag) == 1,
            EVP_DecryptFinal_ex(context, &scratch, &final) == 1
        else { return nil }
        return plaintext
    }
}
