import Foundation
import Testing

/// Issue 15.1: workbooks as a spreadsheet reads them (openpyxl, from PyPI, reads what Excel and
/// WPS read): ID numbers text, dates dates, numbers numbers; the header bold and frozen; the
/// roll-call sheet set for A4.
@Suite struct WorkbookTests {
    /// Runs a Python snippet on the workbook at `path`; returns what it prints.
    func inspect(_ path: String, _ script: String) throws -> String {
        try python3(["-c", "import openpyxl\nwb = openpyxl.load_workbook('\(path)')\n" + script])
    }

    @Test func listingsBecomeWorkbooksASpreadsheetReadsRight() throws {
        let user = try User()
        try user.ok("demo")
        try user.ok("trainee", "list", "--format", "xlsx", "--show-id", "--out", "trainees.xlsx")
        let trainees = try inspect(
            user.folder.appendingPathComponent("trainees.xlsx").path,
            """
            ws = wb.active
            print(ws.freeze_panes, ws['A1'].font.b, ws['A1'].value)
            print(repr(ws['C2'].value), ws['C2'].data_type, ws['F2'].data_type)
            """)
        let id = try user.ok("trainee", "list", "--format", "csv", "--show-id").split(separator: "\r\n")[1].split(separator: ",")[2]
        #expect(trainees.contains("A2 True 学员 trainee"), "\(trainees)")
        #expect(trainees.contains("'\(id)' s s"), "an 18-digit ID number is a text cell, whole: \(trainees)")
        let mode =
            try FileManager.default.attributesOfItem(atPath: user.folder.appendingPathComponent("trainees.xlsx").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        try user.ok("rollcall", "2", "--format", "xlsx", "--out", "sheet.xlsx")
        let sheet = try inspect(
            user.folder.appendingPathComponent("sheet.xlsx").path,
            """
            ws = wb.active
            print(ws.page_setup.paperSize, ws.page_setup.orientation, ws.print_title_rows, ws.row_dimensions[2].height, ws.max_column)
            """)
        #expect(sheet.hasPrefix("9 portrait $1:$1 28.5 8"), "A4, portrait, the header on every page, rows to sign in: \(sheet)")

        try user.ok("session", "list", "2013-1", "--format", "xlsx", "--out", "sessions.xlsx")
        let sessions = try inspect(
            user.folder.appendingPathComponent("sessions.xlsx").path,
            """
            ws = wb.active
            print(ws['B2'].is_date, ws['B2'].value.date(), ws['D2'].data_type, ws['D2'].value)
            """)
        #expect(sessions.hasPrefix("True 2013-09-09 n 8"), "\(sessions)")

        // On a terminal a workbook is refused; the export is one workbook with a sheet per table.
        let export = try user.ok("export", "out", "--format", "xlsx")
        #expect(export.contains("luban-export.xlsx [attendance_entry]"))
        let tables = try inspect(
            user.folder.appendingPathComponent("out/luban-export.xlsx").path, "print(len(wb.sheetnames), wb['trainee']['D2'].value)")
        #expect(tables.split(separator: " ").first.flatMap { Int($0) } ?? 0 >= 13)
        #expect(tables.contains("********"), "masked unless --show-id: \(tables)")
    }
}
