import Foundation
import LubanCrypto

// MARK: - A centre's bundle: what it recorded since its last one, signed

/// One file a centre publishes for the union's headquarters (docs/FEDERATION.md): a header, the
/// records, and the centre's Ed25519 signature of everything before it (since version 2, of
/// its SHA-256: `signedMessage`).
///
///     luban-bundle 2
///     office CD
///     number 3
///     previous 9f2c…            (SHA-256 of bundle 2's file; `-` for the first)
///     made 2026-12-07T09:00:00Z
///     seal x25519:…             (the ephemeral key the sealed fields are sealed with)
///     records 1234
///     cohort<TAB>7<TAB>2026-1<TAB>2026-03-02<TAB>2026-03-20
///     …
///     signature ed25519:…
///
/// A record is a kind and its fields, tab-separated, each field escaped (`\\`, `\t`, `\n`, `\r`);
/// a kind written `-kind` removes the record with that key. The kinds and their fields are
/// `BundleRecord.Kind`'s.
public struct FederationBundle: Sendable {
    /// The format this luban writes, and the ones HQ reads (this one and the one before).
    /// Version 2 signs the SHA-256 of the header and records, not the bytes themselves;
    /// nothing else changed.
    public static let version = 2
    public static let readableVersions = [1, 2]
    static let magic = "luban-bundle"

    public var office: String
    public var number: Int
    /// The SHA-256 (hex) of the previous bundle's file; nil for the first.
    public var previous: String?
    public var made: String
    /// The ephemeral X25519 public key of the sealed fields, `x25519:<base64>`.
    public var seal: String
    /// The records' lines, as they stand in the file (read one at a time: `forEachRecord`), and
    /// how many there are. A bundle of 250,000 marks is a few MiB of lines; a record each would
    /// be ten times that.
    public var lines: ArraySlice<UInt8>
    public var count: Int
    /// The format version the file names (`version` for a bundle made here).
    public var formatVersion: Int

    public init(
        office: String, number: Int, previous: String?, made: String, seal: String, lines: ArraySlice<UInt8>, count: Int,
        formatVersion: Int = Self.version
    ) {
        self.formatVersion = formatVersion
        self.office = office
        self.number = number
        self.previous = previous
        self.made = made
        self.seal = seal
        self.lines = lines
        self.count = count
    }

    /// Calls `mark` with each mark and `other` with each other record, in the bundle's order, up
    /// to a line that is not a record: then it returns that line's fault (the signature holds,
    /// but luban cannot read it). Marks, most of a bundle, are read as numbers, with no text made.
    @discardableResult
    public func forEachRecord<E: Error>(
        mark: (BundleMark) throws(E) -> Void, other: (BundleRecord) throws(E) -> Void
    ) throws(E) -> BundleFault? {
        var start = lines.startIndex
        var number = 8
        while start < lines.endIndex {
            let end = lines[start...].firstIndex(of: 10) ?? lines.endIndex
            let line = lines[start..<end]
            if let parsed = BundleMark(line) {
                try mark(parsed)
            } else if !BundleMark.begins(line), let record = BundleRecord(line) {
                try other(record)
            } else {
                return .form(zh: "第 \(number) 行不是 luban 认得的记录", en: "line \(number) is not a record luban knows")
            }
            start = end + 1
            number += 1
        }
        return nil
    }

    /// Calls `body` with each mark, in the bundle's order; other records, and lines that are
    /// not records, are passed over (`forEachRecord` reads them).
    public func forEachMark<E: Error>(_ body: (BundleMark) throws(E) -> Void) throws(E) {
        var start = lines.startIndex
        while start < lines.endIndex {
            let end = lines[start...].firstIndex(of: 10) ?? lines.endIndex
            if let mark = BundleMark(lines[start..<end]) { try body(mark) }
            start = end + 1
        }
    }

    /// The file: header, records and the signature by `key`.
    public func file(signedBy key: IssuerKey) throws(LubanError) -> [UInt8] {
        var out = Self.header(version: formatVersion, office: office, number: number, previous: previous, made: made, seal: seal, count: count)
        out.reserveCapacity(out.count + lines.count + 100)
        out += lines
        try Self.sign(&out, version: formatVersion, by: key)
        return out
    }

