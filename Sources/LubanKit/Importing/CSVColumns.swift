// MARK: - CSV headers

/// Maps a CSV header to column positions: required columns must be there, no column may
/// appear twice, other columns are ignored (a filled roll-call sheet carries extra ones).
public struct CSVColumns: Sendable {
    private var positions: [String: Int]

    /// Column names may also be given in Chinese, as an office's own spreadsheet would have them.
    static let aliases: [String: String] = [
        "姓名": "name", "身份证号": "id_number", "身份证号码": "id_number", "身份证": "id_number",
        "单位": "employer", "工作单位": "employer", "工种": "craft", "电话": "phone", "手机": "phone",
        "学员": "trainee", "学员编号": "trainee", "课次": "session", "考勤": "status", "状态": "status",
        "备注": "note", "日期": "date", "形式": "kind", "学时": "hours", "课程": "course",
        "地点": "site", "专家": "expert", "标题": "title", "工艺": "technique", "技艺": "technique",
        "结果": "result",
    ]

    /// Reads the header record of `reader` and checks it.
    public init(reader: CSVReader, required: [String], optional: [String] = []) throws(LubanError) {
        let expected = (required + optional).joined(separator: ",")
        guard try reader.next() else {
            throw .fileRefused(
                file: reader.name,
                findings: [Finding(file: reader.name, line: 1, message: "the file is empty; its first line must be the header: \(expected)")],
                total: 1)
        }
        var positions: [String: Int] = [:]
        for i in 0..<reader.count {
            var key = try reader.field(i).trimmed.lowercased()
            key = Self.aliases[key] ?? key
            guard !key.isEmpty else { continue }
            if positions[key] != nil {
                throw .fileRefused(
                    file: reader.name,
                    findings: [Finding(file: reader.name, line: reader.line, message: "column '\(key)' appears twice in the header; keep one")],
                    total: 1)
            }
            positions[key] = i
        }
        let missing = required.filter { positions[$0] == nil }
        if !missing.isEmpty {
            throw .fileRefused(
                file: reader.name,
                findings: [
                    Finding(
                        file: reader.name, line: reader.line,
                        message: "the header lacks \(missing.joined(separator: ", ")); the first line must name the columns: \(expected)")
                ], total: 1)
        }
        self.positions = positions
    }

    /// The position of `column`, or nil when the file does not have it.
    public subscript(column: String) -> Int? { positions[column] }

    /// Whether the file has `column`.
    public func has(_ column: String) -> Bool { positions[column] != nil }

    /// The number of header columns a record should not exceed with data.
    public var count: Int { (positions.values.max() ?? -1) + 1 }
}

extension CSVReader {
    /// The text of `column` without surrounding spaces and tabs, or "" when the file lacks it.
    public func value(_ column: String, in columns: CSVColumns) throws(LubanError) -> String {
        guard let i = columns[column] else { return "" }
        return try trimmedField(i)
    }
}
