import Foundation

// MARK: - A sheet people sign, row by row, on A4

/// An A4 portrait sheet of ruled rows about 10 mm tall, for people to sign one by one: a
/// title and header lines on every page, a header row, page numbers `第 1 / 3 页`, and on the
/// last page a foot (counts to fill in, signature lines). The roll-call sheet and the
/// certificate hand-over sheet are two of them.
struct SigningSheetPDF {
    /// The centred title, and the lines under it (each made safe to print).
    var title: String
    var header: [String]
    /// Column titles and their shares of the width.
    var columns: [(String, Double)]
    /// The cells of each row, in the columns' order.
    var rows: [[String]]
    /// What the last page ends with, drawn from `y` across `width`, and its height.
    var footHeight: Double
    var foot: (PDFDocument, _ y: Double, _ width: Double) -> Void

    static let margin = 36.0
    static let rowHeight = 10 * PDFDocument.millimetre
    static let headerRow = 22.0
    static let pageNumberRoom = 24.0
    static let grey = (0.35, 0.35, 0.35)

    /// How many rows each page holds, the last page keeping room for the foot.
    static func pages(rows: Int, header: Double, height: Double, foot: Double) -> [Range<Int>] {
        let body = height - 2 * margin - header - headerRow - pageNumberRoom
        let perPage = max(1, Int(body / rowHeight))
        let lastPage = max(0, Int((body - foot) / rowHeight))
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

    /// Draws the sheet into `doc`, page after page.
    func draw(_ doc: PDFDocument) {
        let margin = Self.margin
        let width = doc.width - 2 * margin
        let header = header.map(Visible.text)
        let headerHeight = doc.measure(title, width: width, size: 13, face: .sans, bold: true) + 6 + Double(header.count) * 15 + 10
        let ranges = Self.pages(rows: rows.count, header: headerHeight, height: doc.height, foot: footHeight)
        for (p, range) in ranges.enumerated() {
            if p > 0 { doc.newPage() }
            var y = margin
            y += doc.text(title, x: margin, y: y, width: width, size: 13, face: .sans, bold: true, align: .centre) + 6
            for line in header { y += doc.text(line, x: margin, y: y, width: width, size: 9.5, face: .sans) }
            y = margin + headerHeight
            // The table's header row.
            var x = margin
            doc.rectangle(x: margin, y: y, width: width, height: Self.headerRow, line: 0, colour: (0.92, 0.92, 0.92), fill: true)
            for (name, share) in columns {
                doc.cell(name, x: x + 3, y: y, width: width * share - 6, height: Self.headerRow, size: 8.5)
                x += width * share
            }
            grid(doc, top: y, rows: 1, height: Self.headerRow, width: width)
            y += Self.headerRow
            for (k, i) in range.enumerated() {
                var cx = margin
                for (c, (_, share)) in columns.enumerated() {
                    let text = c < rows[i].count ? Visible.text(rows[i][c]) : ""
                    doc.cell(text, x: cx + 3, y: y + Double(k) * Self.rowHeight, width: width * share - 6, height: Self.rowHeight, size: 9)
                    cx += width * share
                }
            }
            grid(doc, top: y, rows: range.count, height: Self.rowHeight, width: width)
            y += Double(range.count) * Self.rowHeight
            if p == ranges.count - 1 { foot(doc, y + 14, width) }
            doc.text(
                "第 \(p + 1) / \(ranges.count) 页  Page \(p + 1) of \(ranges.count)", x: margin, y: doc.height - margin - 10, width: width,
                size: 8.5, face: .sans, align: .centre, colour: Self.grey)
        }
    }

    /// The ruled cells of `rows` rows from `top`.
    func grid(_ doc: PDFDocument, top: Double, rows: Int, height: Double, width: Double) {
        let margin = Self.margin
        for r in 0...rows { doc.line(from: (margin, top + Double(r) * height), to: (margin + width, top + Double(r) * height), width: 0.5) }
        var x = margin
        doc.line(from: (x, top), to: (x, top + Double(rows) * height), width: 0.5)
        for (_, share) in columns {
            x += width * share
            doc.line(from: (x, top), to: (x, top + Double(rows) * height), width: 0.5)
        }
    }

    /// Signature lines with their labels under them, side by side across `width`.
    static func signatureLines(_ doc: PDFDocument, _ labels: [String], y: Double, width: Double) {
        let share = width / Double(labels.count)
        for (k, label) in labels.enumerated() {
            let x = margin + Double(k) * share
            doc.line(from: (x, y), to: (x + share - 24, y), width: 0.6)
            doc.text(label, x: x, y: y + 4, width: share - 24, size: 9, face: .sans, colour: grey)
        }
    }
}
