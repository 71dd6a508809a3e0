import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Files luban reads whole

/// A file read whole (a bundle, a certificate, a curriculum, a statement, a template, the erasure
/// list): its bytes in one array, read once, or the reason it cannot be read (no such file, not
/// allowed, a folder) with the fix. Key files are read by their own types, whose messages say
/// how to make them; CSV files and workbooks are read as they are parsed (`CSVReader`).
public enum InputFile {
    /// Why a file cannot be read.
    public struct Unreadable: Error, Sendable {
        public let reason: Phrase
    }

    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws(Unreadable) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Unreadable(reason: .cannotRead(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Unreadable(reason: .cannotRead(errno)) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw Unreadable(reason: Phrase(zh: "是文件夹，不是文件；请给出文件", en: "is a folder, not a file; give a file"))
        }
        // As large as the file says it is; then on to its end (a pipe, or a file still growing).
        let size = max(Int(info.st_size), 0)
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let n = Glibc.read(fd, buffer.baseAddress! + count, size - count)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = errno }
                if n <= 0 { break }
                count += n
            }
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while failure == 0 {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = errno }
            if n <= 0 { break }
            bytes += chunk[..<n]
        }
        guard failure == 0 else { throw Unreadable(reason: .cannotRead(failure)) }
        return bytes
    }

    /// The bytes of the file at `path`; `LubanError.file` names the file and says why not.
    public static func bytes(_ path: String) throws(LubanError) -> [UInt8] {
        do { return try read(path) } catch { throw .file(path: path, reason: error.reason) }
    }
}
