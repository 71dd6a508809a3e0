import ArgumentParser
import LubanKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every record as CSV into a folder, so any figure can be recomputed.",
        discussion: "ID and phone numbers are masked unless --show-id. Example: luban export export/")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The folder to write into.") var folder: String
    @Flag(help: "Full ID and phone numbers.") var showId = false
    @Flag(help: "Byte-order marks for Excel and WPS.") var excel = false

    func run() throws {
        for (path, count) in try Export.write(try database.open(), to: folder, showID: showId, excel: excel) {
            emit("\(path): \(count) rows")
        }
    }
}
