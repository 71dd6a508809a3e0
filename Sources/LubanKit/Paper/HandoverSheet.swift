import Foundation

// MARK: - The certificate hand-over sheet (证书领取签收表)

/// The sheet a holder signs when taking their certificate: one row per valid certificate of a
/// cohort, in number order, with the holder's name and masked ID number as issued, the tier, and
/// a box to sign and date. As a listing (csv, json, a workbook for printing) and as an A4 PDF.
public enum HandoverSheet {
    /// The certificates to hand over: the cohort's valid ones, in number order.
    public static func entries(_ register: [RegisterEntry]) -> [RegisterEntry] {
        register.filter { $0.certificate.status == .valid }.sorted { $0.certificate.number < $1.certificate.number }
    }

    /// The holder's ID number as the sheet shows it: masked unless `showID`; nothing once erased.
    static func holderID(_ e: RegisterEntry, showID: Bool) -> String {
        guard let id = e.holderID else { return "" }
        return showID ? id : Mask.idNumber(id)
    }

    public static func table(_ entries: [RegisterEntry], showID: Bool) -> Table {
        Table(
            columns: [
                .init("no", "序号 no."), .init("certificate", "证书编号 certificate"), .init("trainee", "编号 code"), .init("name", "姓名 name"),
                .init("id_number", "身份证号 ID"), .init("tier", "等级 tier"), .init("signature", "领取人签字 signature"),
                .init("received_on", "领取日期 date"),
            ],
            rows: entries.enumerated().map { i, e in
                [
                    .int(i + 1), .text(e.certificate.number), .text(e.trainee.code), .text(e.holderName), .text(holderID(e, showID: showID)),
                    .word(e.certificate.tier, zh: e.tier?.title ?? e.certificate.tier), .empty, .empty,
                ]
            })
    }

    /// The title a printed sheet carries.
    public static func title(cohort: Cohort) -> String { "证书领取签收表 \(cohort.label)" }

    static let columns: [(String, Double)] = [
        ("序号", 0.06), ("证书编号 certificate", 0.17), ("姓名 name", 0.12), ("身份证号 ID", 0.19), ("等级 tier", 0.15),
        ("领取人签字 signature", 0.19), ("日期 date", 0.12),
    ]

    /// The sheet as an A4 PDF at `path`.
    public static func writePDF(cohort: Cohort, curriculum: Curriculum, entries: [RegisterEntry], showID: Bool, to path: String) throws(LubanError) {
        let a4 = PDFDocument.a4
        let doc = try PDFDocument(
            path: path, width: a4.width, height: a4.height, title: "证书领取签收表 Certificate hand-over — \(cohort.code)",
            author: curriculum.organisations.first ?? "luban")
        let issued = Set(entries.map(\.certificate.issuedOn.description)).sorted()
        let sheet = SigningSheetPDF(
            title: "\(Visible.text(curriculum.title))\n证书领取签收表 Certificate hand-over",
            header: [
                "期次 Cohort：\(cohort.label)（\(cohort.startDate) 至 \(cohort.endDate)）  地点 Site：\(cohort.site)",
                "证书 Certificates：\(entries.count) 份" + (issued.isEmpty ? "" : "，签发日期 issued \(issued.joined(separator: "、"))"),
                "领取人核对证书上的姓名与身份证号后签字，并写明领取日期；代领请注明代领人姓名。",
            ],
            columns: columns,
            rows: entries.enumerated().map { i, e in
                [String(i + 1), e.certificate.number, e.holderName, holderID(e, showID: showID), e.tier?.title ?? e.certificate.tier, "", ""]
            },
            footHeight: 60,
            foot: { doc, y, width in
                doc.text("共 \(entries.count) 份  total \(entries.count)", x: SigningSheetPDF.margin, y: y, width: width, size: 10, face: .sans)
                SigningSheetPDF.signatureLines(doc, ["发放人签字 issued by", "日期 date"], y: y + 44, width: width)
            })
        sheet.draw(doc)
        try doc.finish()
    }
}

extension LubanDatabase {
    /// A cohort's hand-over sheet: the cohort, its curriculum (as revised for it), and its valid
    /// certificates in number order.
    public func handover(cohort code: String) throws(LubanError) -> (cohort: Cohort, curriculum: Curriculum, entries: [RegisterEntry]) {
        let cohort = try cohort(code)
        let curriculum = try read { db in try Self.curriculum(ofCohort: cohort.id!, db) }
        return (cohort, curriculum, HandoverSheet.entries(try register(cohort: code)))
    }
}
