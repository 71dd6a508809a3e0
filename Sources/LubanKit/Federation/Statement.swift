import Foundation

// MARK: - HQ's statement: this centre, this key

/// What HQ gives a centre it registers, signed with HQ's own Ed25519 key: the centre's code
/// and name, the issuer key HQ accepts its bundles under, and HQ's sealing key. The centre
/// keeps it (`luban office join`); anyone with HQ's public key can check it.
///
///     luban-hq-statement 1
///     office CD
///     name 承德培训中心
///     office-key ed25519:…
///     hq-key ed25519:…
///     seal-key x25519:…
///     issued 2026-12-07
///     signature …
public struct HQStatement: Sendable, Equatable {
    public var office: String
    public var name: String
    public var officeKey: String
    public var hqKey: String
    public var sealKey: String
    public var issued: String

    public init(office: String, name: String, officeKey: String, hqKey: String, sealKey: String, issued: String) {
        self.office = office
        self.name = name
        self.officeKey = officeKey
        self.hqKey = hqKey
        self.sealKey = sealKey
        self.issued = issued
    }

    static let magic = "luban-hq-statement 1"

    private var body: String {
        [
            Self.magic, "office \(office)", "name \(Visible.text(name))", "office-key \(officeKey)", "hq-key \(hqKey)", "seal-key \(sealKey)",
            "issued \(issued)",
        ].joined(separator: "\n") + "\n"
    }

    /// The statement's text, signed by HQ's key.
    public func text(signedBy hq: IssuerKey) throws(LubanError) -> String {
        body + "signature \(try hq.sign(body))\n"
    }

    /// Reads a statement and checks it was signed by `hqKey` (as given to the centre by hand).
    public static func read(_ text: String, hqKey: String) throws(LubanError) -> HQStatement {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func value(_ name: String) -> String? {
            lines.first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
        }
        guard lines.first == magic, let office = value("office"), let name = value("name"), let officeKey = value("office-key"),
            let key = value("hq-key"), let seal = value("seal-key"), let issued = value("issued"), let signature = value("signature")
        else {
            throw .refused(zh: "这不是总部的登记声明（luban hq office add 所打印的）", en: "this is not HQ's statement (the one luban hq office add prints)")
        }
        let statement = HQStatement(office: office, name: name, officeKey: officeKey, hqKey: key, sealKey: seal, issued: issued)
        guard key == hqKey, IssuerKey.verify(signature: signature, of: statement.body, publicKey: hqKey) else {
            throw .refused(
                zh: "登记声明不是由总部密钥 \(hqKey) 签发的：请向总部核对其公钥（luban hq key）",
                en: "the statement is not signed by HQ's key \(hqKey): check HQ's public key with HQ (luban hq key)")
        }
        return statement
    }
}