    /// The file made in the records' own buffer, `lines` (taken, left empty: a bundle's records
    /// are most of its size, and are not copied): the header put before them, the signature
    /// after.
    public static func file(
        office: String, number: Int, previous: String?, made: String, seal: String, lines: inout [UInt8], count: Int, signedBy key: IssuerKey
    ) throws(LubanError) -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &lines)
        out.insert(
            contentsOf: header(version: version, office: office, number: number, previous: previous, made: made, seal: seal, count: count), at: 0)
        try sign(&out, version: version, by: key)
        return out
    }

    static func header(version: Int, office: String, number: Int, previous: String?, made: String, seal: String, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        for line in [
            "\(magic) \(version)", "office \(office)", "number \(number)", "previous \(previous ?? "-")", "made \(made)", "seal \(seal)",
            "records \(count)",
        ] {
            out += line.utf8
            out.append(10)
        }
        return out
    }

    /// Appends the signature line, by `key`, of everything before it.
    static func sign(_ out: inout [UInt8], version: Int, by key: IssuerKey) throws(LubanError) {
        let signature = try key.sign(version >= 2 ? signedMessage(version: version, out[...]) : out)
        out += "signature \(IssuerKey.prefix)\(signature)\n".utf8
    }

    /// What a bundle of format 2 (or later) is signed by: a line naming the format, then the
    /// SHA-256 of `signed` (its header and records). Ed25519 hashes what it signs with SHA-512,
    /// twice to sign and once to check; SHA-256, with the processor's instructions for it, goes
    /// several times faster over a bundle's megabytes. The line keeps these bytes from reading
    /// as anything else the centre's key signs (a certificate, a version 1 bundle).
    static func signedMessage(version: Int, _ signed: ArraySlice<UInt8>) -> [UInt8] {
        Array("\(magic) \(version) sha256\n".utf8) + SHA256.hash(signed)
    }

    /// The office and number a file says it is, from its header alone (nothing checked): to find
    /// a bundle HQ has applied already without reading it again.
    public static func peek(_ file: [UInt8]) -> (office: String, number: Int)? {
        let head = file.prefix(512).split(separator: 10, maxSplits: 3, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard head.count >= 3, head[0].hasPrefix(magic + " "), head[1].hasPrefix("office "), head[2].hasPrefix("number "),
            let number = Int(head[2].dropFirst(7))
        else { return nil }
        return (String(head[1].dropFirst(7)), number)
    }

    /// The SHA-256 (hex) of a bundle's file: what the next bundle's `previous` names.
    public static func hash(_ file: [UInt8]) -> String { SHA256.hash(file).hex }

    /// Reads a bundle's file: its form and version, and the signature over it by `signer`
    /// (the office's key as HQ registered it), asked for once the office is known. Any fault
    /// is a `BundleFault` that names it.
    public static func read(_ file: [UInt8], signer: (String) throws(BundleFault) -> String) throws(BundleFault) -> FederationBundle {
        // The signature line is the last: everything before it is what was signed.
        guard file.last == 10, let start = file.dropLast().lastIndex(of: 10).map({ $0 + 1 }) else {
            throw .form(zh: "末行不是签名", en: "it does not end with a signature line")
        }
        let signatureLine = String(decoding: file[start..<(file.count - 1)], as: UTF8.self)
        // What was signed: the header's seven lines, then the records, a line each (it ends
        // with a newline: the signature line's start follows one).
        let signed = file[..<start]
        var cursor = signed.startIndex
        func header(_ index: Int, _ name: String) throws(BundleFault) -> String {
            guard cursor < signed.endIndex, let end = signed[cursor...].firstIndex(of: 10) else {
                throw .form(zh: "文件头不完整（缺 \(name) 行）", en: "it ends before its header does (no \(name) line)")
            }
            let line = String(decoding: signed[cursor..<end], as: UTF8.self)
            cursor = end + 1
            guard line.hasPrefix(name + " ") else { throw .form(zh: "第 \(index + 1) 行应为“\(name) …”", en: "line \(index + 1) should be '\(name) …'") }
            return String(line.dropFirst(name.count + 1))
        }
        let first = try header(0, magic)
        guard let version = Int(first) else { throw .form(zh: "第 1 行没有格式版本", en: "line 1 names no format version") }
        guard readableVersions.contains(version) else { throw .version(version) }
        let office = try header(1, "office")
        guard let number = Int(try header(2, "number")), number >= 1 else { throw .form(zh: "第 3 行不是数据包编号", en: "line 3 is no bundle number") }
        let previousText = try header(3, "previous")
        let made = try header(4, "made")
        let seal = try header(5, "seal")
        guard let count = Int(try header(6, "records")), count >= 0 else { throw .form(zh: "第 7 行不是记录数", en: "line 7 is no count of records") }
        guard signatureLine.hasPrefix("signature \(IssuerKey.prefix)") else { throw .form(zh: "末行不是签名", en: "its last line is not its signature") }
        let key = try signer(office)
        let signature = String(signatureLine.dropFirst("signature \(IssuerKey.prefix)".count))
        let message = version >= 2 ? signedMessage(version: version, signed)[...] : signed
        guard IssuerKey.verify(signature: signature, of: message, publicKey: key) else { throw .signature(office: office) }
        // Signed by the office: the records stay where they are in the file, read only when
        // used (`forEachRecord`, which stops at a line that is not a record).
        let body = signed[cursor...]
        let held = body.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        guard held == count else {
            throw .form(zh: "声称 \(count) 条记录，实有 \(held) 条", en: "it says \(count) records and holds \(held)")
        }
        return FederationBundle(
            office: office, number: number, previous: previousText == "-" ? nil : previousText, made: made, seal: seal, lines: body,
            count: count, formatVersion: version)
    }
}

