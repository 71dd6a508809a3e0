import Foundation
import GRDB

// MARK: - An expert (a master who teaches, demonstrates and assesses)

/// A registered expert: a code (`E007`), a name, and what the office knows of them. Sessions
/// and sign-offs name experts by reference, so `张宝山` and `张宝山 ` are one person.
public struct Expert: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public var id: Int64?
    public var code: String
    public var name: String
    public var title: String?
    public var craft: String?
    public var affiliation: String?
    public var phone: String?
    /// The techniques the expert assesses, separated by `、` (empty: any).
    public var techniques: String

    public static let databaseTableName = "expert"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var techniqueList: [String] { techniques.isEmpty ? [] : techniques.components(separatedBy: "、") }

    /// The code of the expert with row id `id`: `E007`.
    public static func code(for id: Int64) -> String {
        let digits = String(id)
        return "E" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// A name as luban compares names: without any white space.
    static func key(_ name: String) -> String { String(name.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)) }
}

/// What `expert add` and `expert edit` take.
public struct ExpertDetails: Sendable, Equatable {
    public var name: String?
    public var title: String?
    public var craft: String?
    public var affiliation: String?
    public var phone: String?
    public var techniques: [String]?

    public init(
        name: String? = nil, title: String? = nil, craft: String? = nil, affiliation: String? = nil, phone: String? = nil,
        techniques: [String]? = nil
    ) {
        self.name = name
        self.title = title
        self.craft = craft
        self.affiliation = affiliation
        self.phone = phone
        self.techniques = techniques
    }
}

extension LubanDatabase {
    /// Registers an expert, with the checks a trainee's details get; prints as `E007`.
    @discardableResult
    public func addExpert(_ details: ExpertDetails) throws(LubanError) -> Expert {
        guard let name = details.name?.trimmed, !name.isEmpty else {
            throw .invalidValue(what: "name", text: details.name ?? "", expected: Phrase(zh: "专家姓名，例如 张宝山", en: "the expert's name, e.g. 张宝山"))
        }
        var expert = Expert(id: nil, code: "", name: name, title: nil, craft: nil, affiliation: nil, phone: nil, techniques: "")
        try Self.apply(details, to: &expert)
        return try write("expert add", detailOf: { (e: Expert) in e.code }) { db in
            if let same = try Self.expert(named: expert.name, db) {
                throw LubanError.conflict(
                    zh: "专家 \(same.code) 已是 \(same.name)；同一人只登记一次", en: "expert \(same.code) is already \(same.name); one person is registered once")
            }
            try Self.checkTechniques(expert.techniqueList, db)
            let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM expert") ?? 1
            expert.id = next
            expert.code = Expert.code(for: next)
            try expert.insert(db)
            return expert
        }
    }

    /// Corrects an expert's details (a new name is carried to their sessions and sign-offs).
    @discardableResult
    public func editExpert(_ reference: String, _ details: ExpertDetails) throws(LubanError) -> Expert {
        let before = try expert(reference)
        var after = before
        try Self.apply(details, to: &after)
        guard after != before else { throw .nothingToChange(before.code) }
        let changed = ["name", "title", "craft", "affiliation", "phone", "techniques"].filter { field in
            switch field {
            case "name": return before.name != after.name
            case "title": return before.title != after.title
            case "craft": return before.craft != after.craft
            case "affiliation": return before.affiliation != after.affiliation
            case "phone": return before.phone != after.phone
            default: return before.techniques != after.techniques
            }
        }
        return try write("expert edit", detail: "\(before.code): " + Phrase.fieldList(changed)) { db in
            if after.name != before.name, let same = try Self.expert(named: after.name, db), same.id != before.id {
                throw LubanError.conflict(
                    zh: "专家 \(same.code) 已是 \(same.name)；同一人只登记一次", en: "expert \(same.code) is already \(same.name); one person is registered once")
            }
            try Self.checkTechniques(after.techniqueList, db)
            try after.update(db)
            try Session.renameExpert(after.id!, to: after.name, db)
            try SignOff.renameExpert(after.id!, to: after.name, db)
            return after
        }
    }

    static func apply(_ d: ExpertDetails, to e: inout Expert) throws(LubanError) {
        if let name = d.name { e.name = try FieldText.oneLine(name, what: "name").trimmed }
        if let v = d.title { e.title = try FieldText.oneLine(v, what: "title").nilIfBlank }
        if let v = d.craft { e.craft = try FieldText.oneLine(v, what: "craft").nilIfBlank }
        if let v = d.affiliation { e.affiliation = try FieldText.oneLine(v, what: "affiliation").nilIfBlank }
        if let v = d.phone {
            if v.trimmed.isEmpty {
                e.phone = nil
            } else {
                switch FieldText.phone(v) {
                case .success(let p): e.phone = p
                case .failure(let p): throw .refused(p.phrase)
                }
            }
        }
        if let list = d.techniques {
            e.techniques = try list.map { t throws(LubanError) in try FieldText.oneLine(t, what: "technique").trimmed }.filter { !$0.isEmpty }
                .joined(separator: "、")
        }
    }

