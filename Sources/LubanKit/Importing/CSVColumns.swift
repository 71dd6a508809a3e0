// MARK: - CSV headers

/// Maps a CSV header to column positions: required columns must be there, no column may
/// appear twice, other columns are ignored (a filled roll-call sheet carries extra ones).
public struct CSVColumns: Sendable {
    private var positions: [String: Int]
    /// Columns of the header that no import reads, as the file names them (the summary lists them).
    public private(set) var ignored: [String] = []

    /// Column names may also be given in Chinese, as an office's own spreadsheet would have them.
    static let aliases: [String: String] = [
        "姓名": "name", "身份证号": "id_number", "身份证号码": "id_number", "身份证": "id_number",
        "单位": "employer", "工作单位": "employer", "工种": "craft", "电话": "phone", "手机": "phone",
        "学员": "trainee", "学员编号": "trainee", "课次": "session", "考勤": "status", "状态": "status",
        "备注": "note", "日期": "date", "形式": "kind", "学时": "hours", "课程": "course",
        "地点": "site", "专家": "expert", "标题": "title", "工艺": "technique", "技艺": "technique",
        "结果": "result", "联系电话": "phone", "手机号": "phone", "手机号码": "phone", "电话号码": "phone", "联系方式": "phone",
        "所在单位": "employer", "单位名称": "employer", "公司": "employer", "职业": "craft", "技术工种": "craft", "专业": "craft",
        "期": "cohort", "期次": "cohort", "班级": "cohort", "编号": "trainee", "考核日期": "assessed_on", "考核专家": "expert",
        // The usual titles of a schedule an office keeps in Excel.
        "授课专家": "expert", "主讲专家": "expert", "主讲": "expert", "授课教师": "expert", "讲师": "expert", "授课人": "expert",
        "内容": "title", "授课内容": "title", "主题": "title", "课题": "title", "上课日期": "date", "培训日期": "date",
        "授课形式": "kind", "类型": "kind", "课时": "hours", "学时数": "hours", "课程名称": "course", "上课地点": "site",
        "培训地点": "site", "考核结果": "result", "考勤状态": "status", "出勤情况": "status", "证件号码": "id_number",
    ]

    /// Columns an office's sheet has that carry nothing to import: the row number, the space
    /// for signatures.
    static let knownUnread: Set<String> = ["序号", "签到", "签字", "签名", "no.", "#"]

    /// Reads the header record of `reader` and checks it.
    public init(reader: CSVReader, required: [String], optional: [String] = []) throws(LubanError) {
        let expected = (required + optional).joined(separator: ",")
        guard try reader.next() else {
            throw .fileRefused(
                file: reader.name,
                findings: [
                    Finding(
                        file: reader.name, sheet: reader.sheet, line: 1,
                        message: Phrase(zh: "文件是空的；第一行须是表头：\(expected)", en: "the file is empty; its first line must be the header: \(expected)"))
                ],
                total: 1)
        }
        // A title row or two above the header (`2017年第八期学员名单`) is passed over when the
        // header is found below it, within the first five rows; otherwise the first row is the
        // header, and says what it lacks.
        func isHeader() throws(LubanError) -> Bool {
            let keys = Set(try (0..<reader.count).map { i throws(LubanError) in Self.key(try reader.field(i)) })
            return required.isEmpty ? !keys.isDisjoint(with: optional) : required.allSatisfy(keys.contains)
        }
        var firstRow: [String]?
        var firstLine = reader.line
        for _ in 0..<5 {
            if try isHeader() {
                firstRow = nil
                break
            }
            if firstRow == nil {
                firstRow = try (0..<reader.count).map { i throws(LubanError) in try reader.field(i) }
                firstLine = reader.line
            }
            guard try reader.next() else { break }
        }
        if let firstRow {
            let keys = Set(firstRow.map(Self.key))
            let missing = required.filter { !keys.contains($0) }
            throw .fileRefused(
                file: reader.name,
                findings: [
                    Finding(
                        file: reader.name, sheet: reader.sheet, line: firstLine,
                        message: .headerLacks(missing, expected: expected))
                ], total: 1)
        }
        var positions: [String: Int] = [:]
        for i in 0..<reader.count {
            let raw = try reader.field(i).trimmed
            let key = Self.key(raw)
            guard !key.isEmpty else { continue }
            if !(required + optional).contains(key) {
                if !Self.isKnownUnread(raw) { ignored.append(raw) }
                continue
            }
            if positions[key] != nil {
                throw .fileRefused(
                    file: reader.name,
                    findings: [
                        Finding(
                            file: reader.name, sheet: reader.sheet, line: reader.line,
                            message: Phrase(zh: "表头中列“\(key)”出现了两次；只留一列", en: "column '\(key)' appears twice in the header; keep one"))
                    ],
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
                        file: reader.name, sheet: reader.sheet, line: reader.line,
                        message: .headerLacks(missing, expected: expected))
                ], total: 1)
        }
        self.positions = positions
    }

    /// A header cell as a column name: English any case, or a Chinese title.
    static func key(_ cell: String) -> String {
        let t = FieldText.halfWidth(cell).trimmed.lowercased()
        if let key = aliases[t] { return key }
        // luban's own bilingual headings, as its workbooks have them ("编号 code", "考勤 status"):
        // the Chinese title says which column it is.
        if let space = t.firstIndex(of: " "), let key = aliases[String(t[..<space])] { return key }
        return t
    }

    /// Whether a column is one an office's sheet has that carries nothing to import.
    static func isKnownUnread(_ cell: String) -> Bool {
        let t = FieldText.halfWidth(cell).trimmed.lowercased()
        return knownUnread.contains(t) || knownUnread.contains(String(t.prefix { $0 != " " }))
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
