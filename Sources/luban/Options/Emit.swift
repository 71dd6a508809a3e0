import LubanKit

/// Standard output for every command: whatever a record holds is made visible (`\u{1B}`)
/// before it reaches a terminal, so that no name, note or file can steer it.
func emit(_ text: String = "", terminator: String = "\n") {
    Swift.print(Visible.lines(text), terminator: terminator)
}

/// The columns of an imported file that nothing read: named, never dropped in silence.
func emitIgnored(_ r: ImportResult) {
    if !r.ignoredColumns.isEmpty { emit("ignored columns: \(r.ignoredColumns.joined(separator: ", "))") }
}
