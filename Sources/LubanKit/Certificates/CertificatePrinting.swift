import Foundation
import GRDB

// MARK: - Printing certificates

extension LubanDatabase {
    /// Register entries chosen by numbers or by cohort.
    public func registerEntries(numbers: [String], cohort: String?) throws(LubanError) -> [RegisterEntry] {
        if let cohort { return try register(cohort: cohort) }
        return try register(numbers: numbers)
    }

    /// The printed text of each entry, signed with `key`. The key signs only what the register
    /// says was issued: an entry changed by hand, a register that no longer matches its seal, or
    /// a key that is not the register's is refused, naming the certificate and what differs.
    /// A holder erased on request has nothing to print: refused, naming the date.
    public func printed(_ entries: [RegisterEntry], language: CertificateLanguage, showID: Bool, templates: Templates, key: IssuerKey)
        throws(LubanError) -> [(number: String, text: String)]
    {
        try printable(entries, key: key).map { (e, cohorts) throws(LubanError) in
            (
                e.certificate.number,
                try CertificateDocument.render(e, language: language, showID: showID, cohortCount: cohorts, templates: templates, key: key)
            )
        }
    }

    /// Writes each entry as a PDF (`NUMBER.pdf`) into `folder`, under the same rules as
    /// `printed`; returns the paths.
    public func printedPDFs(
        _ entries: [RegisterEntry], language: CertificateLanguage, templates: Templates, key: IssuerKey, folder: String, showID: Bool = false
    )
        throws(LubanError) -> [String]
    {
        let ready = try printable(entries, key: key)
        try OutputFile.makeFolder(folder)
        return try ready.map { (e, cohorts) throws(LubanError) in
            let path = (folder as NSString).appendingPathComponent(e.certificate.number + ".pdf")
            try OutputFile.replacing(path) { (temporary: String) throws(LubanError) in
                try CertificatePDF.write(
                    e, to: temporary, language: language, cohortCount: cohorts, templates: templates, key: key, showID: showID)
            }
            return path
        }
    }

    /// The entries the key may sign now, each with the number of cohorts its holder attended.
    func printable(_ entries: [RegisterEntry], key: IssuerKey) throws(LubanError) -> [(RegisterEntry, Int)] {
        try read { db in try Self.requireIntactRegister(key: key, db) }
        var out: [(RegisterEntry, Int)] = []
        for e in entries {
            let number = e.certificate.number
            if let on = e.trainee.forgottenOn {
                throw .refused(
                    zh: "\(number)：持证人信息已于 \(on) 应要求删除，没有可打印的内容；该证书仍可凭编号验证",
                    en:
                        "\(number): the holder's details were erased on request on \(on), so there is nothing to print; the certificate can still be verified by its number"
                )
            }
            let problems = Verification.registerProblems(e, publicKey: key.publicKey)
            guard problems.isEmpty else {
                let all = Phrase.joined(problems)
                throw .refused(
                    zh: "\(number) 未打印：\(all.zh)；签发密钥只签署已签发的内容（见登记簿检查）",
                    en: "\(number) is not printed: \(all.en); the issuer key signs only what was issued (see the register check)"
                )
            }
            let cohorts = try read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM enrolment e WHERE e.trainee_id = ? AND EXISTS (
                            SELECT 1 FROM session s JOIN attended a ON a.session_id = s.id AND a.trainee_id = e.trainee_id
                            WHERE s.cohort_id = e.cohort_id)
                        """, arguments: [e.trainee.id]) ?? 0
            }
            out.append((e, cohorts))
        }
        return out
    }
}

extension Export {
    /// Writes one text file per certificate and `register.csv` into `folder`; returns the paths.
    public static func certificates(_ printed: [(number: String, text: String)], register: Table, to folder: String, excel: Bool) throws(LubanError)
        -> [String]
    {
        try OutputFile.makeFolder(folder)
        var paths: [String] = []
        for (name, text) in printed.map({ ($0.number + ".txt", $0.text) }) + [("register.csv", register.csv(excel: excel))] {
            let path = (folder as NSString).appendingPathComponent(name)
            try OutputFile.write(text, to: path)
            paths.append(path)
        }
        return paths
    }
}
