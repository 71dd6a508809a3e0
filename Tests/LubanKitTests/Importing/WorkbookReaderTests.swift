import Testing

@testable import LubanKit

/// The arithmetic under a workbook's cells: date serials in both of Excel's systems, and cell
/// references.
@Suite struct WorkbookReaderTests {
    @Test func dateSerialsAreTheDatesASpreadsheetShows() {
        #expect(WorkbookReader.date(serial: 41739, date1904: false) == "2014-04-10")
        #expect(WorkbookReader.date(serial: 1, date1904: false) == "1900-01-01")
        #expect(WorkbookReader.date(serial: 59, date1904: false) == "1900-02-28")
        #expect(WorkbookReader.date(serial: 61, date1904: false) == "1900-03-01")
        #expect(WorkbookReader.date(serial: 2_958_465, date1904: false) == "9999-12-31")
        #expect(WorkbookReader.date(serial: 41739.375, date1904: false) == "2014-04-10 09:00")
        #expect(WorkbookReader.date(serial: 40277, date1904: true) == "2014-04-10", "a Mac workbook counts from 1904")
        #expect(WorkbookReader.date(serial: -1, date1904: false) == nil)
        #expect(WorkbookReader.date(serial: .nan, date1904: false) == nil)
    }

    @Test func cellReferences() {
        #expect(WorkbookReader.column(of: "A1") == 0)
        #expect(WorkbookReader.column(of: "AA12") == 26)
        #expect(WorkbookReader.column(of: "XFD3") == 16383)
        #expect(WorkbookReader.column(of: "12") == nil)
        #expect(WorkbookReader.row(of: "C7") == 7)
        #expect(WorkbookReader.letters(0) == "A")
        #expect(WorkbookReader.letters(27) == "AB")
        #expect(WorkbookReader.kind(of: [0x50, 0x4B, 0x03, 0x04, 0]) == .xlsx)
        #expect(WorkbookReader.kind(of: Array("name,id\n".utf8)) == .other)
    }
}
