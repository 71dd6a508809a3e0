import Foundation
import Testing

@testable import LubanKit

/// Chinese first: every message luban gives exists in Chinese and in English.
struct LanguageTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file under Sources, with its text.
    static func sourceFiles() throws -> [(String, String)] {
        let paths = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        return try paths.sorted().map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// The text of a string literal that starts `text` (just after its opening quote), up to
    /// its closing quote, without its interpolations: they say nothing about the language.
    static func words(ofLiteral text: Substring) -> String {
        var out = ""
        var depth = 0
        var quoted = false  // inside a string literal within an interpolation
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if depth == 0 {
                if c == "\\", next < text.endIndex, text[next] == "(" {
                    depth = 1
                    i = text.index(after: next)
                    continue
                }
                if c == "\"" { break }
                out.append(c)
            } else if quoted {
                if c == "\"" { quoted = false }
            } else if c == "\"" {
                quoted = true
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
            }
            i = next
        }
        return out
    }

    @Test func theLanguageFollowsLubanLangThenTheLocale() {
        #expect(Language(environment: [:]) == .en)
        #expect(Language(environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language(environment: ["LANG": "C.UTF-8"]) == .en)
        #expect(Language(environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"]) == .en)
        #expect(Language(environment: ["LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"]) == .zh)
        #expect(Language(environment: ["LANG": "zh_CN.UTF-8", "LUBAN_LANG": "en"]) == .en)
        #expect(Language(environment: ["LANG": "C", "LUBAN_LANG": "zh"]) == .zh)
        // An unknown LUBAN_LANG falls back to the locale rather than guessing.
        #expect(Language(environment: ["LANG": "zh_CN.UTF-8", "LUBAN_LANG": "klingon"]) == .zh)
        #expect(Language.$current.withValue(.zh) { LubanError.unknownCohort("2099-1").message } == "没有期次“2099-1”")
        #expect(LubanError.unknownCohort("2099-1").message == "no cohort '2099-1'")
    }

    /// One of every error, built by an exhaustive switch: a new case without a sample here does
    /// not compile, and a sample whose Chinese has no Chinese fails.
    @Test func everyErrorHasChinese() {
        let samples: [LubanError] = [
            .database(path: "a.sqlite", reason: .noSuchFile), .notALubanDatabase(path: "a"), .noDatabase(path: "a"),
            .databaseTooNew(path: "a"), .file(path: "a.csv", reason: .noSuchFile),
            .fileRefused(file: "a.csv", findings: [Finding(file: "a.csv", line: 2, message: .emptyName)], total: 3),
            .whichSheet(file: "a.xlsx", sheets: ["A", "B"]), .noSuchSheet(file: "a.xlsx", sheet: "C", sheets: ["A"]),
            .invalidDate(what: "date", text: "x"), .invalidIDNumber(IDNumberError.length("123", 3).phrase), .invalidHours("13"),
            .invalidValue(what: "site", text: "", expected: Phrase(zh: "地点", en: "a site")),
            .duplicateIDNumber(id: "110101199003078515", holder: "T00001"), .unknownTrainee("T1"), .unknownCohort("c"),
            .unknownSession("9"), .unknownCurriculum("x"), .unknownCertificate("LB"), .unknownTechnique("t", known: ["榫卯"]),
            .noCurriculum, .ambiguousCurriculum(["a", "b"]), .cohortExists("c"),
            .cohortDates(code: "c", start: CalendarDate("2014-04-20")!, end: CalendarDate("2014-04-08")!),
            .sessionOutsideCohort(
                date: CalendarDate("2015-01-01")!, cohort: "c", start: CalendarDate("2014-04-08")!, end: CalendarDate("2014-04-20")!),
            .course(Phrase(zh: "课程", en: "course")), .notEnrolled(trainee: "T1", cohort: "c"),
            .issuerKey(path: "k", reason: .noSuchFile), .noIssuerKey(path: "k"), .unknownExpert("x", suggestions: ["张宝山"]),
            .noPublicKey(keyFile: nil), .noPublicKey(keyFile: "k"), .noRegister(target: "x", databasePath: "a"),
            .refused(Phrase(zh: "拒绝", en: "refused")), .internalFailure(sqlite: "no such table: x"),
            .databaseReplaced(path: "a.sqlite"), .backupHoldsAccounts(file: "b.sqlite", names: ["wangli"]), .notOnRollCall("x"),
            .conflict(Phrase(zh: "已是如此", en: "already so")),
            .restsOnCertificate(number: "LB-2014-0001-3", reason: Phrase(zh: "请先撤销", en: "revoke it first")),
        ]
        func covered(_ e: LubanError) -> Bool {
            switch e {
            case .database, .notALubanDatabase, .noDatabase, .databaseTooNew, .file, .fileRefused, .whichSheet, .noSuchSheet,
                .invalidDate, .invalidIDNumber, .invalidHours, .invalidValue, .duplicateIDNumber, .unknownTrainee, .unknownCohort,
                .unknownSession, .unknownCurriculum, .unknownCertificate, .unknownTechnique, .noCurriculum, .ambiguousCurriculum,
                .cohortExists, .cohortDates, .sessionOutsideCohort, .course, .notEnrolled, .issuerKey, .noIssuerKey, .unknownExpert,
                .noPublicKey, .noRegister, .refused, .internalFailure, .databaseReplaced, .backupHoldsAccounts, .notOnRollCall, .conflict,
                .restsOnCertificate:
                return true
            }
        }
        #expect(samples.allSatisfy(covered))
        for e in samples {
            #expect(Phrase.hasChinese(e.phrase.zh), "no Chinese in: \(e.phrase.zh)")
            #expect(e.phrase.zh != e.phrase.en)
        }
    }

    /// Every Chinese text written in the sources holds Chinese: a message copied from English
    /// without translating it fails here, naming the file and line.
    @Test func everyChineseTextInTheSourcesIsChinese() throws {
        var untranslated: [String] = []
        var count = 0
        for (path, text) in try Self.sourceFiles() {
            let lines = text.components(separatedBy: "\n")
            for (i, line) in lines.enumerated() {
                guard let marker = line.range(of: "zh: \"") else { continue }
                count += 1
                // The literal, or the next line for a block string.
                var rest = Substring(line[marker.upperBound...])
                if rest.hasPrefix("\"\"") { rest = i + 1 < lines.count ? Substring(lines[i + 1]) : "" }
                let literal = Self.words(ofLiteral: rest)
                let english = literal.range(of: "[A-Za-z]{2,}", options: .regularExpression) != nil
                if english && !Phrase.hasChinese(literal) { untranslated.append("Sources/\(path):\(i + 1): \(line.trimmed)") }
            }
        }
        #expect(count > 250, "found only \(count) Chinese texts; has the way messages are written changed?")
        #expect(untranslated.isEmpty, "\(untranslated.joined(separator: "\n"))")
    }

    /// What the command line prints goes through `say(zh:en:)`: no English-only sentence is
    /// printed with `emit("…")` or given as a usage error.
    @Test func theCommandLinePrintsNoEnglishOnlySentence() throws {
        var found: [String] = []
        for (path, text) in try Self.sourceFiles() where path.hasPrefix("luban/") {
            let lines = text.components(separatedBy: "\n")
            for (i, line) in lines.enumerated() {
                // A call's literal on its line, or on the next when the call ends the line.
                let joined = line.trimmed.hasSuffix("(") && i + 1 < lines.count ? line.trimmed + lines[i + 1].trimmed : line
                for call in ["emit(\"", "note(\"", "ValidationError(\"", "refused(\""] {
                    guard let r = joined.range(of: call) else { continue }
                    let words = Self.words(ofLiteral: joined[r.upperBound...])
                    if words.range(of: "[A-Za-z]{2,}", options: .regularExpression) != nil && !Phrase.hasChinese(words) {
                        found.append("Sources/\(path):\(i + 1): \(line.trimmed)")
                    }
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// Every column title in every listing is bilingual: it holds Chinese.
    @Test func everyColumnTitleHoldsChinese() throws {
        var english: [String] = []
        let regex = try NSRegularExpression(pattern: #"\.init\("([a-z_0-9]+)", "([^"\\]+)"\)"#)
        for (path, text) in try Self.sourceFiles() where path.hasPrefix("LubanKit/") {
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let heading = String(text[Range(m.range(at: 2), in: text)!])
                if !Phrase.hasChinese(heading) { english.append("\(path): \(heading)") }
            }
        }
        #expect(english.isEmpty, "\(english)")
    }

    /// Every field a message names has a Chinese name.
    @Test func everyFieldNamedInAMessageHasAChineseName() throws {
        var missing: Set<String> = []
        for (_, text) in try Self.sourceFiles() {
            let regex = try NSRegularExpression(pattern: #"what: "([^"\\]+)""#)
            for m in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(m.range(at: 1), in: text)!])
                if Phrase.fieldNames[key] == nil { missing.insert(key) }
            }
        }
        #expect(missing.isEmpty, "no Chinese name for: \(missing.sorted())")
    }
}
