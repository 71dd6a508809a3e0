import Testing

@testable import LubanKit

@Suite struct CurriculumLoaderTests {
    @Test func theShippedCurriculumLoads() throws {
        let c = try CurriculumLoader.parse(BuiltIn.lubanCurriculum, file: "luban.yaml")
        #expect(c.id == "luban")
        #expect(["榫卯", "彩画", "木雕", "油饰"].allSatisfy(c.techniques.contains))
        #expect(c.tier("completion")?.rules.classroomHoursPercent == 80)
        #expect(c.tier("inheritor")?.rules.certificates == .init(tier: "completion", count: 2))
    }

    func finding(_ yaml: String) -> Finding? {
        do {
            _ = try CurriculumLoader.parse(yaml, file: "bad.yaml")
            return nil
        } catch {
            if case .fileRefused(_, let findings, _) = error { return findings.first }
            return nil
        }
    }

    @Test func aWrongKindIsReportedOnItsLine() {
        let yaml = BuiltIn.lubanCurriculum.replacingOccurrences(of: "kind: field", with: "kind: lecture")
        let line = yaml.components(separatedBy: "\n").firstIndex { $0.contains("kind: lecture") }! + 1
        let f = finding(yaml)
        #expect(f?.line == line)
        #expect(f?.message.en.contains("lecture") == true)
        #expect(f?.description.hasPrefix("bad.yaml:\(line): error:") == true)
    }

    @Test func aMisspeltRuleIsAnErrorNotIgnored() {
        let yaml = BuiltIn.lubanCurriculum.replacingOccurrences(of: "techniques_passed: 2", with: "technique_passed: 2")
        let line = yaml.components(separatedBy: "\n").firstIndex { $0.contains("technique_passed") }! + 1
        #expect(finding(yaml)?.line == line)
    }

    @Test func brokenYAMLGivesALine() {
        let f = finding("id: x\ntitle: [unclosed\n")
        #expect(f != nil)
        #expect(f!.line >= 2)
    }

    @Test func loadingTwiceChangesNothingAndAnEditIsARevision() throws {
        let db = try LubanDatabase(inMemory: "t")
        let c = try CurriculumLoader.parse(BuiltIn.lubanCurriculum, file: "luban.yaml")
        #expect(try db.loadCurriculum(c, source: "") == .added)
        #expect(try db.loadCurriculum(c, source: "") == .unchanged)
        var edited = c
        edited.techniques.append("石雕")
        #expect(try db.loadCurriculum(edited, source: "") == .updated(revision: 2))
        #expect(try db.curriculum("luban").techniques.contains("石雕"))
    }
}

@Suite struct CurriculumBoundsTests {
    /// A "billion laughs" file: nine levels of ten aliases each. Refused at once, nothing stored.
    @Test func aFileThatExpandsThroughAliasesIsRefused() throws {
        var yaml = "id: luban\ntitle: t\nnumber_prefix: LB\nl0: &l0 [\"哈哈哈哈哈哈哈哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\"]\n"
        for level in 1...9 { yaml += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(yaml.utf8.count < 2_000)
        #expect(throws: LubanError.self) { try CurriculumLoader.parse(yaml, file: "bomb.yaml") }
        do { _ = try CurriculumLoader.parse(yaml, file: "bomb.yaml") } catch let LubanError.fileRefused(_, findings, _) {
            #expect(findings.first?.description.hasPrefix("bomb.yaml:1: error: the file expands to more than 20000 values") == true, "\(findings)")
        }
        // The real curriculum fits well within the bounds.
        #expect(try CurriculumLoader.parse(BuiltIn.lubanCurriculum, file: "luban.yaml").id == "luban")
    }
}
