import ArgumentParser
import Foundation
import LubanKit

/// `luban`: the records and certificates of the Luban heritage-craft apprenticeship program.
@main
struct Luban: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "luban",
        abstract: "Keep the records of the Luban Project (鲁班工程) and issue its certificates.",
        discussion: """
            Enrol trainees in cohorts, schedule sessions, take roll (also on paper at field sites), \
            record experts' sign-offs, check eligibility, issue and verify signed certificates, and \
            print yearly totals for the union. Start with: luban demo
            """,
        version: LubanVersion.string,
        subcommands: [
            Init.self, Demo.self, CurriculumCommand.self, CohortCommand.self, TraineeCommand.self, Enroll.self,
            SessionCommand.self, ExpertCommand.self, Withdraw.self, Transfer.self, RollCall.self, Attend.self, AttendanceCommand.self,
            SignOffCommand.self,
            EligibilityCommand.self, Certify.self, CertificateCommand.self, IssuerCommand.self, ReportCommand.self,
            TranscriptCommand.self, ExportCommand.self, Check.self, Backup.self, Restore.self, Log.self, Generate.self, Serve.self,
            UserCommand.self, OfficeCommand.self, Publish.self, HQCommand.self,
        ]
    )

    static func main() {
        // Chinese first: the language follows LUBAN_LANG, else the locale (see `Language`).
        Language.$current.withValue(.ofProcess) {
            if let quick = QuickAttend(Array(CommandLine.arguments.dropFirst())) { return quick.run() }
            // `luban hq …` is `luban-hq …`: run it before the command tree is made, which is most
            // of luban's start (when it cannot be run, `HQCommand` says why).
            if CommandLine.arguments.dropFirst().first == "hq" {
                try? Serve.exec(Array(CommandLine.arguments.dropFirst(2)), program: "luban-hq")
            }
            runCommand()
        }
    }

    static func runCommand() {
        do {
            var command = try parseAsRoot()
            do {
                try command.run()
            } catch let error as ValidationError {
                // Found while running, after the arguments parsed: the message says what to
                // give; the top-level usage line that ArgumentParser would add says nothing here.
                OpenDatabases.closeAll()
                FileHandle.standardError.write(Data((errorWord + Visible.lines(error.message) + "\n").utf8))
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
        } catch {
            fail(error)
        }
        OpenDatabases.closeAll()
    }

    /// What an error message starts with.
    static var errorWord: String { say(zh: "错误：", en: "Error: ") }

    /// Ends the process for `error`: databases closed, one message on standard error (help on
    /// standard output) made safe for a terminal, since it may echo an argument as typed.
    static func fail(_ error: any Error) -> Never {
        OpenDatabases.closeAll()
        let code = exitCode(for: error)
        let message = (error as? LubanError).map { errorWord + $0.withHint } ?? Visible.lines(fullMessage(for: error))
        if !message.isEmpty {
            let out = code == .success ? FileHandle.standardOutput : FileHandle.standardError
            out.write(Data((message + (message.hasSuffix("\n") ? "" : "\n")).utf8))
        }
        Foundation.exit(code.rawValue)
    }
}
