import GRDB

// MARK: - Certificates

/// A certificate with what is needed to print it.
public struct RegisterEntry: Sendable, Equatable {
    public var certificate: Certificate
    public var trainee: Trainee
    public var cohort: Cohort
    public var curriculum: Curriculum
    public var techniques: [String] { certificate.techniques.isEmpty ? [] : certificate.techniques.components(separatedBy: "、") }
    public var tier: Curriculum.Tier? { curriculum.tier(certificate.tier) }
    /// The holder as the certificate was issued to (a later correction of the trainee's
    /// details does not change an issued certificate).
    public var holderName: String { certificate.holderName ?? trainee.name }
    /// Who assessed each technique on the certificate (its lineage, 师承), as the verdicts in
    /// force say: in the certificate's cohort for a cohort tier, in any cohort for a cumulative one.
    public var assessors: [Assessor] = []

    public struct Assessor: Sendable, Equatable {
        public var technique: String
        public var expert: String
    }
    public var holderID: String? { trainee.forgottenOn == nil ? certificate.holderId ?? trainee.idNumber : nil }
}

/// What `certify` did or, in a dry run, would do.
public struct CertifyResult: Sendable, Equatable {
    public var issued: [Certificate] = []
    /// Trainees who get nothing of a tier, with why.
    public var skipped: [Skipped] = []
    public var dryRun = false

    /// Someone who gets nothing of a tier, and why (already holds it, what is missing, erased,
    /// revoked before).
    public struct Skipped: Sendable, Equatable {
        public var trainee: String
        public var name: String
        public var tier: String
        public var reason: Phrase
    }
}

extension LubanDatabase {
    // MARK: Issuer

    /// Records the issuer's public key; a database keeps the one key it started with.
    public func registerIssuer(_ key: IssuerKey) throws(LubanError) {
        try write("issuer key", detail: key.fingerprint) { db in
            if let known = try String.fetchOne(db, sql: "SELECT public_key FROM issuer WHERE id = 1") {
                guard known == key.publicKey else {
                    throw LubanError.issuerKey(
                        path: path.map(IssuerKey.path(forDatabase:)) ?? "(key)",
                        reason: .notTheKey(known, restore: true))
                }
                return
            }
            try db.execute(sql: "INSERT INTO issuer (id, public_key) VALUES (1, ?)", arguments: [key.publicKey])
        }
    }

    /// The issuer's public key as recorded in the database, if any.
    public func issuerPublicKey() throws(LubanError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT public_key FROM issuer WHERE id = 1") }
    }

    // MARK: Certify