/// What is wrong with a bundle's file, before anything of it is applied.
public enum BundleFault: Error, Equatable, Sendable {
    case form(zh: String, en: String)
    case version(Int)
    case signature(office: String)
    case unknownOffice(String)
    case retired(office: String, since: String)

    public var reason: String { phrase.text() }

    public var phrase: Phrase {
        switch self {
        case .form(let zh, let en): return Phrase(zh: "不是 luban 数据包：\(zh)", en: "not a luban bundle: \(en)")
        case .version(let v):
            let known = FederationBundle.readableVersions.map(String.init).joined(separator: ", ")
            return v > FederationBundle.version
                ? Phrase(
                    zh: "格式版本 \(v)；本总部读取版本 \(known)：请在总部更新 luban", en: "format version \(v); this HQ reads versions \(known): update luban at HQ")
                : Phrase(
                    zh: "格式版本 \(v)；本总部读取版本 \(known)：请在中心用新版 luban 重新发布",
                    en: "format version \(v); this HQ reads versions \(known): publish it again with a newer luban at the centre")
        case .signature(let office):
            return Phrase(
                zh: "签名不是 \(office) 登记的密钥所签：数据包被改动过，或由别的密钥签名",
                en: "its signature is not by \(office)'s registered key: it was altered, or signed by another key")
        case .unknownOffice(let office):
            return Phrase(zh: "没有登记中心 \(office)（luban hq office add）", en: "no centre \(office) is registered (luban hq office add)")
        case .retired(let office, let since):
            return Phrase(
                zh: "\(office) 的密钥已于 \(since) 停用：之后以它签名的数据包一律拒收",
                en: "\(office)'s key was retired on \(since): bundles signed with it after that are refused")
        }
    }
}

