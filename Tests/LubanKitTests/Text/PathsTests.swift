import LubanKit
import Testing

@Suite struct PathsTests {
    /// As NSString's deletingLastPathComponent answers (which stops a release build on `b`).
    @Test func theParentFolderOfAPath() {
        let cases: [(String, String)] = [
            ("b", ""), ("out/", ""), ("a/b", "a"), ("a/b/", "a"), ("/x", "/"), ("/", "/"), ("", ""), ("x.csv", ""),
            ("/tmp/a/b.csv", "/tmp/a"), ("a//b", "a"), ("./b", "."),
        ]
        for (path, parent) in cases { #expect(parentFolder(path) == parent, "\(path)") }
    }
}
