import Foundation
import Yams

// MARK: - Reading a definition file

/// Reads a curriculum from YAML, checking every key and value, and says where a mistake is:
/// `Curriculum/luban.yaml:23: error: kind 'lecture' is not one of classroom, field, demonstration`.
public enum CurriculumLoader {
    /// Parses the file at `path`.
    public static func load(path: String) throws(LubanError) -> (Curriculum, source: String) {
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maxFileBytes {
            throw .file(
                path: path,
                reason: Phrase(
                    zh: "有 \(Int(info.st_size) / 1024) KiB；培训方案是几 KiB 的 YAML，最多读取 \(maxFileBytes / 1024 / 1024) MiB",
                    en: "is \(Int(info.st_size) / 1024) KiB; a curriculum is a few KiB of YAML and at most \(maxFileBytes / 1024 / 1024) MiB is read")
            )
        }
        guard let text = String(bytes: try InputFile.bytes(path), encoding: .utf8) else {
            throw .file(path: path, reason: Phrase(zh: "不是 UTF-8 文本；请存为 UTF-8", en: "is not UTF-8 text; save it as UTF-8"))
        }
        return (try parse(text, file: path), text)
    }

    /// The largest curriculum file read, and the most values (keys, items, scalars) it may expand to.
    static let maxFileBytes = 2 * 1024 * 1024
    static let maxValues = 20_000