    /// Issues, in one transaction, a cohort-tier certificate to each eligible trainee of the
    /// cohort who has none for it, then a cumulative-tier certificate to each of them who has
    /// newly reached that tier. Running it again issues nothing.
    ///
    /// A certificate once revoked is not issued again to the same trainee for the same tier (and
    /// cohort) unless the trainee is in `reissue`: the clerk says so.
    public func certify(cohort code: String, on date: CalendarDate, key: IssuerKey, dryRun: Bool = false, reissue: [String] = [])
        throws(LubanError) -> CertifyResult
    {
        if dryRun {
            if let known = try issuerPublicKey(), known != key.publicKey {
                throw .issuerKey(
                    path: path.map(IssuerKey.path(forDatabase:)) ?? "(key)",
                    reason: .notTheKey(known, restore: false))
            }
        } else {
            try registerIssuer(key)
        }
        let work = { (db: Database) throws -> CertifyResult in
            try Self.requireIntactRegister(key: key, db)
            guard let cohort = try Self.cohort(code, db), let cid = cohort.id else { throw LubanError.unknownCohort(code) }
            guard date >= cohort.endDate else {
                throw LubanError.refused(
                    zh: "签发日期 \(date) 早于期次 \(code) 结束（\(cohort.endDate)）；请在其最后一天 \(cohort.endDate) 或之后认定",
                    en: "issue date \(date) is before cohort \(code) ends (\(cohort.endDate)); certify on or after its last day, \(cohort.endDate)")
            }
            let curriculum = try Self.curriculum(ofCohort: cid, db)
            let (schedule, progress) = try Self.cohortProgress(cohortID: cid, curriculum: curriculum, db)
            var result = CertifyResult(dryRun: dryRun)
            let reissued = Set(
                try reissue.map { ref -> Int64 in
                    guard let t = try Self.trainee(ref, db) else { throw LubanError.unknownTrainee(ref) }
                    return t.id!
                })
            var names: [Int64: (code: String, name: String, erasedOn: String?)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT t.id, t.code, t.name, t.forgotten_on FROM trainee t JOIN enrolment e ON e.trainee_id = t.id WHERE e.cohort_id = ?",
                arguments: [cid])
            {
                names[row[0]] = (row[1], row[2], row[3])
            }
            /// Whether `tid` may be given `tier` now; if not, says why in the result.
            func mayIssue(_ tid: Int64, _ tier: Curriculum.Tier, cohort: Int64?, missing: [Phrase]) throws -> Bool {
                let who = names[tid] ?? (Trainee.code(for: tid), "", nil)
                func skip(_ why: Phrase) -> Bool {
                    result.skipped.append(.init(trainee: who.code, name: who.name, tier: tier.id, reason: why))
                    return false
                }
                if let held = try Self.validCertificate(tier: tier.id, trainee: tid, cohort: cohort, db) {
                    return skip(Phrase(zh: "已持有 \(held)", en: "already holds \(held)"))
                }
                if !missing.isEmpty { return skip(.joined(missing)) }
                if let on = who.erasedOn {
                    return skip(
                        Phrase(zh: "个人信息已于 \(on) 应要求删除；证书上无内容可写", en: "details erased on request on \(on); nothing to put on a certificate"))
                }
                if !reissued.contains(tid), let revoked = try Self.revokedCertificate(tier: tier.id, trainee: tid, cohort: cohort, db) {
                    return skip(
                        Phrase(
                            zh: "\(revoked.number) 已于 \(revoked.on) 撤销（\(revoked.reason)）；只有明确要求时才重新签发",
                            en: "\(revoked.number) was revoked on \(revoked.on) (\(revoked.reason)); it is issued again only when asked for"))
                }
                return true
            }
            let trainees = progress.keys.sorted()
            for tier in curriculum.tiers where tier.scope == .cohort {
                for tid in trainees {
                    let p = progress[tid]!
                    let verdict = Eligibility.cohortTier(tier, progress: p, schedule: schedule)
                    guard try mayIssue(tid, tier, cohort: cid, missing: verdict.eligible ? [] : verdict.missing) else { continue }
                    result.issued.append(
                        try Self.issue(
                            tier: tier, trainee: tid, cohort: cohort, curriculum: curriculum,
                            hours: p.hours, techniques: p.techniquesPassed, date: date, key: key, db))
                }
            }
            let titles = curriculum.tierTitles
            for tier in curriculum.tiers where tier.scope == .cumulative {
                for tid in trainees {
                    let c = try Self.cumulativeProgress(traineeID: tid, curriculum: curriculum, db)
                    let verdict = Eligibility.cumulativeTier(tier, progress: c, tierTitles: titles)
                    guard try mayIssue(tid, tier, cohort: nil, missing: verdict.eligible ? [] : verdict.missing) else { continue }
                    result.issued.append(
                        try Self.issue(
                            tier: tier, trainee: tid, cohort: cohort, curriculum: curriculum,
                            hours: c.hours, techniques: c.techniquesPassed, date: date, key: key, db))
                }
            }
            if !result.issued.isEmpty { try Self.seal(key: key, db) }
            return result
        }
        if dryRun { return try rehearse(work) }
        return try write("certify", detail: Phrase(zh: "\(code)，\(date)", en: "\(code) on \(date)").text()) { db in try work(db) }
    }

