import Foundation

// MARK: - A sign-in sheet for a clipboard

/// A session's roll-call sheet as an A4 portrait PDF: the session's header on every page, rows
/// about 10 mm tall to sign in (trainees in code order), page numbers `第 1 / 3 页`, and on the
/// last page the counts to fill in (应到 / 实到 / 迟到 / 请假 / 缺勤) with lines for the expert's and
/// the clerk's signatures and the date.
public enum RollCallPDF {
    static let margin = 36.0
    static let rowHeight = 10 * PDFDocument.millimetre
    static let headerRow = 22.0
    static let footBlock = 118.0
    static let pageNumberRoom = 24.0
    static let grey = (0.35, 0.35, 0.35)

    /// The columns: title and share of the width.
    static let columns: [(String, Double)] = [
        ("序号", 0.06), ("编号 code", 0.11), ("姓名 name", 0.13), ("身份证号 ID", 0.20), ("单位 employer", 0.20), ("考勤 status", 0.11),
        ("签名 signature", 0.19),
    ]

    /// How many rows each page holds, the last page keeping room for the counts and signatures.
    static func pages(rows: Int, header: Double, height: Double) -> [Range<Int>] {
        let body = height - 2 * margin - header - headerRow - pageNumberRoom
        let perPage = max(1, Int(body / rowHeight))
        let lastPage = max(0, Int((body - footBlock) / rowHeight))
        var ranges: [Range<Int>] = []
        var start = 0
        while rows - start > lastPage {
            let remaining = rows - start
            // Where the rest would fit on one page but not with the foot, carry some over so the
            // last page holds at least one row with it.
            let take = remaining <= perPage ? remaining - max(1, min(lastPage, remaining - 1)) : perPage
            ranges.append(start..<start + take)
            start += take
        }
        ranges.append(start..<rows)
        return ranges
    }

    public static func write(
        session: Session, cohort: Cohort, curriculum: Curriculum, roster: [Trainee], showID: Bool, to path: String
    ) throws(LubanError) {
        let a4 = PDFDocument.a4
        let doc = try PDFDocument(
            path: path, width: a4.width, height: a4.height, title: "签到表 Roll call — 课次 session \(session.id ?? 0)",
            author: curriculum.organisations.first ?? "luban")
        let course = curriculum.course(session.course)
        let what = session.title.nilIfBlank ?? course?.title ?? session.kind.chinese
        let header = [
            "期次 Cohort：\(cohort.label)（\(cohort.startDate) 至 \(cohort.endDate)）",
            "课次 Session：\(session.id ?? 0)  \(what)",
            "形式 Kind：\(session.kind.chinese) \(session.kind.rawValue)，\(Hours.format(session.hours)) 学时 h",
            "日期 Date：\(session.date)    地点 Site：\(session.site.nilIfBlank ?? cohort.site)",
            "专家 Expert：\(session.expert)",
            "考勤 Status：√ 出勤 present   迟 迟到 late   假 请假 excused   × 缺勤 absent",
        ].map(Visible.text)
        let width = doc.width - 2 * margin
        let title = "\(Visible.text(curriculum.title))\n签到表 Roll call"
        let headerHeight = doc.measure(title, width: width, size: 13, face: .sans, bold: true) + 6 + Double(header.count) * 15 + 10
        let sorted = roster.sorted { $0.code < $1.code }
        let ranges = pages(rows: sorted.count, header: headerHeight, height: doc.height)
        for (p, range) in ranges.enumerated() {
            if p > 0 { doc.newPage() }
            var y = margin
            y += doc.text(title, x: margin, y: y, width: width, size: 13, face: .sans, bold: true, align: .centre) + 6
            for line in header { y += doc.text(line, x: margin, y: y, width: width, size: 9.5, face: .sans) }
            y = margin + headerHeight
            // The table's header row.
            var x = margin
            doc.rectangle(x: margin, y: y, width: width, height: headerRow, line: 0, colour: (0.92, 0.92, 0.92), fill: true)
            for (name, share) in columns {
                doc.cell(name, x: x + 3, y: y, width: width * share - 6, height: headerRow, size: 8.5)
                x += width * share
            }
            grid(doc, top: y, rows: 1, height: headerRow, width: width)
            y += headerRow
            for (k, i) in range.enumerated() {
                let t = sorted[i]
                let cells = [
                    String(i + 1), t.code, t.name, t.idNumberShown(showID), t.employer ?? "", "", "",
                ].map(Visible.text)
                var cx = margin
                for (c, (_, share)) in columns.enumerated() {
                    doc.cell(cells[c], x: cx + 3, y: y + Double(k) * rowHeight, width: width * share - 6, height: rowHeight, size: 9)
                    cx += width * share
                }
            }
            grid(doc, top: y, rows: range.count, height: rowHeight, width: width)
            y += Double(range.count) * rowHeight
            if p == ranges.count - 1 { foot(doc, y: y + 14, width: width, expected: sorted.count) }
            doc.text(
                "第 \(p + 1) / \(ranges.count) 页  Page \(p + 1) of \(ranges.count)", x: margin, y: doc.height - margin - 10, width: width, size: 8.5,
                face: .sans, align: .centre, colour: grey)
        }
        try doc.finish()
    }

    /// The ruled cells of `rows` rows from `top`.
    static func grid(_ doc: PDFDocument, top: Double, rows: Int, height: Double, width: Double) {
        for r in 0...rows { doc.line(from: (margin, top + Double(r) * height), to: (margin + width, top + Double(r) * height), width: 0.5) }
        var x = margin
        doc.line(from: (x, top), to: (x, top + Double(rows) * height), width: 0.5)
        for (_, share) in columns {
            x += width * share
            doc.line(from: (x, top), to: (x, top + Double(rows) * height), width: 0.5)
        }
    }

    /// The counts to fill in and the signature lines.
    static func foot(_ doc: PDFDocument, y: Double, width: Double, expected: Int) {
        // 实到 counts everyone there, on time or late (DOMAIN.md: attended = present or late);
        // 迟到 says how many of them came late.
        let labels = ["应到 expected：\(expected)", "实到 attended：", "迟到 late：", "请假 excused：", "缺勤 absent："]
        let fifth = width / Double(labels.count)
        for (k, label) in labels.enumerated() {
            let x = margin + Double(k) * fifth
            doc.text(label, x: x, y: y, width: fifth - 8, size: 10, face: .sans)
            // The number is written on a line under its label.
            if k > 0 { doc.line(from: (x, y + 36), to: (x + fifth - 16, y + 36), width: 0.5) }
        }
        let third = width / 3
        for (k, label) in ["专家签字 expert", "记录人签字 clerk", "日期 date"].enumerated() {
            let x = margin + Double(k) * third
            doc.line(from: (x, y + 74), to: (x + third - 24, y + 74), width: 0.6)
            doc.text(label, x: x, y: y + 78, width: third - 24, size: 9, face: .sans, colour: grey)
        }
    }
}
