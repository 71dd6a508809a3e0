import Testing

@testable import LubanKit

/// `String.trimmed` settles most fields from their end bytes; it must agree with the Unicode
/// definition (`Substring.trimmed`) for every white-space scalar and its neighbours.
@Suite struct TrimmingTests {
    @Test func theByteShortcutAgreesWithUnicode() {
        let edges: [Unicode.Scalar] = [
            "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{85}", "\u{A0}", "\u{1680}", "\u{180E}", "\u{2000}", "\u{200A}", "\u{200B}",
            "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "a", "王", "é", "\u{07FF}", "\u{0FFF}", "\u{1F600}",
        ]
        for first in edges {
            for last in edges {
                let s = String(first) + "李 明" + String(last)
                #expect(s.trimmed == s[...].trimmed, "U+\(String(first.value, radix: 16)) … U+\(String(last.value, radix: 16))")
                #expect(String(first).trimmed == String(first)[...].trimmed)
            }
        }
        #expect("".trimmed == "")
        #expect("\u{3000}王建国\u{3000}".trimmed == "王建国")
    }

    @Test func theUnsafeByteShortcutAgreesWithTheScalarCheck() {
        for v in [
            0x00, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xA9, 0x61C, 0x180E, 0x200B, 0x200F, 0x2010, 0x2028, 0x202E, 0x2060, 0x2066, 0x2069,
            0x4E00, 0xFEFF, 0x1F600,
        ] {
            let s = "王" + String(Unicode.Scalar(UInt32(v))!) + "a"
            let unsafe = s.unicodeScalars.contains(where: Visible.isUnsafe)
            #expect((FieldText.problem(s, what: "name") != nil) == unsafe, "U+\(String(v, radix: 16))")
        }
    }
}

/// The byte shortcuts for the commonest ID numbers and phones give what the full checks give
/// (the same value padded with spaces takes the full path).
@Suite struct ShortcutAgreementTests {
    @Test func idNumbers() {
        let valid = validID("11010119900307851")
        let lower = String(validID("11010519491231002").dropLast()) + "x"
        let cases = [
            valid, lower, "110101199003078516", "990101199003078515", "110101199013078515", "110101209901018515", "110101180001018515",
            "11010119900307851", "1101011990030785155", "11010119900307851X", "１１０１０１１９９００３０７８５１５", "110101 99003078515",
        ]
        for c in cases {
            let fast = Result { () throws(IDNumberError) in try IDNumber(c) }
            let full = Result { () throws(IDNumberError) in try IDNumber(" " + c + " ") }
            #expect(fast == full, "\(c)")
        }
    }

    @Test func phones() {
        for c in ["13812345678", "23812345678", "1381234567", "138123456789", "010-12345678", "+8613812345678", "1381234567a"] {
            let fast = FieldText.phone(c)
            let full = FieldText.phone(" " + c)
            switch (fast, full) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(c)")
            case (.failure, .failure): break
            default: Issue.record("\(c): \(fast) but \(full)")
            }
        }
    }
}
