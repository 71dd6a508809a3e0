import Foundation
import Testing

@testable import LubanKit

/// Text stays right in a CJK typeface: ambiguous-width characters count two columns, long
/// lines wrap, and a certificate is as wide in English as in Chinese.
struct WidthTests {
    /// East Asian Ambiguous characters take one column, as wcwidth counts them and terminals draw
    /// them by default (`LUBAN_AMBIGUOUS_WIDTH=2` is for terminals set to draw them wide; the
    /// end-to-end test sets it).
    @Test func ambiguousCharactersCountOneColumnAsTerminalsDrawThem() {
        #expect(Unicode.Scalar.ambiguousWidth == 1)
        #expect("买买提·艾力".displayWidth == 11)
        #expect("×√…“”—".displayWidth == 6)
        #expect("José Müller".displayWidth == 11)  // accented Latin stays narrow
        #expect("a-b_c".displayWidth == 5)
    }

    @Test func aMinorityNameAlignsInAFrameAndATable() {
        let framed = Frame.draw(["持证人 买买提·艾力", "持证人 王建国"], minimumWidth: 20)
        #expect(Set(framed.map(\.displayWidth)).count == 1)
        let table = Table(
            columns: [.init("name", "姓名"), .init("code", "编号")], rows: [[.text("买买提·艾力"), .text("T1")], [.text("王建国"), .text("T2")]])
        let lines = table.text().split(separator: "\n").map(String.init)
        // The second column starts at the same display column on every line.
        let starts = lines.dropFirst(2).map { line in line.prefix { $0 != "T" }.displayWidth }
        #expect(Set(starts).count == 1, "\(lines)")
    }

    @Test func linesWrapBetweenWordsAndBetweenChineseCharacters() {
        #expect("the quick brown fox jumps".wrapped(to: 10) == ["the quick", "brown fox", "jumps"])
        #expect("兹证明某某参加培训，特发此证。".wrapped(to: 10) == ["兹证明某某", "参加培训，", "特发此证。"])
        #expect("短".wrapped(to: 10) == ["短"])
        #expect("北京市第二建筑工程有限责任公司".truncated(to: 13) == "北京市第二…")
        #expect("北京市第二建筑工程有限责任公司".truncated(to: 13).displayWidth <= 13)
    }

    @Test func aCertificateIsAsWideInEnglishAsInChinese() throws {
        let (db, _, certificate) = try certifiedScenario()
        let entries = try db.register(numbers: [certificate.number])
        var widths: Set<Int> = []
        for language in CertificateLanguage.allCases {
            let text = try #require(try db.printed(entries, language: language, showID: false, templates: .builtIn, key: testKey).first).text
            let lines = text.split(separator: "\n")
            #expect(Set(lines.map(\.displayWidth)).count == 1, "\(language): every line of the frame as wide")
            widths.insert(lines[0].displayWidth)
        }
        #expect(widths == [68], "\(widths)")
    }
}
