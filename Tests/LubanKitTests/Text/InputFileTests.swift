import Foundation
import LubanKit
import TestSupport
import Testing

@Suite struct InputFileTests {
    /// Every byte, whatever the file's size says: a file of its size, an empty one, and one of
    /// the kernel's that says it is empty and is not.
    @Test func aFileIsReadWhole() throws {
        let folder = try Scratch.folder("input-file")
        let path = folder.appendingPathComponent("bundle").path
        let written = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(written).write(to: URL(fileURLWithPath: path))
        #expect(try InputFile.read(path) == written)
        let empty = folder.appendingPathComponent("empty").path
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(try InputFile.read(empty).isEmpty)
        let status = try InputFile.read("/proc/self/status")
        #expect(String(decoding: status, as: UTF8.self).hasPrefix("Name:"))
    }

    /// Why not, in words that name the fix.
    @Test func whatCannotBeReadSaysWhy() throws {
        let folder = try Scratch.folder("input-file")
        let missing = folder.appendingPathComponent("CD-00001.luban-bundle").path
        #expect(throws: LubanError.file(path: missing, reason: .cannotRead(ENOENT))) { try InputFile.bytes(missing) }
        #expect(Phrase.cannotRead(ENOENT).en == "cannot be read (No such file or directory); check the path")
        #expect(throws: LubanError.file(path: folder.path, reason: Phrase(zh: "是文件夹，不是文件；请给出文件", en: "is a folder, not a file; give a file"))) {
            try InputFile.bytes(folder.path)
        }
    }
}
