// MARK: - CSV headers

/// Maps a CSV header to column positions: required columns must be there, no column may
/// appear twice, and a column the import does not read refuses the file, its closest known
/// column named, unless the reader was told to pass over such columns (`--ignore-columns`).
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
        "取消": "cancelled",
    ]

    /// Columns an office's sheet has that carry nothing to import: the row number, the space
    /// for signatures.
    static let knownUnread: Set<String> = ["序号", "签到", "签字", "签名", "no.", "#"]

    /// Reads the header record of `reader` and checks it. `passedOver`: columns this import knows
    /// and does not need (a roster's name and employer in a file of enrolments; the columns of
    /// luban's own listing of the same records), named in the summary but not refused.
    public init(reader: CSVReader, required: [String], optional: [String] = [], passedOver: [String] = []) throws(LubanError) {
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
        var unknown: [Finding] = []
        for i in 0..<reader.count {
            let raw = try reader.field(i).trimmed
            let key = Self.key(raw)
            guard !key.isEmpty else { continue }
            if !(required + optional).contains(key) {
                if Self.isKnownUnread(raw) { continue }
                ignored.append(raw)
                if !reader.ignoresUnknownColumns && !passedOver.contains(key) {
                    unknown.append(
                        Finding(
                            file: reader.name, sheet: reader.sheet, line: reader.line,
                            message: Self.unknownColumn(raw, position: i + 1, known: required + optional)))
                }
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
        if !unknown.isEmpty { throw .fileRefused(file: reader.name, findings: unknown, total: unknown.count) }
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

    /// Why column `raw` (the `position`th) refuses the file, with the known column whose name
    /// (or one of its Chinese titles) is nearest to it, and the two ways on.
    static func unknownColumn(_ raw: String, position: Int, known: [String]) -> Phrase {
        let shown = Visible.text(raw.count > 40 ? String(raw.prefix(40)) + "…" : raw)
        let wanted = Array(FieldText.halfWidth(raw).trimmed.lowercased())
        let titles = known.map { ($0, $0) } + aliases.filter { known.contains($0.value) }.map { ($0.key, $0.value) }
        let nearest = titles.map { (title: $0.0, column: $0.1, distance: editDistance(wanted, Array($0.0))) }
            .min { ($0.distance, $0.title) < ($1.distance, $1.title) }
        let close = nearest.map { $0.distance <= max(1, min(wanted.count, $0.title.count) / 2) } ?? false
        let hint: Phrase =
            if let nearest, close {
                nearest.title == nearest.column
                    ? Phrase(zh: "最接近的是 \(nearest.column)", en: "the closest is \(nearest.column)")
                    : Phrase(zh: "最接近的是“\(nearest.title)”（\(nearest.column)）", en: "the closest is '\(nearest.title)' (\(nearest.column))")
            } else {
                Phrase(zh: "可读的列：\(known.joined(separator: ","))", en: "the columns read: \(known.joined(separator: ","))")
            }
        return Phrase(
            zh: "表头第 \(position) 列“\(shown)”不是可导入的列（\(hint.zh)）；请改用可读的列名，或加 --ignore-columns 不读此列",
            en:
                "column \(position), '\(shown)', is not one luban imports (\(hint.en)); rename it to a column luban reads, or give --ignore-columns to leave it unread"
        )
    }

    /// The number of characters to insert, delete or replace to turn `a` into `b`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The columns of a roster an office keeps that luban does not keep (it holds no more about
    /// a person than the programme needs), and its own listing's code column.
    static let rosterPassedOver = ["trainee", "note", "性别", "民族", "年龄", "出生日期", "出生年月", "学历", "文化程度", "政治面貌", "籍贯"]

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
