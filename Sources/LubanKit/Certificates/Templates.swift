import Foundation
import Mustache

// MARK: - Finding and rendering templates

/// The report templates in use: files from a folder where the office keeps edited copies, else
/// the built-in ones.
public struct Templates: Sendable {
    /// The folder templates are read from, or nil for the built-in ones.
    public let folder: String?

    /// `explicit` (`--templates`), else `$LUBAN_TEMPLATES`, else `Reports/templates` in the
    /// current folder, else the built-in templates.
    public static func locate(explicit: String? = nil) throws(LubanError)
        -> Templates
    {
        if let explicit {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: explicit, isDirectory: &isDir), isDir.boolValue else {
                throw .file(
                    path: explicit, reason: Phrase(zh: "不是模板文件夹；见 Reports/README.md", en: "is not a folder of templates; see Reports/README.md"))
            }
            return Templates(folder: explicit)
        }
        if let env = ProcessEnvironment.nonEmpty("LUBAN_TEMPLATES") { return try locate(explicit: env) }
        if FileManager.default.fileExists(atPath: "Reports/templates/certificate-zh.mustache") { return Templates(folder: "Reports/templates") }
        return Templates(folder: nil)
    }

    public static let builtIn = Templates(folder: nil)

    /// The text of template `name` (without `.mustache`).
    public func source(_ name: String) throws(LubanError) -> (text: String, file: String) {
        if let folder {
            let path = (folder as NSString).appendingPathComponent(name + ".mustache")
            // A template of the office's own, when there is one: one it cannot read is an error,
            // not a silent return to the built-in one.
            if access(path, F_OK) == 0 { return (String(decoding: try InputFile.bytes(path), as: UTF8.self), path) }
        }
        guard let text = BuiltIn.templates[name] else { throw .file(path: name, reason: Phrase(zh: "没有这个模板", en: "no such template")) }
        return (text, "(built-in) \(name).mustache")
    }

    /// Renders template `name` with `values` as plain text (nothing HTML-escaped).
    public func render(_ name: String, _ values: [String: Any]) throws(LubanError) -> String {
        let (text, file) = try source(name)
        do {
            let template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
            return template.render(values)
        } catch {
            throw .file(
                path: file,
                reason: Phrase(
                    zh: "不是有效的 Mustache 模板（\(error)）；见 Reports/README.md", en: "is not a valid Mustache template (\(error)); see Reports/README.md"))
        }
    }
}
