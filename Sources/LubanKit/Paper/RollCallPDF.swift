import Foundation

// MARK: - A sign-in sheet for a clipboard

/// A session's roll-call sheet as an A4 portrait PDF: the session's header on every page, rows
/// about 10 mm tall to sign in (trainees in code order), page numbers `第 1 / 3 页`, and on the
/// last page the counts to fill in (应到 / 实到 / 迟到 / 请假 / 缺勤) with lines for the expert's and
/// the clerk's signatures and the date.
public enum RollCallPDF {
    static let footBlock = 118.0

    /// The columns: title and share of the width.
    static let columns: [(String, Double)] = [
        ("序号", 0.06), ("编号 code", 0.11), ("姓名 name", 0.13), ("身份证号 ID", 0.20), ("单位 employer", 0.20), ("考勤 status", 0.11),
        ("签名 signature", 0.19),
    ]

    public static func write(
        session: Session, cohort: Cohort, curriculum: Curriculum, roster: [Trainee], showID: Bool, to path: String
    ) throws(LubanError) {
        let a4 = PDFDocument.a4
        let doc = try PDFDocument(
            path: path, width: a4.width, height: a4.height, title: "签到表 Roll call — 课次 session \(session.id ?? 0)",
            author: curriculum.organisations.first ?? "luban")
        let course = curriculum.course(session.course)
        let what = session.title.nilIfBlank ?? course?.title ?? session.kind.chinese
        let sorted = roster.sorted { $0.code < $1.code }
        let sheet = SigningSheetPDF(
            title: "\(Visible.text(curriculum.title))\n签到表 Roll call",
            header: [
                "期次 Cohort：\(cohort.label)（\(cohort.startDate) 至 \(cohort.endDate)）",
                "课次 Session：\(session.id ?? 0)  \(what)",
                "形式 Kind：\(session.kind.chinese) \(session.kind.rawValue)，\(Hours.format(session.hours)) 学时 h",
                "日期 Date：\(session.date)    地点 Site：\(session.site.nilIfBlank ?? cohort.site)",
                "专家 Expert：\(session.expert)",
                "考勤 Status：√ 出勤 present   迟 迟到 late   假 请假 excused   × 缺勤 absent",
            ],
            columns: columns,
            rows: sorted.enumerated().map { i, t in [String(i + 1), t.code, t.name, t.idNumberShown(showID), t.employer ?? "", "", ""] },
            footHeight: footBlock,
            foot: { doc, y, width in foot(doc, y: y, width: width, expected: sorted.count) })
        sheet.draw(doc)
        try doc.finish()
    }

    /// The counts to fill in and the signature lines.
    static func foot(_ doc: PDFDocument, y: Double, width: Double, expected: Int) {
        let margin = SigningSheetPDF.margin
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
        SigningSheetPDF.signatureLines(doc, ["专家签字 expert", "记录人签字 clerk", "日期 date"], y: y + 74, width: width)
    }
}
