import Testing

@testable import LubanKit

@Suite struct TextTests {
    @Test func chineseCountsTwoColumns() {
        #expect("王建国".displayWidth == 6)
        #expect("T00042 王伟".displayWidth == 11)
        #expect("（驻场）".displayWidth == 8)
        #expect("e\u{301}".displayWidth == 1)
    }

    @Test func tableColumnsAlignByDisplayWidth() {
        let table = Table(columns: [.init("a", "姓名"), .init("b", "x")], rows: [[.text("王建国"), .text("1")], [.text("Li"), .text("2")]])
        let lines = table.text().split(separator: "\n").map(String.init)
        #expect(lines[2] == "王建国  1")
        #expect(lines[3] == "Li      2")
    }

    @Test func masksIDAndPhoneNumbers() {
        #expect(Mask.idNumber("11010119900307851X") == "110101********851X")
        #expect(Mask.phone("13812345678") == "138****5678")
    }

    @Test func csvCellsAreQuotedAndGuardedAgainstFormulas() {
        #expect(CSVWriter.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVWriter.cell("+1") == "'+1")
        #expect(CSVWriter.cell("-2+3") == "'-2+3")
        #expect(CSVWriter.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.cell("\tx") == "'\tx")
        #expect(CSVWriter.cell("a,b") == "\"a,b\"")
        #expect(CSVWriter(excel: true).document(header: ["a"], rows: [["1"]]) == "\u{FEFF}a\r\n1\r\n")
    }

    @Test func controlCharactersAreMadeVisible() {
        #expect(Visible.text("王\n伟") == "王\\n伟")
        #expect(Visible.text("abc\u{202E}fed") == "abc\\u{202E}fed")
        #expect(Visible.text("普通") == "普通")
    }

    @Test func framedLinesAllHaveTheSameWidth() {
        let lines = Frame.draw(["~标题", "---", "姓名：王建国", "Name: Wang", "x\u{202E}y"])
        let widths = Set(lines.map(\.displayWidth))
        #expect(widths.count == 1)
    }
}

@Suite struct LibraryMessagesTests {
    /// The library's messages name no command or flag: `luban` adds those at its edge, and a
    /// web page built on the same library will add its own.
    @Test func noLibraryMessageNamesACommandOrFlag() {
        let errors: [LubanError] = [
            .notALubanDatabase(path: "x.sqlite"), .noDatabase(path: "x.sqlite"), .unknownTrainee("T9"), .unknownCohort("c"),
            .unknownSession("9"), .unknownCurriculum("k"), .unknownCertificate("LB-1"), .noCurriculum, .ambiguousCurriculum(["a", "b"]),
            .cohortExists("c"), .cohortDates(code: "c", start: CalendarDate("2014-01-02")!, end: CalendarDate("2014-01-01")!),
            .notEnrolled(trainee: "T1", cohort: "c"), .noIssuerKey(path: "k"), .noPublicKey(keyFile: nil), .noPublicKey(keyFile: "k"),
            .noRegister(target: "x", databasePath: "d"),
        ]
        for e in errors {
            let m = e.message
            #expect(
                m.range(
                    of:
                        #"luban (init|demo|curriculum|cohort|trainee|enroll|session|rollcall|attend|attendance|signoff|eligibility|certify|certificate|issuer|report|transcript|export|check|backup|restore|log|generate)\b|(^|\s)--[a-z]"#,
                    options: .regularExpression) == nil, "\(m)")
        }
    }
}
