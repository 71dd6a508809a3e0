import CGraphics
import Foundation

// MARK: - Documents for paper

/// A PDF being drawn: Cairo for the page, Pango for the text (shaped, with line breaking right
/// for Chinese and English, in the Noto CJK typefaces from Debian, embedded as subsets), and
/// libqrencode for QR codes. Units are points (1/72 in); the origin is the page's top left.
final class PDFDocument {
    /// A4 in points.
    static let a4 = (width: 595.276, height: 841.890)
    static let millimetre = 72 / 25.4

    enum Alignment: Int32 {
        case left = 0
        case centre = 1
        case right = 2
    }

    /// The typefaces: a serif for a certificate's words, a sans for forms. Latin letters and
    /// digits come from a Latin face first: the CJK faces' own Latin glyphs bring their whole
    /// subroutine tables with them, ten times the size of the Chinese a page uses.
    enum Face: String {
        case serif = "Liberation Serif, Noto Serif CJK SC"
        case sans = "Liberation Sans, Noto Sans CJK SC"
    }

    let width: Double
    let height: Double
    private let g: luban_graphics
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let path: String

    /// The functions, or why they cannot be had.
    static func graphics() throws(LubanError) -> luban_graphics {
        guard let g = luban_graphics_load() else {
            let missing = String(cString: luban_graphics_error())
            throw .refused(
                zh:
                    "生成 PDF 需要 Cairo、Pango 和 libqrencode（缺少 \(missing)）：请安装 Debian 软件包 libpangocairo-1.0-0 libqrencode4 fonts-noto-cjk（Scripts/install-system-packages.sh）",
                en:
                    "a PDF needs Cairo, Pango and libqrencode (\(missing) is missing): install the Debian packages libpangocairo-1.0-0 libqrencode4 fonts-noto-cjk (Scripts/install-system-packages.sh)"
            )
        }
        return g.pointee
    }

    /// A new document at `path` (written when `finish` is called), pages `width` × `height`.
    init(path: String, width: Double, height: Double, title: String, author: String) throws(LubanError) {
        g = try Self.graphics()
        self.path = path
        self.width = width
        self.height = height
        guard let s = g.pdf_surface_create(path, width, height), g.surface_status(s) == 0 else {
            throw .file(path: path, reason: .cannotWrite(Phrase(zh: "无法创建 PDF", en: "the PDF cannot be created")))
        }
        surface = s
        cr = g.create(s)!
        // CAIRO_PDF_METADATA_TITLE = 0, _AUTHOR = 1, _CREATOR = 4.
        g.pdf_surface_set_metadata(s, 0, title)
        g.pdf_surface_set_metadata(s, 1, author)
        g.pdf_surface_set_metadata(s, 4, "luban \(LubanVersion.string)")
    }

    private var context: OpaquePointer { cr }
    private var pdf: OpaquePointer { surface }

    /// The document's keywords, kept in its document information where `luban certificate
    /// verify` finds them again (ASCII only, so that they are stored as written).
    func setKeywords(_ value: String) { g.pdf_surface_set_metadata(pdf, 3, value) }  // CAIRO_PDF_METADATA_KEYWORDS

    func newPage() { g.show_page(context) }

    /// Lets go of a document that is not to be written (its file, made by Cairo, is removed by
    /// whoever named it: `OutputFile`).
    func abandon() {
        g.destroy(context)
        g.surface_destroy(pdf)
    }

    /// Writes the file; the document cannot be drawn on after.
    func finish() throws(LubanError) {
        g.destroy(context)
        g.surface_finish(pdf)
        let status = g.surface_status(pdf)
        g.surface_destroy(pdf)
        if status != 0 { throw .file(path: path, reason: .cannotWrite(Phrase(zh: "Cairo 状态 \(status)", en: "Cairo status \(status)"))) }
    }

    // MARK: Text

    /// Lays out `text` in a box `width` wide at (x, y) and draws
    /// it; returns its height. Size is in points.
    @discardableResult
    func text(
        _ text: String, x: Double, y: Double, width: Double, size: Double, face: Face = .serif, bold: Bool = false,
        align: Alignment = .left, colour: (Double, Double, Double) = (0, 0, 0), spacing: Double = 0.35,
        draw: Bool = true
    ) -> Double {
        let layout = g.create_layout(context)!
        defer { g.object_unref(UnsafeMutableRawPointer(layout)) }
        let font = g.font_description_from_string("\(face.rawValue)\(bold ? " Bold" : "") \(Self.format(size))px")!
        defer { g.font_description_free(font) }
        g.layout_set_font_description(layout, font)
        g.layout_set_width(layout, Int32(width * 1024))
        g.layout_set_wrap(layout, 2)  // PANGO_WRAP_WORD_CHAR: words, and CJK between any two characters
        g.layout_set_alignment(layout, align.rawValue)
        g.layout_set_spacing(layout, Int32(size * spacing * 1024))  // by default, lines a third of their size apart
        g.layout_set_text(layout, text, -1)
        var w: Int32 = 0
        var h: Int32 = 0
        g.layout_get_pixel_size(layout, &w, &h)
        if draw {
            g.set_source_rgb(context, colour.0, colour.1, colour.2)
            g.move_to(context, x, y)
            g.show_layout(context, layout)
        }
        return Double(h)
    }

