import Foundation
import Testing

/// What an issued certificate rests on, defended on every path that could change it: a mark by
/// hand, by sheet and from a phone is refused, naming the certificate, while the certificate is
/// valid; `luban check` finds a certificate whose records were changed outside luban.
@Suite struct CertificateGroundTests {
    /// A completion certificate of 2015-2 in the demo, its holder, and a session of that cohort
    /// the holder attended.
    static func certified(_ user: User) throws -> (number: String, trainee: String, session: String) {
        let register = try user.ok("certificate", "print", "--cohort", "2015-2", "--format", "csv")
        let row = try #require(register.split(whereSeparator: \.isNewline).first { $0.contains(",completion,2015-2,") && $0.contains(",valid,") })
        let fields = row.split(separator: ",").map(String.init)
        let (number, trainee) = (fields[0], fields[1])
        let sessions = try user.ok("session", "list", "2015-2", "--format", "csv").split(whereSeparator: \.isNewline).dropFirst()
            .compactMap { $0.split(separator: ",").first.map(String.init) }
        let history = try user.ok("attendance", "history", "--trainee", trainee, "--format", "csv").split(whereSeparator: \.isNewline)
        let session = try #require(
            sessions.first { s in
                history.contains { $0.split(separator: ",").count > 4 && $0.split(separator: ",")[1] == s && $0.contains(",present,") }
            })
        return (number, trainee, session)
    }

    @Test func aMarkUnderAnIssuedCertificateIsRefusedOnEveryPath() throws {
        let user = try User()
        try user.demo()
        let (number, trainee, session) = try Self.certified(user)
        let before = try user.ok("attendance", "history", session, "--format", "csv")
        // By hand.
        let hand = try user.run(["attend", session, trainee, "--status", "absent"])
        #expect(hand.status == 1 && hand.stderr.contains("holds certificate") && hand.stderr.contains("revoke it first"), "\(hand.stderr)")
        // By sheet: refused at its line.
        let sheet = try user.write("sheet.csv", "session,trainee,status\n\(session),\(trainee),缺勤\n")
        let bySheet = try user.run(["attend", "--csv", sheet])
        #expect(
            bySheet.status == 1 && bySheet.stderr.contains("sheet.csv:2: error:") && bySheet.stderr.contains("holds certificate"), "\(bySheet.stderr)"
        )
        // A change that keeps whether they attended (present to late) is a correction like any other.
        #expect(try user.ok("attend", session, trainee, "--status", "late").contains("1 recorded"))
        #expect(try user.ok("attendance", "history", session, "--format", "csv") != before)
        // The certificate is still valid and whole.
        #expect(try user.ok("certificate", "verify", number).hasPrefix("VALID"))
        try user.ok("check")
        // Revoked first, the mark is taken.
        try user.ok("certificate", "revoke", number, "--reason", "考勤更正", "--cascade")
        #expect(try user.ok("attend", session, trainee, "--status", "absent").contains("1 recorded"))
        try user.ok("check")
    }

    @Test func checkFindsACertificateWhoseRecordsWereChangedOutsideLuban() throws {
        let user = try User()
        try user.demo()
        let (number, trainee, session) = try Self.certified(user)
        // The ledger takes new entries (it is append-only, not closed): one written with sqlite3.
        let sql = """
            INSERT INTO attendance_entry (id, session_id, trainee_id, status, note)
            VALUES ((SELECT max(last_entry) + 1 FROM attendance_batch), \(session), (SELECT id FROM trainee WHERE code = '\(trainee)'), 3, '');
            UPDATE attendance_batch SET last_entry = last_entry + 1 WHERE id = (SELECT max(id) FROM attendance_batch);
            """
        #expect(try NeighbourTests.sqlite3(user.database, sql) == "")
        let check = try user.run(["check"])
        #expect(
            check.status == 1 && check.stdout.contains("PROBLEM: certificate \(number): the records now give"), "\(check.stdout)\n\(check.stderr)")
    }
}
