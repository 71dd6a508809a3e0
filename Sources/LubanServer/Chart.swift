import LubanKit

// MARK: - The yearly totals as a bar chart, drawn by luban as SVG

public enum BarChart {
    /// The legend's two entries, side by side: where the second ends.
    static let legendWidth = 12 + 126 + 90

    /// Person-times (人次) and certificates per year, side by side, with their figures over the
    /// bars; every text is a number or a year, so nothing from the records is drawn unescaped.
    public static func yearly(_ rows: [YearlyRow]) -> String {
        let years = rows.filter { $0.year != "total" }
        guard !years.isEmpty else { return "" }
        let top = max(1, years.map { max($0.personTimes, $0.certificates) }.max() ?? 1)
        let group = 64
        let left = 12
        let height = 200
        let base = 230
        // Wide enough for the legend under the bars, however few years there are.
        let width = max(left * 2 + group * years.count, legendWidth)
        var svg = """
            <h2>\(say(zh: "各年人次与证书", en: "Person-times and certificates per year"))</h2>
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" width="\(width)" height="290" viewBox="0 0 \(width) 290" role="img" \
            aria-label="\(say(zh: "各年人次与证书数", en: "Person-times and certificates per year"))">
            <line x1="\(left)" y1="\(base)" x2="\(width - left)" y2="\(base)" stroke="#888"/>
            """
        for (i, row) in years.enumerated() {
            let x = left + i * group + 8
            for (j, (value, colour)) in [(row.personTimes, "#7a1f1f"), (row.certificates, "#c9a227")].enumerated() {
                let h = value * height / top
                let bx = x + j * 24
                svg += "<rect x=\"\(bx)\" y=\"\(base - h)\" width=\"22\" height=\"\(h)\" fill=\"\(colour)\"/>"
                svg += "<text x=\"\(bx + 11)\" y=\"\(base - h - 4)\" font-size=\"10\" text-anchor=\"middle\">\(value)</text>"
            }
            svg += "<text x=\"\(x + 23)\" y=\"\(base + 16)\" font-size=\"12\" text-anchor=\"middle\">\(Int(row.year) ?? 0)</text>"
        }
        svg += """
            <rect x="\(left)" y="262" width="12" height="12" fill="#7a1f1f"/><text x="\(left + 16)" y="272" font-size="12">\(say(zh: "人次", en: "person-times"))</text>
            <rect x="\(left + 110)" y="262" width="12" height="12" fill="#c9a227"/><text x="\(left + 126)" y="272" font-size="12">\(say(zh: "证书", en: "certificates"))</text>
            </svg>
            """
        return svg
    }
}