    /// Every technique must be one some loaded curriculum has.
    static func checkTechniques(_ techniques: [String], _ db: Database) throws {
        guard !techniques.isEmpty else { return }
        let known = Set(try String.fetchAll(db, sql: "SELECT definition FROM curriculum").flatMap { try decodeCurriculum($0).techniques })
        if let unknown = techniques.first(where: { !known.contains($0) }) {
            throw LubanError.unknownTechnique(unknown, known: known.sorted())
        }
    }

    /// The expert with `code` (`E7` too) or with `name` (white space aside).
    public func expert(_ reference: String) throws(LubanError) -> Expert {
        guard let e = try read({ db in try Self.expert(reference, db) }) else {
            throw .unknownExpert(reference, suggestions: try suggestExperts(reference))
        }
        return e
    }

    static func expert(_ reference: String, _ db: Database) throws -> Expert? {
        let t = reference.trimmed
        if t.first == "E" || t.first == "e", let id = Bytes.integer(Array(t.utf8.dropFirst())), id > 0,
            let e = try Expert.fetchOne(db, key: id)
        {
            return e
        }
        return try expert(named: t, db)
    }

    static func expert(named name: String, _ db: Database) throws -> Expert? {
        let key = Expert.key(name)
        guard !key.isEmpty else { return nil }
        // The registered name exactly (the usual case, by its index), else any that differs
        // only by white space.
        if let exact = try Expert.fetchOne(db.cachedStatement(sql: "SELECT * FROM expert WHERE name = ?"), arguments: [name.trimmed]) { return exact }
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, name FROM expert"))
        while let row = try rows.next() {
            if Expert.key(row[1]) == key { return try Expert.fetchOne(db, key: row[0] as Int64) }
        }
        return nil
    }

    /// Every registered expert, by code.
    public func experts() throws(LubanError) -> [Expert] {
        try read { db in try Expert.order(Column("id")).fetchAll(db) }
    }

    /// The registered names closest to `text` (sharing the most characters), at most three.
    func suggestExperts(_ text: String) throws(LubanError) -> [String] {
        let wanted = Set(Expert.key(text))
        let all = try experts()
        return all.map { e in (e, Set(Expert.key(e.name)).intersection(wanted).count) }.filter { $0.1 > 0 }
            .sorted { $0.1 > $1.1 }.prefix(3).map { "\($0.0.name) (\($0.0.code))" }
    }

    /// The registered name an expert cell or argument means: "" stays "" (no expert); a code or
    /// a registered name gives the registered name; an unknown name is registered when `add`,
    /// and refused otherwise, with the closest registered names suggested.
    static func expertName(_ raw: String, add: Bool, _ db: Database) throws -> String {
        let t = raw.trimmed
        if t.isEmpty { return "" }
        if let e = try expert(t, db) { return e.name }
        guard add else {
            let wanted = Set(Expert.key(t))
            let suggestions = try Expert.fetchAll(db, sql: "SELECT * FROM expert ORDER BY id")
                .map { e in (e, Set(Expert.key(e.name)).intersection(wanted).count) }.filter { $0.1 > 0 }
                .sorted { $0.1 > $1.1 }.prefix(3).map { "\($0.0.name) (\($0.0.code))" }
            throw LubanError.unknownExpert(t, suggestions: suggestions)
        }
        let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM expert") ?? 1
        let name = try FieldText.oneLine(t, what: "expert")
        try db.execute(sql: "INSERT INTO expert (id, code, name) VALUES (?, ?, ?)", arguments: [next, Expert.code(for: next), name])
        return name
    }
}

/// Expert names as a file writes them → the registered expert, looked up once a name for the
/// rows of one import (sessions and sign-offs name an expert on every row).
final class ExpertCache {
    private var known: [String: (name: String, expert: Expert?)] = [:]

    /// The registered name (see `expertName`) and record of the expert `raw` names.
    func resolve(_ raw: String, add: Bool, _ db: Database) throws -> (name: String, expert: Expert?) {
        if let found = known[raw] { return found }
        let name = try LubanDatabase.expertName(raw, add: add, db)
        let resolved = (name, name.isEmpty ? nil : try LubanDatabase.expert(named: name, db))
        known[raw] = resolved
        return resolved
    }
}
