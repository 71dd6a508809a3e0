import ArgumentParser
import LubanKit

/// Standard output for every command: whatever a record holds is made visible (`\u{1B}`)
/// before it reaches a terminal, so that no name, note or file can steer it.
///
/// A byte-order mark at the very start is the one `--excel` asks for (Excel and WPS read the file
/// as UTF-8 by it): it is written as the bytes it is, not shown as `\u{FEFF}` like one inside a record.
func emit(_ text: String = "", terminator: String = "\n") {
    if text.unicodeScalars.first == "\u{FEFF}" {
        Swift.print("\u{FEFF}" + Visible.lines(String(text.unicodeScalars.dropFirst())), terminator: terminator)
        return
    }
    Swift.print(Visible.lines(text), terminator: terminator)
}

/// The columns of an imported file that nothing read: named, never dropped in silence.
func emitIgnored(_ r: ImportResult) {
    guard !r.ignoredColumns.isEmpty else { return }
    emit(say(zh: "未读取的列：\(r.ignoredColumns.joined(separator: "、"))", en: "ignored columns: \(r.ignoredColumns.joined(separator: ", "))"))
}

/// The words in the language luban speaks now (`Language.current`).
func say(zh: String, en: String) -> String { Phrase(zh: zh, en: en).text() }

/// A wrong combination of arguments, said in the language luban speaks now.
func usage(zh: String, en: String) -> ValidationError { ValidationError(say(zh: zh, en: en)) }
