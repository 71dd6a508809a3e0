import ArgumentParser
import LubanKit

/// `luban attend SESSION TRAINEE... --status S [--note N] [--db PATH]`, read without
/// swift-argument-parser.
///
/// Marking a trainee by hand is the command people wait for, at a desk or on a site's laptop,
/// and its whole run should take well under 20 ms. ArgumentParser spends about 5 ms of that on
/// `attend` before the command runs (it builds its command tree and looks up protocol
/// conformances at run time, each a scan of every conformance in the binary; measured 22 ms
/// with it, 17 ms without, on the same machine and database). So this one form is read here, and
/// anything else — help, `--csv`, an unknown or repeated option, a word that is not a status, a
/// value starting with `-` — is left to ArgumentParser, which gives the usual messages. What runs
/// is the same `Attend.mark`, so both ways print and record the same.
struct QuickAttend {
    var session: String
    var trainees: [String]
    var status: AttendanceStatus
    var note: String?
    var database: String?

    /// The form above, or nil for anything else.
    init?(_ arguments: [String]) {
        guard arguments.first == "attend" else { return nil }
        var positional: [String] = []
        var word: String?
        var note: String?
        var database: String?
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("-") else {
                positional.append(argument)
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1)
            guard let value = parts.count == 2 ? String(parts[1]) : rest.popFirst(), !value.hasPrefix("-") else { return nil }
            // (Three variables, not a dictionary: a command that should take a few milliseconds
            // notices even the run-time set-up of a first Dictionary<String, String>.)
            switch parts[0] {
            case "--status" where word == nil: word = value
            case "--note" where note == nil: note = value
            case "--db" where database == nil: database = value
            default: return nil
            }
        }
        guard positional.count >= 2, let word, let status = AttendanceStatus(word: word) else { return nil }
        session = positional[0]
        trainees = Array(positional.dropFirst())
        self.status = status
        self.note = note
        self.database = database
    }

    func run() {
        do {
            try Attend.mark(database: database ?? LubanDatabase.defaultPath(), session: session, trainees: trainees, status: status, note: note)
            OpenDatabases.closeAll()
        } catch {
            Luban.fail(error)
        }
    }
}
