import Foundation
import Testing

@testable import LubanKit

/// The built-in copies must be the files of the repository (regenerate: Scripts/embed-resources.py).
@Suite struct BuiltInTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theCurriculumIsTheShippedFile() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("Curriculum/luban.yaml"), encoding: .utf8)
        #expect(BuiltIn.lubanCurriculum == file, "run Scripts/embed-resources.py")
    }

    @Test(arguments: ["certificate-zh", "certificate-en", "certificate-both", "certificate-pdf-zh", "certificate-pdf-en", "certificate-pdf-both"])
    func theTemplatesAreTheShippedFiles(name: String) throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("Reports/templates/\(name).mustache"), encoding: .utf8)
        #expect(BuiltIn.templates[name] == file, "run Scripts/embed-resources.py")
    }
}