    /// The number of the valid certificate of `tier` the trainee holds (for `cohort`, if given).
    static func validCertificate(tier: String, trainee: Int64, cohort: Int64?, _ db: Database) throws -> String? {
        try String.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT number FROM certificate WHERE tier = ?1 AND trainee_id = ?2 AND (?3 IS NULL OR cohort_id = ?3) AND status = 'valid'
                    """), arguments: [tier, trainee, cohort])
    }

    /// The newest revoked certificate of `tier` the trainee held (for `cohort`, if given).
    static func revokedCertificate(tier: String, trainee: Int64, cohort: Int64?, _ db: Database) throws -> (
        number: String, on: String, reason: String
    )? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT number, revoked_on, revoke_reason FROM certificate
                    WHERE tier = ?1 AND trainee_id = ?2 AND (?3 IS NULL OR cohort_id = ?3) AND status = 'revoked' ORDER BY id DESC LIMIT 1
                    """), arguments: [tier, trainee, cohort]
        ).map { ($0[0], $0[1] ?? "?", $0[2] ?? "") }
    }

    /// Takes the next number of the year and inserts the signed certificate, in the caller's transaction.
    static func issue(
        tier: Curriculum.Tier, trainee tid: Int64, cohort: Cohort, curriculum: Curriculum, hours: [SessionKind: Double],
        techniques: [String], date: CalendarDate, key: IssuerKey, _ db: Database
    ) throws -> Certificate {
        guard let trainee = try Trainee.fetchOne(db.cachedStatement(sql: "SELECT * FROM trainee WHERE id = ?"), arguments: [tid]),
            let idNumber = trainee.idNumber
        else {
            throw LubanError.refused(
                zh: "学员 \(Trainee.code(for: tid)) 没有可用于发证的个人信息", en: "trainee \(Trainee.code(for: tid)) has no details to certify")
        }
        try db.execute(
            sql: """
                INSERT INTO certificate_number (year, last_serial) VALUES (?, 1)
                ON CONFLICT (year) DO UPDATE SET last_serial = last_serial + 1
                """, arguments: [date.year])
        let serial =
            try Int.fetchOne(db.cachedStatement(sql: "SELECT last_serial FROM certificate_number WHERE year = ?"), arguments: [date.year]) ?? 1
        let prefix = try Self.certificatePrefix(db, curriculum: curriculum.numberPrefix)
        let number = CertificateNumber(prefix: prefix, year: date.year, serial: serial).description
        let salt = key.holderSalt(for: number)
        let payload = CertificatePayload(
            number: number, tier: tier.id, program: curriculum.id, cohort: cohort.code, trainee: trainee.code,
            holderDigest: CertificatePayload.holderDigest(salt: salt, name: trainee.name, idNumber: idNumber),
            hours: hours, techniques: techniques, issuedOn: date)
        let signature = try key.sign(payload.text)
        try db.execute(
            sql: """
                INSERT INTO certificate (number, tier, trainee_id, cohort_id, issued_on, classroom_hours, field_hours, demonstration_hours,
                                         techniques, holder_salt, payload, signature, holder_name, holder_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, tier.id, tid, cohort.id, date, hours[.classroom] ?? 0, hours[.field] ?? 0, hours[.demonstration] ?? 0,
                techniques.joined(separator: "、"), salt, payload.text, signature, trainee.name, idNumber,
            ])
        guard let certificate = try Certificate.fetchOne(db.cachedStatement(sql: "SELECT * FROM certificate WHERE number = ?"), arguments: [number])
        else {
            throw LubanError.refused(zh: "证书 \(number) 未能存入", en: "certificate \(number) was not stored")
        }
        return certificate
    }

    // MARK: Revoke

    /// Marks a certificate revoked, with the reason; it stays in the register and its number is never used again.
    ///
    /// A certificate that others rest on (a completion certificate under an inheritor
    /// certificate issued since) is refused, naming them, unless `cascade`: then each is revoked
    /// too, with a reason that names the one it rested on. Returns every certificate revoked.
    @discardableResult
    public func revoke(
        number text: String, reason: String, on date: CalendarDate = .today, key: IssuerKey, cascade: Bool = false,
        publicReason: PublicRevocationReason? = nil
    )
        throws(LubanError) -> [Certificate]
    {
        let number = try Self.checkedNumber(text)
        guard !reason.trimmed.isEmpty else {
            throw .invalidValue(
                what: "reason", text: reason,
                expected: Phrase(zh: "撤销原因，例如“考勤录入了两次”", en: "why the certificate is revoked, e.g. \"attendance entered twice\""))
        }
        try FieldText.check(reason, what: "reason")
        return try write("certificate revoke", detailOf: { (r: [Certificate]) in r.map(\.number).joined(separator: ", ") + ": \(reason)" }) { db in
            try Self.requireIntactRegister(key: key, db)
            guard let c = try Certificate.fetchOne(db.cachedStatement(sql: "SELECT * FROM certificate WHERE number = ?"), arguments: [number]) else {
                throw LubanError.unknownCertificate(number)
            }
            guard c.status == .valid else {
                throw LubanError.conflict(
                    zh: "证书 \(number) 已于 \(c.revokedOn?.description ?? "?") 撤销（\(c.revokeReason ?? "")）",
                    en: "certificate \(number) was already revoked on \(c.revokedOn?.description ?? "?") (\(c.revokeReason ?? ""))")
            }
            let dependents = try Self.dependents(of: c, db)
            if !dependents.isEmpty && !cascade {
                let names = dependents.map(\.number).joined(separator: ", ")
                throw LubanError.restsOn(
                    dependents[0].number,
                    zh: "\(names) 以 \(number) 为依据；请一并撤销（连带撤销），或先撤销前者",
                    en: "\(names) rests on \(number); revoke both (cascade), or revoke \(dependents.count == 1 ? "it" : "them") first"
                )
            }
            var revoked: [Certificate] = []
            for (certificate, why) in [(c, reason)] + dependents.map({ ($0, "rests on \(number), revoked: \(reason)") }) {
                let signature = try key.sign(RevocationStatement(number: certificate.number, revokedOn: date, reason: why).text)
                try db.execute(
                    sql: """
                        UPDATE certificate SET status = 'revoked', revoked_on = ?, revoke_reason = ?, revocation_signature = ?, public_reason = ?
                        WHERE id = ?
                        """,
                    arguments: [date, why, signature, publicReason?.rawValue, certificate.id])
                revoked.append(try Certificate.fetchOne(db, key: certificate.id)!)
            }
            try Self.seal(key: key, db)
            return revoked
        }
    }

    /// The valid cumulative-tier certificates of the same holder issued on or after `c`, when
    /// `c` is of a tier that cumulative tiers count: they rest on it.
    static func dependents(of c: Certificate, _ db: Database) throws -> [Certificate] {
        let curriculum = try curriculum(ofCohort: c.cohortId, db)
        let counted = Set(curriculum.tiers.compactMap { $0.rules.certificates?.tier })
        guard counted.contains(c.tier) else { return [] }
        let cumulative = curriculum.tiers.filter { $0.scope == .cumulative }.map(\.id)
        return try Certificate.fetchAll(
            db,
            sql: """
                SELECT * FROM certificate WHERE trainee_id = ? AND status = 'valid' AND id != ? AND issued_on >= ?
                  AND tier IN (\(cumulative.map { _ in "?" }.joined(separator: ", "))) ORDER BY id
                """, arguments: StatementArguments([c.traineeId, c.id] as [any DatabaseValueConvertible] + [c.issuedOn.description] + cumulative))
    }

    static func checkedNumber(_ text: String) throws(LubanError) -> String {
        switch CertificateNumber.parse(text) {
        case .success(let n): return n.description
        case .failure(let problem): throw .refused(problem.phrase)
        }
    }

    // MARK: Seal

    /// The register as it stands.
    static func currentSeal(_ db: Database) throws -> RegisterSeal {
        RegisterSeal(
            certificates: try Int.fetchOne(db, sql: "SELECT count(*) FROM certificate") ?? 0,
            revoked: try String.fetchAll(db, sql: "SELECT number FROM certificate WHERE status = 'revoked' ORDER BY number"))
    }

    /// Signs the register as it stands, in the caller's transaction.
    static func seal(key: IssuerKey, _ db: Database) throws {
        let text = try currentSeal(db).text
        try db.execute(
            sql: "INSERT OR REPLACE INTO register_seal (id, statement, signature) VALUES (1, ?, ?)",
            arguments: [text, try key.sign(text)])
    }

    /// What is wrong with the register as a whole, judged by `publicKey`: its seal is missing,
    /// not signed by that key, or no longer matches the certificates.
    static func sealProblems(publicKey: String, _ db: Database) throws -> [Phrase] {
        let current = try currentSeal(db)
        guard let row = try Row.fetchOne(db, sql: "SELECT statement, signature FROM register_seal WHERE id = 1") else {
            return current.certificates == 0
                ? []
                : [
                    Phrase(
                        zh: "登记簿没有封印（证书由早期版本的 luban 签发，或封印被删除）；如登记簿无误，由签发方按现状加封",
                        en:
                            "the register has no seal (certificates issued by an earlier luban, or the seal was removed); if the register is as it should be, the issuer seals it as it stands"
                    )
                ]
        }
        let statement: String = row[0]
        let signature: String = row[1]
        var problems: [Phrase] = []
        if !IssuerKey.verify(signature: signature, of: statement, publicKey: publicKey) {
            problems.append(Phrase(zh: "登记簿的封印不是由签发密钥签名的", en: "the register's seal is not signed by the issuer key"))
        }
        if statement != current.text {
            let sealed = Dictionary(CertificatePayload.fields(of: statement).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            problems.append(
                Phrase(
                    zh: "登记簿与封印不再相符：封印时 \(sealed["certificates"] ?? "?") 张证书、撤销 \(sealed["revoked"] ?? "?")，"
                        + "现在 \(current.certificates) 张、撤销 \(current.revoked.count) 张（有证书被手工删除、添加或取消撤销）",
                    en:
                        "the register no longer matches its seal: sealed \(sealed["certificates"] ?? "?") certificates with \(sealed["revoked"] ?? "?") revoked, "
                        + "now \(current.certificates) with \(current.revoked.count) revoked (a certificate was removed, added or un-revoked by hand)"
                ))
        }
        return problems
    }

    /// Refuses to sign anything more while the register fails its checks, so that the issuer
    /// key never seals a register that was changed by hand.
    static func requireIntactRegister(key: IssuerKey, _ db: Database) throws {
        if let known = try String.fetchOne(db, sql: "SELECT public_key FROM issuer WHERE id = 1"), known != key.publicKey {
            throw LubanError.issuerKey(
                path: "(key file)",
                reason: .notTheKey(IssuerKey.fingerprint(ofPublicKey: known) ?? known, restore: true))
        }
        let problems = try sealProblems(publicKey: key.publicKey, db)
        guard problems.isEmpty else {
            let all = Phrase.joined(problems)
            throw LubanError.refused(
                zh: "证书登记簿未通过检查，因此不再签署任何内容：\(all.zh)；请查看登记簿检查",
                en: "the certificate register fails its checks, so nothing more is signed: \(all.en); see the register check")
        }
    }

    /// Seals the register as it stands (after an upgrade from a luban without seals): signs
    /// every revocation that has no signature yet, then the seal. Returns how many revocations
    /// were signed.
    public func sealRegister(key: IssuerKey) throws(LubanError) -> Int {
        try registerIssuer(key)
        return try write("issuer seal", detail: Phrase(zh: "当前登记册", en: "the register as it stands").text()) { db in
            let unsigned = try Certificate.fetchAll(db, sql: "SELECT * FROM certificate WHERE status = 'revoked' AND revocation_signature IS NULL")
            for c in unsigned {
                let statement = RevocationStatement(number: c.number, revokedOn: c.revokedOn ?? c.issuedOn, reason: c.revokeReason ?? "")
                try db.execute(
                    sql: "UPDATE certificate SET revoked_on = ?, revocation_signature = ? WHERE id = ?",
                    arguments: [statement.revokedOn, try key.sign(statement.text), c.id])
            }
            try Self.seal(key: key, db)
            return unsigned.count
        }
    }

    // MARK: Register

    /// Certificates by number, in the order given.
    public func register(numbers: [String]) throws(LubanError) -> [RegisterEntry] {
        var out: [RegisterEntry] = []
        for text in numbers {
            let number = try Self.checkedNumber(text)
            let entries = try registerEntries(sql: "WHERE c.number = ?", arguments: [number])
            guard let entry = entries.first else { throw .unknownCertificate(number) }
            out.append(entry)
        }
        return out
    }

    /// Certificates of a cohort (or all), in number order.
    public func register(cohort code: String? = nil) throws(LubanError) -> [RegisterEntry] {
        if let code {
            let cohort = try cohort(code)
            return try registerEntries(sql: "WHERE c.cohort_id = ?", arguments: [cohort.id])
        }
        return try registerEntries(sql: "", arguments: [])
    }

    /// The verdicts in force that passed a trainee's techniques (in one cohort, or any), oldest first.
    func assessorsStatement(_ db: Database) throws -> Statement {
        try db.cachedStatement(
            sql: """
                SELECT s.technique, s.expert FROM signoff s
                WHERE s.trainee_id = ?1 AND (?2 IS NULL OR s.cohort_id = ?2) AND s.result = 'pass' AND s.voided_on IS NULL
                  AND s.id = (SELECT max(id) FROM signoff l WHERE l.cohort_id = s.cohort_id AND l.trainee_id = s.trainee_id
                              AND l.technique = s.technique AND l.voided_on IS NULL)
                ORDER BY s.id
                """)
    }

    /// Every certificate of one trainee, in number order.
    public func register(trainee reference: String) throws(LubanError) -> [RegisterEntry] {
        let t = try trainee(reference)
        return try registerEntries(sql: "WHERE c.trainee_id = ?", arguments: [t.id])
    }

    func registerEntries(sql filter: String, arguments: StatementArguments) throws(LubanError) -> [RegisterEntry] {
        try read { db in
            var curricula: [String: Curriculum] = [:]
            var cohorts: [Int64: Cohort] = [:]
            return try Certificate.fetchAll(
                db.cachedStatement(sql: "SELECT c.* FROM certificate c \(filter) ORDER BY c.issued_on, c.id"), arguments: arguments
            ).map { c in
                if cohorts[c.cohortId] == nil { cohorts[c.cohortId] = try Cohort.fetchOne(db, key: c.cohortId) }
                let cohort = cohorts[c.cohortId]!
                let key = "\(cohort.curriculumId)#\(cohort.curriculumRevision ?? 0)"
                if curricula[key] == nil { curricula[key] = try Self.curriculum(ofCohort: c.cohortId, db) }
                guard let trainee = try Trainee.fetchOne(db, key: c.traineeId) else { throw LubanError.unknownTrainee(String(c.traineeId)) }
                var entry = RegisterEntry(certificate: c, trainee: trainee, cohort: cohort, curriculum: curricula[key]!)
                let cumulative = entry.tier?.scope == .cumulative
                let byTechnique = Dictionary(
                    try Row.fetchAll(
                        assessorsStatement(db),
                        arguments: [c.traineeId, cumulative ? nil : c.cohortId]
                    ).map { ($0[0] as String, $0[1] as String) }, uniquingKeysWith: { _, newest in newest })
                entry.assessors = entry.techniques.compactMap { t in byTechnique[t].map { RegisterEntry.Assessor(technique: t, expert: $0) } }
                return entry
            }
        }
    }
}

/// What `certify` issued (or would issue), and who gets nothing and why: for the command and
/// the office's web page alike.
public enum CertifyReport {
    public static func table(_ r: CertifyResult, _ database: LubanDatabase) -> Table {
        var rows: [[Cell]] = []
        // A tier as people read it: its title from the curriculum (its id in csv and json).
        let titles = database.tierTitles()
        func tier(_ id: String) -> Cell { .word(id, zh: titles[id] ?? id) }
        for c in r.issued {
            let code = Trainee.code(for: c.traineeId)
            rows.append([.text(code), .text((try? database.trainee(code).name) ?? ""), tier(c.tier), .text(c.number), .text("")])
        }
        for s in r.skipped { rows.append([.text(s.trainee), .text(s.name), tier(s.tier), .text(""), .text(s.reason.text())]) }
        return Table(
            columns: [
                .init("trainee", "学员 trainee"), .init("name", "姓名 name"), .init("tier", "等级 tier"), .init("certificate", "证书 certificate"),
                .init("why_not", "原因 why not"),
            ], rows: rows)
    }
}

// MARK: - Writing the register (its owner: every write of `certificate`, `certificate_number`, `issuer`, `register_seal`)

extension Certificate {
    /// Erases what a forgotten person's certificates say of them: the holder's name and ID
    /// number, and the salt of the signed holder digest (with it, a digest and a guessed name
    /// could still be tried against every possible ID number). In the caller's transaction.
    static func eraseHolder(traineeID: Int64, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE certificate SET holder_salt = '', holder_name = NULL, holder_id = NULL WHERE trainee_id = ?", arguments: [traineeID])
    }
}
