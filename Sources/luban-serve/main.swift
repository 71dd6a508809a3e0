import Foundation
import LubanKit
import LubanServer

// `luban-serve`: what `luban serve` runs in its place, once it has checked the options and the
// database. Its arguments are the ones `luban serve` passes on; see `luban serve --help`.

/// Writes `line` to standard output at once (also into a log file), and goes on when nobody
/// reads it any more (a closed pipe): the server's work does not depend on its log.
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return }
        written += n
    }
}

/// The options as `luban serve` passes them on, or nil with a usage line.
func options(_ arguments: [String]) -> WebServer.Options? {
    var options = WebServer.Options(databasePath: "")
    var rest = arguments[...]
    while let flag = rest.popFirst() {
        if flag == "--secure-cookies" {
            options.secureCookies = true
            continue
        }
        guard let value = rest.popFirst() else { return nil }
        switch flag {
        case "--db": options.databasePath = value
        case "--bind": options.bind = value
        case "--port":
            guard let port = Int(value), (0...65535).contains(port) else { return nil }
            options.port = port
        case "--rollcall":
            guard let session = Int64(value) else { return nil }
            options.rollCall = session
        default: return nil
        }
    }
    options.toTerminal = isatty(STDOUT_FILENO) == 1
    return options.databasePath.isEmpty ? nil : options
}

Language.$current.withValue(.ofProcess) {
    guard let options = options(Array(CommandLine.arguments.dropFirst())) else {
        FileHandle.standardError.write(
            Data(
                Phrase(
                    zh: "用法：luban serve [--bind 地址] [--port 端口] [--rollcall 课次]（luban-serve 由 luban serve 启动）",
                    en: "usage: luban serve [--bind ADDRESS] [--port N] [--rollcall SESSION] (luban-serve is started by luban serve)"
                ).text().utf8 + [10]))
        exit(64)
    }
    // A reader of the log that goes away must not stop the server.
    signal(SIGPIPE, SIG_IGN)
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var failure: (any Error)?
    // A detached task does not inherit task-local values: the language is carried in, or the
    // banner and the log would speak English in a Chinese locale.
    let language = Language.current
    Task.detached {
        await Language.$current.withValue(language) {
            do {
                try await WebServer.run(options) { line in say(line) }
            } catch {
                failure = error
            }
        }
        done.signal()
    }
    done.wait()
    if let failure {
        let message = (failure as? LubanError)?.message ?? WebServer.describe(failure)
        FileHandle.standardError.write(Data((Phrase(zh: "错误：", en: "Error: ").text() + Visible.lines(message) + "\n").utf8))
        exit(1)
    }
}