    /// Counts `node`'s values against `budget` (and its text against the byte limit), stopping
    /// as soon as either runs out.
    static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar(let s):
            budget -= s.string.utf8.count / 512  // long text counts too: 2 MiB is about 4,000 values
            return budget >= 0
        case .mapping(let m):
            for (k, v) in m { guard fits(k, budget: &budget), fits(v, budget: &budget) else { return false } }
            return true
        case .sequence(let q):
            for v in q { guard fits(v, budget: &budget) else { return false } }
            return true
        case .alias:
            return false
        }
    }

    /// Parses YAML `text`; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(LubanError) -> Curriculum {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw fail(file, line(of: error), Phrase(zh: "不是有效的 YAML：\(summary(of: error))", en: "not valid YAML: \(summary(of: error))"))
        } catch {
            throw fail(file, 1, Phrase(zh: "不是有效的 YAML：\(error)", en: "not valid YAML: \(error)"))
        }
        guard let root else {
            throw fail(file, 1, Phrase(zh: "文件是空的；各个键见 Curriculum/README.md", en: "the file is empty; see Curriculum/README.md for the keys"))
        }
        // Anchors and aliases let a small file stand for an enormous one (a 122 KB file once
        // became a 300 MB database): count what the file expands to and stop early.
        var budget = maxValues
        guard fits(root, budget: &budget) else {
            throw fail(
                file, 1,
                Phrase(
                    zh: "文件展开后超过 \(maxValues) 个值（YAML 锚点和别名，& 和 *？）；培训方案只有几百个值：请逐个写出",
                    en:
                        "the file expands to more than \(maxValues) values (YAML anchors and aliases, & and *?); a curriculum has a few hundred: write each value out"
                ))
        }
        let r = try Mapping(
            root, file: file, what: Phrase(zh: "文件", en: "the file"),
            keys: ["id", "title", "title_en", "organisations", "number_prefix", "courses", "techniques", "tiers"])
        let id = try r.string("id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), id.unicodeScalars.allSatisfy(\.isASCII) else {
            throw fail(file, r.line("id"), Phrase(zh: "id“\(id)”只能用 ASCII 字母、数字、- 和 _", en: "id '\(id)' may use only ASCII letters, digits, - and _"))
        }
        let prefix = try r.string("number_prefix")
        guard !prefix.isEmpty, prefix.count <= 6, prefix.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw fail(
                file, r.line("number_prefix"),
                Phrase(zh: "number_prefix“\(prefix)”须是 1 到 6 个大写字母 A-Z", en: "number_prefix '\(prefix)' must be 1 to 6 capital letters A-Z"))
        }
        var courses: [Curriculum.Course] = []
        for node in try r.list("courses") {
            let c = try Mapping(
                node, file: file, what: Phrase(zh: "课程", en: "a course"), keys: ["code", "title", "title_en", "kind", "planned_hours"])
            let code = try c.string("code")
            if courses.contains(where: { $0.code == code }) {
                throw fail(file, c.line("code"), Phrase(zh: "课程编号“\(code)”出现了两次", en: "course code '\(code)' appears twice"))
            }
            let kindText = try c.string("kind")
            guard let kind = SessionKind(rawValue: kindText) else {
                throw fail(
                    file, c.line("kind"),
                    Phrase(
                        zh: "kind“\(kindText)”不是 classroom、field、demonstration 之一",
                        en: "kind '\(kindText)' is not one of classroom, field, demonstration"))
            }
            let hours = try c.number("planned_hours")
            guard hours > 0 else {
                throw fail(file, c.line("planned_hours"), Phrase(zh: "planned_hours 须大于 0", en: "planned_hours must be more than 0"))
            }
            courses.append(
                .init(code: code, title: try c.string("title"), titleEn: try c.optionalString("title_en"), kind: kind, plannedHours: hours))
        }
        var techniques: [String] = []
        for node in try r.list("techniques") {
            guard let t = node.scalar?.string.trimmed, !t.isEmpty else {
                throw fail(file, line(node), Phrase(zh: "每项技艺是一个名称，例如 榫卯", en: "each technique is a name, e.g. 榫卯"))
            }
            if techniques.contains(t) { throw fail(file, line(node), Phrase(zh: "技艺“\(t)”出现了两次", en: "technique '\(t)' appears twice")) }
            techniques.append(t)
        }
        var tiers: [Curriculum.Tier] = []
        for node in try r.list("tiers") {
            let t = try Mapping(node, file: file, what: Phrase(zh: "等级", en: "a tier"), keys: ["id", "title", "title_en", "scope", "rules"])
            let tierID = try t.string("id")
            if tiers.contains(where: { $0.id == tierID }) {
                throw fail(file, t.line("id"), Phrase(zh: "等级“\(tierID)”出现了两次", en: "tier '\(tierID)' appears twice"))
            }
            let scopeText = try t.string("scope")
            guard let scope = TierScope(rawValue: scopeText) else {
                throw fail(
                    file, t.line("scope"),
                    Phrase(zh: "scope“\(scopeText)”不是 cohort、cumulative 之一", en: "scope '\(scopeText)' is not one of cohort, cumulative"))
            }
            tiers.append(
                .init(
                    id: tierID, title: try t.string("title"), titleEn: try t.optionalString("title_en"),
                    scope: scope, rules: try rules(t.node("rules"), scope: scope, file: file)))
        }
        // Cross-references: a cumulative tier may count certificates of a cohort tier.
        for tier in tiers {
            if let rule = tier.rules.certificates, !tiers.contains(where: { $0.id == rule.tier && $0.scope == .cohort }) {
                throw fail(
                    file, r.line("tiers"),
                    Phrase(
                        zh: "等级“\(tier.id)”计数的是等级“\(rule.tier)”的证书，而它不是本文件中的期次等级",
                        en: "tier '\(tier.id)' counts certificates of tier '\(rule.tier)', which is not a cohort tier of this file"))
            }
        }
        return Curriculum(
            id: id, title: try r.string("title"), titleEn: try r.optionalString("title_en"),
            organisations: try r.list("organisations").map { node throws(LubanError) in
                guard let s = node.scalar?.string, !s.isEmpty else {
                    throw fail(file, line(node), Phrase(zh: "每个机构是一个名称", en: "each organisation is a name"))
                }
                return s
            },
            numberPrefix: prefix, courses: courses, techniques: techniques, tiers: tiers)
    }

    private static func rules(_ node: Node, scope: TierScope, file: String) throws(LubanError) -> Curriculum.Rules {
        let keys =
            scope == .cohort
            ? ["classroom_hours_percent", "all_field_sessions", "techniques_passed", "attended_hours"]
            : ["certificates", "techniques_passed", "attended_hours"]
        let m = try Mapping(node, file: file, what: Phrase(zh: "\(scope.rawValue) 等级的规则", en: "the rules of a \(scope.rawValue) tier"), keys: keys)
        var rules = Curriculum.Rules()
        if m.has("classroom_hours_percent") {
            let p = try m.number("classroom_hours_percent")
            guard (0...100).contains(p) else {
                throw fail(
                    file, m.line("classroom_hours_percent"),
                    Phrase(zh: "classroom_hours_percent 须在 0 到 100 之间", en: "classroom_hours_percent must be from 0 to 100"))
            }
            rules.classroomHoursPercent = p
        }
        if m.has("all_field_sessions") { rules.allFieldSessions = try m.bool("all_field_sessions") }
        if m.has("techniques_passed") { rules.techniquesPassed = try m.integer("techniques_passed") }
        if m.has("attended_hours") { rules.attendedHours = try m.number("attended_hours") }
        if m.has("certificates") {
            let c = try Mapping(m.node("certificates"), file: file, what: Phrase(zh: "证书数规则", en: "a certificates rule"), keys: ["tier", "count"])
            rules.certificates = .init(tier: try c.string("tier"), count: try c.integer("count"))
        }
        return rules
    }

    // MARK: - Helpers

    static func fail(_ file: String, _ line: Int, _ message: Phrase) -> LubanError {
        .fileRefused(file: file, findings: [Finding(file: file, line: line, message: message)], total: 1)
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 1
        }
    }

    static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }

    /// A YAML mapping whose keys are checked against the ones allowed, so that a typo is an
    /// error on its line rather than a rule silently left out.
    struct Mapping {
        let mapping: Node.Mapping
        let node: Node
        let file: String
        let what: Phrase

        init(_ node: Node, file: String, what: Phrase, keys: [String]) throws(LubanError) {
            guard let mapping = node.mapping else {
                throw fail(file, CurriculumLoader.line(node), Phrase(zh: "\(what.zh)须是键值映射", en: "\(what.en) must be a mapping of keys to values"))
            }
            for (key, _) in mapping {
                let k = key.scalar?.string ?? ""
                if !keys.contains(k) {
                    throw fail(
                        file, CurriculumLoader.line(key),
                        Phrase(
                            zh: "\(what.zh)中有未知的键“\(k)”；可用的键是 \(keys.joined(separator: ", "))",
                            en: "unknown key '\(k)' in \(what.en); the keys are \(keys.joined(separator: ", "))"))
                }
            }
            self.mapping = mapping
            self.node = node
            self.file = file
            self.what = what
        }

        func has(_ key: String) -> Bool { mapping[key] != nil }

        func line(_ key: String) -> Int {
            for (k, v) in mapping where k.scalar?.string == key { return CurriculumLoader.line(v) }
            return CurriculumLoader.line(node)
        }

        func node(_ key: String) throws(LubanError) -> Node {
            guard let v = mapping[key] else {
                throw fail(file, CurriculumLoader.line(node), Phrase(zh: "\(what.zh)缺少键“\(key)”", en: "\(what.en) lacks the key '\(key)'"))
            }
            return v
        }

        func string(_ key: String) throws(LubanError) -> String {
            let v = try node(key)
            guard let s = v.scalar?.string.trimmed, !s.isEmpty else {
                throw fail(file, CurriculumLoader.line(v), Phrase(zh: "“\(key)”须是文本", en: "'\(key)' must be a text value"))
            }
            return s
        }

        func optionalString(_ key: String) throws(LubanError) -> String? {
            has(key) ? try string(key) : nil
        }

        func number(_ key: String) throws(LubanError) -> Double {
            let v = try node(key)
            guard let s = v.scalar?.string, let d = Double(s), d.isFinite else {
                throw fail(file, CurriculumLoader.line(v), Phrase(zh: "“\(key)”须是数字", en: "'\(key)' must be a number"))
            }
            return d
        }

        func integer(_ key: String) throws(LubanError) -> Int {
            let v = try node(key)
            guard let s = v.scalar?.string, let i = Int(s), i >= 0 else {
                throw fail(file, CurriculumLoader.line(v), Phrase(zh: "“\(key)”须是 0 或更大的整数", en: "'\(key)' must be a whole number, 0 or more"))
            }
            return i
        }

        func bool(_ key: String) throws(LubanError) -> Bool {
            let v = try node(key)
            switch v.scalar?.string.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: throw fail(file, CurriculumLoader.line(v), Phrase(zh: "“\(key)”须是 true 或 false", en: "'\(key)' must be true or false"))
            }
        }

        func list(_ key: String) throws(LubanError) -> [Node] {
            let v = try node(key)
            guard let seq = v.sequence else {
                throw fail(
                    file, CurriculumLoader.line(v), Phrase(zh: "“\(key)”须是列表（以 - 开头的行）", en: "'\(key)' must be a list (lines starting with -)"))
            }
            return Array(seq)
        }
    }
}
