import ArgumentParser
import LubanKit

struct CurriculumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curriculum",
        abstract: "Load and look at program definitions (courses, techniques, certificate tiers).",
        discussion: "Example: luban curriculum load Curriculum/luban.yaml",
        subcommands: [Load.self, List.self, Show.self])

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Load a curriculum file; the same file again changes nothing, an edited one becomes the next revision.",
            discussion: "Example: luban curriculum load Curriculum/luban.yaml")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The YAML definition (see Curriculum/README.md).") var file: String

        func run() throws {
            let (curriculum, source) = try CurriculumLoader.load(path: file)
            let outcome = try database.open().loadCurriculum(curriculum, source: source)
            switch outcome {
            case .added: emit(say(zh: "培训方案 \(curriculum.id) 已载入", en: "curriculum \(curriculum.id) loaded"))
            case .unchanged: emit(say(zh: "培训方案 \(curriculum.id) 未变", en: "curriculum \(curriculum.id) unchanged"))
            case .updated(let r):
                emit(
                    say(
                        zh: "培训方案 \(curriculum.id) 已更新为第 \(r) 版（已签发的证书内容不变）",
                        en: "curriculum \(curriculum.id) updated to revision \(r) (certificates already issued keep what they say)"))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List loaded curricula.", discussion: "Example: luban curriculum list --format json")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        func run() throws { try output.print(Views.curricula(try database.open().curricula())) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a curriculum's courses, techniques and tier rules.",
            discussion: "Example: luban curriculum show luban")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The curriculum id.") var id: String
        func run() throws { emit(Views.curriculum(try database.open().curriculum(id)), terminator: "") }
    }
}
