import Foundation

// MARK: - Mainland resident ID numbers (GB 11643-1999)

/// A citizen identity number as GB 11643-1999 defines it: a 6-digit region code, an 8-digit
/// date of birth, a 3-digit sequence code and a check character (ISO 7064 MOD 11-2).
public struct IDNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, the check character upper-case.
    public let value: String

    /// The 18-character form of a 15-digit ID number: the year written in full (19YY) and the
    /// check character added.
    static func eighteen(fromOld old: String) -> String {
        let digits = Array(old)
        let seventeen = String(digits[0..<6]) + "19" + String(digits[6...])
        return seventeen + String(ISO7064.mod11Check(seventeen.compactMap(\.wholeNumberValue)))
    }

    /// Checks `raw` part by part and names the first part that is wrong.
    public init(_ raw: String) throws(IDNumberError) {
        if let plain = Self.plain(raw) {
            value = plain
            return
        }
        let trimmed = FieldText.halfWidth(raw).trimmed
        let chars = Array(trimmed.uppercased().unicodeScalars)
        if chars.count == 15, chars.allSatisfy({ ("0"..."9").contains($0) }) { throw .old(trimmed, Self.eighteen(fromOld: trimmed)) }
        guard chars.count == 18 else { throw .length(trimmed, chars.count) }
        for (i, c) in chars.prefix(17).enumerated() where !("0"..."9").contains(c) {
            throw .character(trimmed, position: i + 1)
        }
        guard ("0"..."9").contains(chars[17]) || chars[17] == "X" else {
            throw .character(trimmed, position: 18)
        }
        let digits = chars.prefix(17).map { Int($0.value) - 48 }
        let province = digits[0] * 10 + digits[1]
        guard Self.provinces.contains(province) else { throw .region(trimmed, String(String.UnicodeScalarView(chars[0..<6]))) }
        let birth = String(String.UnicodeScalarView(chars[6..<14]))
        guard let date = CalendarDate(compact: birth), date.year >= 1900, date <= CalendarDate.today else {
            throw .birthDate(trimmed, birth)
        }
        let expected = ISO7064.mod11Check(digits)
        guard expected == Character(chars[17]) else {
            throw .checkCharacter(trimmed, expected: expected, found: Character(chars[17]))
        }
        value = String(String.UnicodeScalarView(chars))
    }

    /// The common case settled from the bytes (an import checks one a row): 18 ASCII characters
    /// that are valid in every part. Anything else — white space, full-width digits, a part to
    /// explain — takes the path above, which names what is wrong.
    private static func plain(_ raw: String) -> String? {
        var bytes = Array(raw.utf8)
        guard bytes.count == 18 else { return nil }
        if bytes[17] == UInt8(ascii: "x") { bytes[17] = UInt8(ascii: "X") }
        var digits: [Int] = []
        digits.reserveCapacity(17)
        for b in bytes[0..<17] {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            digits.append(Int(b) - 0x30)
        }
        guard (bytes[17] >= 0x30 && bytes[17] <= 0x39) || bytes[17] == UInt8(ascii: "X"), provinces.contains(digits[0] * 10 + digits[1]),
            let date = CalendarDate(compact: String(decoding: bytes[6..<14], as: UTF8.self)), date.year >= 1900, date <= CalendarDate.today,
            ISO7064.mod11Check(digits) == Character(Unicode.Scalar(bytes[17]))
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { value }

    /// The holder's date of birth (characters 7 to 14).
    public var birthDate: CalendarDate? {
        CalendarDate(compact: String(value.dropFirst(6).prefix(8)))
    }

    /// Province-level codes of GB/T 2260 (and 71, 81, 82, 83 for Taiwan, Hong Kong, Macao).
    static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]
}

/// What is wrong with an ID number, part by part.
public enum IDNumberError: Error, Equatable, Sendable {
    case length(String, Int)
    case character(String, position: Int)
    case region(String, String)
    case birthDate(String, String)
    case checkCharacter(String, expected: Character, found: Character)
    /// A 15-digit number of the first generation, with its 18-character form.
    case old(String, String)

    /// One sentence naming the wrong part and what a right one looks like.
    public var reason: String { phrase.text() }

    public var phrase: Phrase {
        switch self {
        case .old(let id, let eighteen):
            // The whole fix, without printing the number: the clerk's file holds it, and the two
            // changes to make are all that is new.
            let check = eighteen.last.map(String.init) ?? "?"
            return Phrase(
                zh: "身份证号“\(Mask.idNumber(id))”是旧的 15 位号码；请改为 18 位：在前 6 位之后加“19”，在末尾加校验位“\(check)”（即 \(Mask.idNumber(eighteen))）",
                en:
                    "ID number '\(Mask.idNumber(id))' is an old 15-digit number; make it 18 characters: put 19 after its first 6 digits and the check character \(check) at the end (\(Mask.idNumber(eighteen)))"
            )
        case .length(let id, let n):
            return Phrase(
                zh: "身份证号“\(Mask.idNumber(id))”有 \(n) 位；居民身份证号是 18 位",
                en: "ID number '\(Mask.idNumber(id))' has \(n) characters; a resident ID number has 18")
        case .character(let id, let p):
            return p == 18
                ? Phrase(
                    zh: "身份证号“\(Mask.idNumber(id))”：校验位（第 18 位）须是数字或 X",
                    en: "ID number '\(Mask.idNumber(id))': the check character (18th) must be a digit or X")
                : Phrase(zh: "身份证号“\(Mask.idNumber(id))”：第 \(p) 位须是数字", en: "ID number '\(Mask.idNumber(id))': character \(p) must be a digit")
        case .region(let id, let code):
            return Phrase(
                zh: "身份证号“\(Mask.idNumber(id))”：地区码 \(code) 不是大陆地区（前两位 11-65、71、81-83）",
                en: "ID number '\(Mask.idNumber(id))': region code \(code) is not a mainland region (first two digits 11-65, 71, 81-83)")
        case .birthDate(let id, _):
            return Phrase(
                zh: "身份证号“\(Mask.idNumber(id))”：出生日期（第 7-14 位）不是真实日期",
                en: "ID number '\(Mask.idNumber(id))': the date of birth (characters 7-14) is not a real date")
        case .checkCharacter(let id, let expected, let found):
            return Phrase(
                zh: "身份证号“\(Mask.idNumber(id))”：校验位是 \(found)，但前 17 位算出应为 \(expected)；很可能有一位输错",
                en:
                    "ID number '\(Mask.idNumber(id))': check character is \(found) but the first 17 digits give \(expected); a digit is probably mistyped"
            )
        }
    }
}

// MARK: - ISO 7064 MOD 11-2

/// The check character system shared by ID numbers and certificate numbers: it catches every
/// single mistyped digit and every swap of two adjacent digits.
public enum ISO7064 {
    /// The MOD 11-2 check character (`0`-`9` or `X`) for `digits`.
    public static func mod11Check(_ digits: [Int]) -> Character {
        var sum = 0
        for d in digits { sum = (sum + d) * 2 % 11 }
        let check = (12 - sum % 11) % 11
        return check == 10 ? "X" : Character(String(check))
    }
}
