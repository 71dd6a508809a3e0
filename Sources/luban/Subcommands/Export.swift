import ArgumentParser
import Foundation
import LubanKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every record as CSV into a folder (or one workbook), so any figure can be recomputed.",
        discussion: """
            ID and phone numbers are masked unless --show-id.
            Examples: luban export export/
                      luban export export/ --format xlsx     (export/luban-export.xlsx, a sheet per table)
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The folder to write into.") var folder: String
    @Flag(help: "Full ID and phone numbers.") var showId = false
    @Flag(help: "Byte-order marks for Excel and WPS.") var excel = false
    @Option(help: "csv (a file per table) or xlsx (one workbook, a sheet per table).") var format: OutputFormat = .csv

    func validate() throws {
        if format != .csv && format != .xlsx { throw usage(zh: "此处 --format 只能是 csv 或 xlsx", en: "--format is csv or xlsx here") }
    }

    func run() throws {
        let db = try database.open()
        if format == .xlsx {
            try OutputFile.makeFolder(folder)
            for (sheet, count) in try Export.workbook(db, to: (folder as NSString).appendingPathComponent("luban-export.xlsx"), showID: showId) {
                emit(say(zh: "\(sheet)：\(count) 行", en: "\(sheet): \(count) rows"))
            }
            return
        }
        for (path, count) in try Export.write(db, to: folder, showID: showId, excel: excel) {
            emit(say(zh: "\(path)：\(count) 行", en: "\(path): \(count) rows"))
        }
    }
}
