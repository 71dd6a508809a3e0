import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Who was erased, outside the database

/// The codes of trainees erased on request (`luban trainee forget`), one a line, in
/// `<db>.erased` beside the database (owner-only), and nothing else about them. A restore from
/// a backup taken before an erasure erases the person again, so that a backup never brings
/// back someone who asked to be forgotten.
public struct ErasureList: Sendable {
    public let path: String

    public init(databasePath: String) { path = databasePath + ".erased" }

    /// Adds a code (appending, never rewriting the file).
    public func add(_ code: String) throws(LubanError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .file(
                path: path,
                reason: .cannotWrite(String(cString: strerror(errno)))
                    + Phrase(zh: "；删除已完成，但恢复较早的备份时不会再次删除", en: "; the erasure is done, but a restore of an older backup would not repeat it"))
        }
        defer { close(fd) }
        let line = Array((code + "\n").utf8)
        guard write(fd, line, line.count) == line.count, fsync(fd) == 0 else {
            throw .file(path: path, reason: .cannotWrite(String(cString: strerror(errno))))
        }
    }

    /// The codes listed (none when there is no list).
    public func codes() throws(LubanError) -> [String] {
        guard access(path, F_OK) == 0 else { return [] }
        return String(decoding: try InputFile.bytes(path), as: UTF8.self).split(whereSeparator: \.isNewline).map { $0.trimmed }.filter { !$0.isEmpty }
    }
}