    /// The characters of `text` that no installed font can draw (they would print as boxes).
    func uncovered(_ text: String, face: Face = .serif) -> [Character] {
        func unknownGlyphs(_ text: String) -> Int {
            let layout = g.create_layout(context)!
            defer { g.object_unref(UnsafeMutableRawPointer(layout)) }
            let font = g.font_description_from_string("\(face.rawValue) 12px")!
            defer { g.font_description_free(font) }
            g.layout_set_font_description(layout, font)
            g.layout_set_text(layout, text, -1)
            return Int(g.layout_get_unknown_glyphs_count(layout))
        }
        guard unknownGlyphs(text) > 0 else { return [] }
        var seen = Set<Character>()
        return text.filter { !$0.isWhitespace && seen.insert($0).inserted && unknownGlyphs(String($0)) > 0 }.map { $0 }
    }

    /// The height `text` would take.
    func measure(_ text: String, width: Double, size: Double, face: Face = .serif, bold: Bool = false, spacing: Double = 0.35)
        -> Double
    {
        self.text(text, x: 0, y: 0, width: width, size: size, face: face, bold: bold, spacing: spacing, draw: false)
    }

    /// `text` in a cell: centred vertically, a size smaller when it takes more than two lines.
    func cell(_ text: String, x: Double, y: Double, width: Double, height: Double, size: Double, face: Face = .sans) {
        var size = size
        var h = measure(text, width: width, size: size, face: face, spacing: 0.1)
        while h > height - 4 && size > 6 {
            size -= 0.5
            h = measure(text, width: width, size: size, face: face, spacing: 0.1)
        }
        self.text(text, x: x, y: y + max(0, (height - h) / 2), width: width, size: size, face: face, spacing: 0.1)
    }

    static func format(_ size: Double) -> String { String(format: "%.2f", size) }

    // MARK: Lines and shapes

    func line(from: (Double, Double), to: (Double, Double), width: Double = 0.6, colour: (Double, Double, Double) = (0, 0, 0)) {
        g.set_source_rgb(context, colour.0, colour.1, colour.2)
        g.set_line_width(context, width)
        g.move_to(context, from.0, from.1)
        g.line_to(context, to.0, to.1)
        g.stroke(context)
    }

    func rectangle(
        x: Double, y: Double, width: Double, height: Double, line: Double = 0.6, colour: (Double, Double, Double) = (0, 0, 0), fill: Bool = false
    ) {
        g.set_source_rgb(context, colour.0, colour.1, colour.2)
        g.set_line_width(context, line)
        g.rectangle(context, x, y, width, height)
        if fill { g.fill(context) } else { g.stroke(context) }
    }

    func circle(x: Double, y: Double, radius: Double, line: Double = 0.8, colour: (Double, Double, Double), dashed: Bool = false) {
        g.new_path(context)
        g.set_source_rgb(context, colour.0, colour.1, colour.2)
        g.set_line_width(context, line)
        if dashed {
            let dashes: [Double] = [4, 3]
            g.set_dash(context, dashes, 2, 0)
        }
        g.arc(context, x, y, radius, 0, 2 * .pi)
        g.stroke(context)
        if dashed { g.set_dash(context, nil, 0, 0) }
    }

    /// A PNG image scaled to `size` points wide and high (its aspect kept), centred on (x, y);
    /// false when the file is not a PNG Cairo can read.
    func image(png path: String, centreX x: Double, centreY y: Double, size: Double) -> Bool {
        guard let image = g.image_surface_create_from_png(path) else { return false }
        defer { g.surface_destroy(image) }
        guard g.surface_status(image) == 0 else { return false }
        let w = Double(g.image_surface_get_width(image))
        let h = Double(g.image_surface_get_height(image))
        guard w > 0, h > 0 else { return false }
        let scale = size / max(w, h)
        g.save(context)
        g.translate(context, x - w * scale / 2, y - h * scale / 2)
        g.scale(context, scale, scale)
        g.set_source_surface(context, image, 0, 0)
        g.paint(context)
        g.restore(context)
        return true
    }

    // MARK: QR codes

    /// `text` as a QR code (byte mode, UTF-8, error correction level M), `size` points square
    /// with its quiet zone, top left at (x, y).
    /// `quiet`: the white margin drawn around the modules, in modules (4 by the standard; less
    /// where the page around the code is blank anyway).
    func qrCode(
        _ text: String, x: Double, y: Double, size: Double, correction: QRCode.Correction = .medium, quiet: Int = 4
    ) throws(LubanError) {
        let code = try QRCode(text, correction: correction)
        let n = code.width
        let module = size / Double(n + 2 * quiet)
        g.set_source_rgb(context, 1, 1, 1)
        g.rectangle(context, x, y, size, size)
        g.fill(context)
        g.set_source_rgb(context, 0, 0, 0)
        for row in 0..<n {
            for column in 0..<n where code.isDark(row: row, column: column) {
                g.rectangle(context, x + Double(column + quiet) * module, y + Double(row + quiet) * module, module, module)
            }
        }
        g.fill(context)
    }
}
