import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Files luban writes

/// A file written through a temporary name and renamed into place when complete: no
/// half-written file is ever left, a symlink planted at the temporary name is never followed
/// (it is created exclusively, with no-follow) and one at the final name is replaced, not
/// followed. Owner-only (0600) whatever the umask: exports, registers and sheets hold personal
/// data. Every file luban writes, except the database itself, goes through here.
public final class OutputFile {
    private let path: String
    private let temporary: String
    private var file: UnsafeMutablePointer<FILE>?

    /// Numbers the temporary names of this process's files (two threads never take the same).
    private static let counter = Atomic<Int>(0)

    public init(path: String) throws(LubanError) {
        self.path = path
        let folder = parentFolder(path)
        let name = (path as NSString).lastPathComponent
        let n = Self.counter.add(1, ordering: .relaxed).newValue
        temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).partial-\(getpid())-\(n)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0, let f = fdopen(fd, "w") else {
            throw .file(path: path, reason: .cannotWrite(String(cString: strerror(errno))))
        }
        fchmod(fd, 0o600)  // the umask can only have removed bits; make sure of the rest
        file = f
    }

    /// Appends UTF-8 text.
    public func write(_ text: String) throws(LubanError) {
        var text = text
        let ok = text.withUTF8 { $0.isEmpty || fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        guard ok else { throw .file(path: path, reason: .cannotWrite(String(cString: strerror(errno)))) }
    }

    /// Appends bytes.
    public func write(_ data: some ContiguousBytes) throws(LubanError) {
        let ok = data.withUnsafeBytes { $0.isEmpty || fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        guard ok else { throw .file(path: path, reason: .cannotWrite(String(cString: strerror(errno)))) }
    }

    /// Finishes the file and puts it in place.
    public func commit() throws(LubanError) {
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        let closed = fclose(file) == 0
        file = nil
        guard flushed, closed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .file(path: path, reason: .cannotWrite(reason))
        }
    }

    /// Drops what was written (nothing to do once committed).
    public func discard() {
        guard let file else { return }
        fclose(file)
        self.file = nil
        unlink(temporary)
    }

    deinit { discard() }

    /// Writes a whole file at once.
    public static func write(_ text: String, to path: String) throws(LubanError) {
        let out = try OutputFile(path: path)
        try out.write(text)
        try out.commit()
    }

    /// The bytes a library writes to a path of its own choosing (libxlsxwriter, Cairo): `make`
    /// writes them in a private folder made for the purpose, removed after.
    public static func bytes(madeBy make: (String) throws(LubanError) -> Void, name: String) throws(LubanError) -> Data {
        var template = Array((FileManager.default.temporaryDirectory.path + "/luban-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .file(path: FileManager.default.temporaryDirectory.path, reason: .cannotCreateFolder(errno))
        }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + name
        try make(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: Phrase(zh: "无法读回", en: "cannot be read back"))
        }
        return data
    }

    /// Writes what `make` writes to a path into `path`, as every file luban writes.
    public static func replacing(_ path: String, madeBy make: (String) throws(LubanError) -> Void) throws(LubanError) {
        let data = try bytes(madeBy: make, name: (path as NSString).lastPathComponent)
        let out = try OutputFile(path: path)
        try out.write(data)
        try out.commit()
    }

    /// Makes `folder` (and its parents) where missing, owner-only (0700).
    public static func makeFolder(_ folder: String) throws(LubanError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
            guard isDir.boolValue else { throw .file(path: folder, reason: Phrase(zh: "是文件，不是文件夹", en: "is a file, not a folder")) }
            return
        }
        guard LubanDatabase.mkdirs(folder) else {
            throw .file(path: folder, reason: .cannotCreateFolder(errno))
        }
    }
}
