// MARK: - Certificate numbers

/// `LB-2014-0007-5`: the program's prefix, the issue year, a serial that only ever grows within
/// the year (never reused, not even after a revocation), and an ISO 7064 MOD 11-2 check
/// character over the year and serial digits, which catches any single mistyped digit and any
/// swap of two adjacent digits.
public struct CertificateNumber: Sendable, Hashable, CustomStringConvertible {
    public let prefix: String
    public let year: Int
    public let serial: Int

    public init(prefix: String, year: Int, serial: Int) {
        self.prefix = prefix
        self.year = year
        self.serial = serial
    }

    var serialText: String {
        let s = String(serial)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// The check character of the year and serial digits.
    public var check: Character {
        ISO7064.mod11Check(Array(String(year) + serialText).compactMap(\.wholeNumberValue))
    }

    public var description: String { "\(prefix)-\(year)-\(serialText)-\(check)" }

    /// Parses a number, checking its form and check character; says which is wrong.
    public static func parse(_ text: String) -> Result<CertificateNumber, NumberProblem> {
        let t = text.trimmed.uppercased()
        let parts = t.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isLetter }),
            parts[1].count == 4, let year = Int(parts[1]), parts[2].count >= 4, let serial = Int(parts[2]),
            parts[1].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isASCII), parts[3].count == 1
        else {
            return .failure(.form(text))
        }
        let number = CertificateNumber(prefix: parts[0], year: year, serial: serial)
        guard number.serialText == parts[2] else { return .failure(.form(text)) }
        guard String(number.check) == parts[3] else { return .failure(.check(text)) }
        return .success(number)
    }

    public enum NumberProblem: Error, Equatable, Sendable {
        case form(String)
        case check(String)

        public var reason: String { phrase.text() }

        public var phrase: Phrase {
            switch self {
            case .form(let t):
                return Phrase(zh: "“\(t)”不是证书编号（证书编号形如 LB-2014-0007-5）", en: "'\(t)' is not a certificate number (they look like LB-2014-0007-5)")
            case .check(let t):
                return Phrase(
                    zh: "“\(t)”校验位不符：有字符输错或相邻两位颠倒",
                    en: "'\(t)' fails its check character: a character is mistyped or two are swapped")
            }
        }
    }
}
