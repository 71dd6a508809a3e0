// MARK: - Paths

/// The folder part of a path, as `NSString.deletingLastPathComponent` gives it (`a/b` → `a`,
/// `b` → empty, `/b` → `/`, `a/b/` → `a`), written out: the static Foundation of a release
/// build stops the process on a one-character path (`--out b`).
public func parentFolder(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    if slash == trimmed.startIndex { return "/" }
    var parent = trimmed[..<slash]
    while parent.count > 1 && parent.hasSuffix("/") { parent.removeLast() }
    return String(parent)
}
