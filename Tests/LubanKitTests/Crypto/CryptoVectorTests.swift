import Testing

@testable import LubanCrypto

/// LubanCrypto against the published test vectors of each algorithm: what an older luban
/// signed, digested or sealed (with another implementation of the same standards) reads the same.
@Suite struct CryptoVectorTests {
    func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha256() {
        #expect(hex(SHA256.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256.hash(Array("xabcx".utf8)[1..<4])) == hex(SHA256.hash("abc")))
    }

    /// RFC 4231, test cases 2 and 6 (a key longer than the block is hashed first).
    @Test func hmacSHA256() {
        let jefe = HMACSHA256(key: Array("Jefe".utf8)).code(for: Array("what do ya want for nothing?".utf8))
        #expect(hex(jefe) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let long = HMACSHA256(key: [UInt8](repeating: 0xAA, count: 131))
        #expect(
            hex(long.code(for: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        // The keyed state is a value: codes from one state do not disturb each other.
        #expect(long.code(for: [1, 2, 3]) == long.code(for: [1, 2, 3]))
    }

    /// RFC 5869, test case 1.
    @Test func hkdf() {
        let okm = hkdfSHA256(
            secret: [UInt8](repeating: 0x0B, count: 22), salt: bytes("000102030405060708090a0b0c"), info: bytes("f0f1f2f3f4f5f6f7f8f9"), count: 42)
        #expect(hex(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    /// RFC 8032, section 7.1, tests 1 and 2; a changed message or signature is refused.
    @Test func ed25519() throws {
        let one = try #require(Ed25519PrivateKey(seed: bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")))
        #expect(hex(one.publicKey) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let empty = try #require(one.signature(for: []))
        #expect(
            hex(empty)
                == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(Ed25519.isValid(signature: empty, of: [], publicKey: one.publicKey))
        let two = try #require(Ed25519PrivateKey(seed: bytes("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")))
        let signature = try #require(two.signature(for: [0x72]))
        #expect(
            hex(signature)
                == "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
        #expect(Ed25519.isValid(signature: signature, of: [0x72], publicKey: two.publicKey))
        #expect(!Ed25519.isValid(signature: signature, of: [0x73], publicKey: two.publicKey))
        #expect(!Ed25519.isValid(signature: signature, of: [0x72], publicKey: one.publicKey))
        var changed = signature
        changed[63] ^= 1
        #expect(!Ed25519.isValid(signature: changed, of: [0x72], publicKey: two.publicKey))
        #expect(Ed25519PrivateKey(seed: [1, 2, 3]) == nil)
    }

    /// RFC 7748, section 6.1.
    @Test func x25519() throws {
        let alice = bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
        let bob = bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
        let alicePublic = try #require(X25519.publicKey(of: alice))
        let bobPublic = try #require(X25519.publicKey(of: bob))
        #expect(hex(alicePublic) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(hex(bobPublic) == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        #expect(X25519.sharedSecret(alice, bobPublic).map(hex) == shared)
        #expect(X25519.sharedSecret(bob, alicePublic).map(hex) == shared)
        // A public key of small order (zero) agrees on nothing.
        #expect(X25519.sharedSecret(alice, [UInt8](repeating: 0, count: 32)) == nil)
    }

    /// RFC 8439, section 2.8.2's key, nonce and text, without additional data (as luban seals):
    /// the ciphertext is the RFC's; the tag, with no additional data, is Python's `cryptography`'s.
    @Test func chaCha20Poly1305() throws {
        let key = Array(UInt8(0x80)...UInt8(0x9F))
        let nonce = bytes("070000004041424344454647")
        let text = Array(
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let box = try #require(ChaChaPoly.seal(text, key: key, nonce: nonce))
        #expect(
            hex(box)
                == "070000004041424344454647"
                + "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
                + "6a23a4681fd59456aea1d29f82477216")
        #expect(ChaChaPoly.open(box, key: key) == text)
        var altered = box
        altered[20] ^= 1
        #expect(ChaChaPoly.open(altered, key: key) == nil)
        #expect(ChaChaPoly.open(box, key: Array(key.reversed())) == nil)
        #expect(ChaChaPoly.open(Array(box.prefix(27)), key: key) == nil)
        // Random nonces: the same text sealed twice is two different boxes, each opening.
        let (a, b) = (try #require(ChaChaPoly.seal(text, key: key)), try #require(ChaChaPoly.seal(text, key: key)))
        #expect(a != b && ChaChaPoly.open(a, key: key) == text && ChaChaPoly.open(b, key: key) == text)
        #expect(ChaChaPoly.open(try #require(ChaChaPoly.seal([], key: key)), key: key) == [])
    }
}
