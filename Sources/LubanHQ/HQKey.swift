import Foundation
import LubanCrypto
import LubanKit

// MARK: - HQ's own keys

/// What only HQ holds, in one file readable by its owner alone (never in the database, so that
/// a dump or a replica of it for the public page does not carry them):
/// - the Ed25519 signing key of HQ's statements (`luban hq key` prints its public half);
/// - the X25519 key the centres seal personal fields to;
/// - the key of the person digests: HMAC-SHA256 of an ID number (or a holder's name) under it.
///   An ID number has few enough possible values to be found from a plain hash by trying them
///   all; without this key, a digest tells nothing.
public struct HQKey: Sendable {
    /// HQ's signing key, made from its seed once.
    public let signing: IssuerKey
    public let seal: SealKey
    let person: [UInt8]

    static let magic = "luban-hq-key 1"

    /// The file's default place: `$LUBAN_HQ_KEY_FILE`, else `~/.luban/hq.key`.
    public static var defaultPath: String {
        if let path = ProcessInfo.processInfo.environment["LUBAN_HQ_KEY_FILE"], !path.isEmpty { return path }
        return NSHomeDirectory() + "/.luban/hq.key"
    }

    /// Makes new keys and writes them to `path`, which must not exist.
    public static func create(at path: String) throws(LubanError) -> HQKey {
        let seed = randomBytes(32)
        let key = HQKey(signing: try IssuerKey(seed: seed), seal: SealKey(), person: randomBytes(32))
        let text =
            [
                magic, "signing " + Data(seed).base64EncodedString(), "seal " + Data(key.seal.rawRepresentation).base64EncodedString(),
                "person " + Data(key.person).base64EncodedString(),
            ].joined(separator: "\n") + "\n"
        let folder = parentFolder(path)
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .refused(zh: "总部密钥文件 \(path) 已存在", en: "HQ's key file \(path) exists already")
        }
        try OutputFile.write(text, to: path)
        return key
    }

    /// Reads the keys from `path`.
    public static func load(at path: String) throws(LubanError) -> HQKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .refused(
                zh: "读不到总部密钥文件 \(path)：在总部运行 luban hq init 创建它，或用 --key-file（LUBAN_HQ_KEY_FILE）指明它在哪里",
                en: "cannot read HQ's key file \(path): luban hq init makes it at HQ; or say where it is with --key-file (LUBAN_HQ_KEY_FILE)")
        }
        let lines = text.split(separator: "\n").map(String.init)
        func value(_ name: String) -> [UInt8]? {
            lines.first { $0.hasPrefix(name + " ") }.flatMap { Data(base64Encoded: String($0.dropFirst(name.count + 1))) }.map { [UInt8]($0) }
        }
        guard lines.first == magic, let seed = value("signing"), let signing = try? IssuerKey(seed: seed),
            let sealRaw = value("seal"), let seal = SealKey(raw: sealRaw), let person = value("person"), person.count == 32
        else {
            throw .refused(zh: "\(path) 不是总部密钥文件", en: "\(path) is not HQ's key file")
        }
        return HQKey(signing: signing, seal: seal, person: person)
    }

    /// The digests under the person key (`PersonDigests`), its HMAC state made once: a bundle
    /// has thousands of them.
    var digests: PersonDigests { PersonDigests(key: person) }
}

/// HMAC-SHA256 digests of persons (ID numbers) and holders' names under HQ's person key, the
/// keyed state made once and copied for each digest.
struct PersonDigests {
    private let keyed: HMACSHA256

    init(key: [UInt8]) { keyed = HMACSHA256(key: key) }

    /// The person of an ID number: the same at every centre, and nothing without this key.
    func person(idNumber: String) -> String {
        digest("id\u{0}", Self.trimmed(idNumber, .whitespaces).uppercased())
    }

    /// The digest of a certificate holder's name, as the public check compares it.
    func holder(name: String) -> String {
        digest("name\u{0}", Self.trimmed(name, .whitespacesAndNewlines).precomposedStringWithCanonicalMapping)
    }

    private func digest(_ label: String, _ text: String) -> String {
        keyed.code(for: Array((label + text).utf8)).prefix(16).hex
    }

    /// `text` without the `set`'s characters at its ends; at once when it starts and ends with a
    /// visible ASCII character (an ID number as typed), which no such set holds.
    private static func trimmed(_ text: String, _ set: @autoclosure () -> CharacterSet) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return text }
        return text.trimmingCharacters(in: set())
    }
}
