import Foundation
import GRDB

// MARK: - Printing certificates

extension LubanDatabase {
    /// Register entries chosen by numbers or by cohort.
    public func registerEntries(numbers: [String], cohort: String?) throws(LubanError) -> [RegisterEntry] {
        if let cohort { return try register(cohort: cohort) }
        return try register(numbers: numbers)
    }

    /// The printed text of each entry, signed with `key`.
    public func printed(_ entries: [RegisterEntry], language: CertificateLanguage, showID: Bool, templates: Templates, key: IssuerKey) throws(LubanError) -> [(number: String, text: String)] {
        var out: [(String, String)] = []
        for e in entries {
            let cohorts = try read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM enrolment e WHERE e.trainee_id = ? AND EXISTS (
                        SELECT 1 FROM session s JOIN attendance a ON a.session_id = s.id AND a.trainee_id = e.trainee_id
                        WHERE s.cohort_id = e.cohort_id AND a.status IN ('present', 'late'))
                    """, arguments: [e.trainee.id]) ?? 0
            }
            out.append((e.certificate.number, try CertificateDocument.render(e, language: language, showID: showID, cohortCount: cohorts, templates: templates, key: key)))
        }
        return out
    }
}

extension Export {
    /// Writes one text file per certificate and `register.csv` into `folder`; returns the paths.
    public static func certificates(_ printed: [(number: String, text: String)], register: Table, to folder: String, excel: Bool) throws(LubanError) -> [String] {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        catch { throw .file(path: folder, reason: "cannot create the folder (\(error.localizedDescription))") }
        var paths: [String] = []
        for (name, text) in printed.map({ ($0.number + ".txt", $0.text) }) + [("register.csv", register.csv(excel: excel))] {
            let path = (folder as NSString).appendingPathComponent(name)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
            catch { throw .file(path: path, reason: "cannot be written (\(error.localizedDescription))") }
            paths.append(path)
        }
        return paths
    }
}
