import Foundation
import GRDB

// MARK: - Curricula

/// What loading a curriculum file did.
public enum CurriculumLoadOutcome: Equatable, Sendable {
    case added
    case unchanged
    case updated(revision: Int)
}

/// A loaded curriculum with its bookkeeping.
public struct LoadedCurriculum: Sendable {
    public var curriculum: Curriculum
    public var revision: Int
    public var loadedAt: String
}

extension LubanDatabase {
    static let curriculumEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static let curriculumDecoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    /// Adds or updates a definition. Loading the same definition again changes nothing; an
    /// edited one becomes the next revision. Issued certificates carry their own copy of what
    /// they say, so no edit rewrites them.
    @discardableResult
    public func loadCurriculum(_ curriculum: Curriculum, source: String) throws(LubanError) -> CurriculumLoadOutcome {
        let json: String
        do { json = String(decoding: try Self.curriculumEncoder.encode(curriculum), as: UTF8.self) } catch {
            throw .refused(zh: "无法存储培训方案 \(curriculum.id)：\(error)", en: "cannot store curriculum \(curriculum.id): \(error)")
        }
        let existing = try read { db in
            try Row.fetchOne(db, sql: "SELECT definition, revision FROM curriculum WHERE id = ?", arguments: [curriculum.id])
        }
        if let existing, existing["definition"] as String == json { return .unchanged }
        let revision = (existing?["revision"] as Int? ?? 0) + 1
        return try write(
            "curriculum load", detail: Phrase(zh: "\(curriculum.id) 第 \(revision) 版", en: "\(curriculum.id) revision \(revision)").text()
        ) { db in
            try db.execute(
                sql: """
                    INSERT INTO curriculum (id, title, definition, source, revision, loaded_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET title = excluded.title, definition = excluded.definition,
                        source = excluded.source, revision = excluded.revision, loaded_at = excluded.loaded_at
                    """, arguments: [curriculum.id, curriculum.title, json, source, revision, Timestamp.now()])
            try db.execute(
                sql: "INSERT INTO curriculum_revision (curriculum_id, revision, definition, source, loaded_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [curriculum.id, revision, json, source, Timestamp.now()])
            return existing == nil ? .added : .updated(revision: revision)
        }
    }

    /// Every loaded curriculum, by id.
    public func curricula() throws(LubanError) -> [LoadedCurriculum] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT definition, revision, loaded_at FROM curriculum ORDER BY id").map { row in
                LoadedCurriculum(curriculum: try Self.decodeCurriculum(row["definition"]), revision: row["revision"], loadedAt: row["loaded_at"])
            }
        }
    }

    /// The curriculum `id`, or an error that says how to load it.
    public func curriculum(_ id: String) throws(LubanError) -> Curriculum {
        guard let found = try curricula().first(where: { $0.curriculum.id == id }) else { throw .unknownCurriculum(id) }
        return found.curriculum
    }

    static func decodeCurriculum(_ json: String) throws -> Curriculum {
        try curriculumDecoder.decode(Curriculum.self, from: Data(json.utf8))
    }

    /// The curriculum of cohort row `cohortId`, in the revision the cohort follows.
    static func curriculum(ofCohort cohortId: Int64, _ db: Database) throws -> Curriculum {
        guard
            let json = try String.fetchOne(
                db,
                sql: """
                    SELECT r.definition FROM cohort h JOIN curriculum_revision r ON r.curriculum_id = h.curriculum_id AND r.revision = h.curriculum_revision
                    WHERE h.id = ?
                    """, arguments: [cohortId])
        else { throw LubanError.refused(zh: "期次 \(cohortId) 没有培训方案", en: "cohort \(cohortId) has no curriculum") }
        return try decodeCurriculum(json)
    }

    /// Moves a cohort to another revision of its curriculum, on purpose: its rules become that
    /// revision's. Refused while the cohort has certificates issued under the rules it has.
    public func setCurriculumRevision(cohort code: String, revision: Int) throws(LubanError) -> Cohort {
        let cohort = try cohort(code)
        guard cohort.curriculumRevision != revision else {
            throw .conflict(zh: "期次 \(cohort.code) 已采用第 \(revision) 版", en: "cohort \(cohort.code) already follows revision \(revision)")
        }
        return try write(
            "cohort set-curriculum",
            detail: Phrase(
                zh: "\(cohort.code)：\(cohort.curriculumId) 第 \(cohort.curriculumRevision ?? 0) 版 → 第 \(revision) 版",
                en: "\(cohort.code): \(cohort.curriculumId) revision \(cohort.curriculumRevision ?? 0) → \(revision)"
            ).text()
        ) { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM curriculum_revision WHERE curriculum_id = ? AND revision = ?)",
                    arguments: [cohort.curriculumId, revision]) == true
            else {
                let known = try Int.fetchAll(
                    db, sql: "SELECT revision FROM curriculum_revision WHERE curriculum_id = ? ORDER BY 1", arguments: [cohort.curriculumId])
                let revisions = known.map(String.init).joined(separator: ", ")
                throw LubanError.refused(
                    zh: "培训方案 \(cohort.curriculumId) 没有第 \(revision) 版；已有版本：\(revisions)",
                    en: "curriculum \(cohort.curriculumId) has no revision \(revision); its revisions: \(revisions)")
            }
            if let issued = try Self.certificatesIssued(cohortID: cohort.id!, db).first {
                throw LubanError.restsOn(
                    issued,
                    zh: "期次 \(cohort.code) 已按其规则签发证书（\(issued) …）；更改规则前请先撤销这些证书",
                    en: "cohort \(cohort.code) has certificates issued under its rules (\(issued) …); revoke them before changing the rules")
            }
            try Cohort.pin(cohortID: cohort.id!, toRevision: revision, db)
            return try Cohort.fetchOne(db, key: cohort.id)!
        }
    }
}

extension LubanDatabase {
    /// Every tier's title (`结业证书`) by its id (`completion`), from the curricula loaded: a
    /// tier as people read it.
    public func tierTitles() -> [String: String] {
        ((try? curricula()) ?? []).reduce(into: [String: String]()) { all, loaded in
            all.merge(loaded.curriculum.tierTitles) { first, _ in first }
        }
    }
}