/// One record of a bundle: its kind, whether it removes, and its fields (key first).
public struct BundleRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// id, code, start date, end date
        case cohort
        /// id, cohort id, date, kind, hours, cancelled (0/1)
        case session
        /// id, code, sealed ID number (or empty), forgotten (0/1)
        case trainee
        /// cohort id, trainee id, withdrawn on (or empty)
        case enrolment
        /// entry number, session id, trainee id, status code (0 present … 4 taken back)
        case mark
        /// number, trainee id, cohort id, tier (its title), issued on, status, public reason, sealed name
        case certificate
        /// id, cohort id, trainee id, technique, result, voided on (or empty)
        case signoff

        /// How many fields a record of the kind has (a removal has the key's only).
        public var fields: Int {
            switch self {
            case .cohort: return 4
            case .session: return 6
            case .trainee: return 4
            case .enrolment: return 3
            case .mark: return 4
            case .certificate: return 8
            case .signoff: return 6
            }
        }

        /// How many of the fields make the key.
        public var keyFields: Int { self == .enrolment ? 2 : 1 }
    }

    public var kind: Kind
    public var removed: Bool
    public var fields: [String]

    public init(_ kind: Kind, removed: Bool = false, _ fields: [String]) {
        self.kind = kind
        self.removed = removed
        self.fields = fields
    }

    /// The key's fields joined: what a record is told apart by within its kind.
    public var key: String { fields.prefix(kind.keyFields).joined(separator: "\t") }

    init?(_ line: ArraySlice<UInt8>) {
        let headEnd = line.firstIndex(of: 9) ?? line.endIndex
        var name = String(decoding: line[line.startIndex..<headEnd], as: UTF8.self)
        removed = name.hasPrefix("-")
        if removed { name.removeFirst() }
        // A mark is never removed: a later entry of the ledger replaces it.
        guard let kind = Kind(rawValue: name), !(removed && kind == .mark) else { return nil }
        self.kind = kind
        // The fields, read where they lie (a bundle has tens of thousands of records).
        let expected = removed ? kind.keyFields : kind.fields
        fields = []
        fields.reserveCapacity(expected)
        var start = headEnd
        while start < line.endIndex {
            start += 1
            let end = line[start...].firstIndex(of: 9) ?? line.endIndex
            fields.append(Self.unescape(line[start..<end]))
            start = end
        }
        guard fields.count == expected else { return nil }
    }

    /// The record's line, appended to `out`.
    public func write(into out: inout [UInt8]) {
        if removed { out.append(UInt8(ascii: "-")) }
        out += kind.rawValue.utf8
        for field in fields {
            out.append(9)
            Self.escape(field, into: &out)
        }
        out.append(10)
    }

    /// A field's bytes with backslash, tab, newline and carriage return escaped (PostgreSQL's
    /// COPY text format escapes them the same way).
    public static func escape(_ field: String, into out: inout [UInt8]) {
        for byte in field.utf8 {
            switch byte {
            case 92: out += [92, 92]
            case 9: out += [92, UInt8(ascii: "t")]
            case 10: out += [92, UInt8(ascii: "n")]
            case 13: out += [92, UInt8(ascii: "r")]
            default: out.append(byte)
            }
        }
    }

    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(92) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var escaped = false
        for byte in bytes {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                default: out.append(byte)
                }
                escaped = false
            } else if byte == 92 {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A mark record (`mark`, entry, session id, trainee id, status code) as its numbers: the most
/// of a bundle's lines, read and written without making text.
public struct BundleMark: Sendable, Equatable {
    public var entry: Int64
    public var session: Int64
    public var trainee: Int64
    public var status: Int16

    public init(entry: Int64, session: Int64, trainee: Int64, status: Int16) {
        self.entry = entry
        self.session = session
        self.trainee = trainee
        self.status = status
    }

    static let head = Array("mark\t".utf8)

    /// Whether a line is a mark's (by its kind).
    static func begins(_ line: ArraySlice<UInt8>) -> Bool { line.starts(with: head) }

    /// A mark's line: four fields of decimal digits (at most 18 each); nil for any other line.
    init?(_ line: ArraySlice<UInt8>) {
        guard Self.begins(line) else { return nil }
        var fields: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
        var value: Int64 = 0
        var field = 0
        var digits = 0
        func end() -> Bool {
            guard digits > 0 else { return false }
            switch field {
            case 0: fields.0 = value
            case 1: fields.1 = value
            case 2: fields.2 = value
            default: fields.3 = value
            }
            field += 1
            digits = 0
            value = 0
            return true
        }
        for byte in line.dropFirst(Self.head.count) {
            if byte == 9 {
                guard field < 3, end() else { return nil }
            } else {
                guard byte >= 48, byte <= 57, digits < 18 else { return nil }
                value = value * 10 + Int64(byte - 48)
                digits += 1
            }
        }
        guard field == 3, end(), let status = Int16(exactly: fields.3) else { return nil }
        self.init(entry: fields.0, session: fields.1, trainee: fields.2, status: status)
    }

    /// The mark's line, appended to `out`.
    public func write(into out: inout [UInt8]) {
        out += Self.head
        out.appendDecimal(entry)
        out.append(9)
        out.appendDecimal(session)
        out.append(9)
        out.appendDecimal(trainee)
        out.append(9)
        out.appendDecimal(Int64(status))
        out.append(10)
    }
}

extension [UInt8] {
    /// `value` in decimal digits (a minus sign first when it is negative).
    public mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(45) }
        var rest = value.magnitude
        var width = 0
        var probe = rest
        repeat {
            width += 1
            probe /= 10
        } while probe > 0
        append(contentsOf: repeatElement(48, count: width))
        var at = count - 1
        repeat {
            self[at] = UInt8(48 + rest % 10)
            rest /= 10
            at -= 1
        } while rest > 0
    }
}
