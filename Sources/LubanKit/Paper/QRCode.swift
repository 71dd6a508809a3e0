import CGraphics

// MARK: - QR codes

/// `text` as a QR code (byte mode, UTF-8, error correction level M unless asked otherwise): its
/// square of modules, for a PDF page, an SVG image or a terminal.
public struct QRCode: Sendable {
    /// How much of the code can be lost and still read: L about 7 %, M about 15 %. Lower
    /// correction leaves room for larger modules, which a distant or low-resolution camera needs.
    public enum Correction: Int32, Sendable {
        case low = 0
        case medium = 1
    }

    /// Modules per side (without the quiet zone).
    public let width: Int
    /// Row by row: true for a dark module.
    public let modules: [Bool]

    public init(_ text: String, correction: Correction = .medium) throws(LubanError) {
        let g = try PDFDocument.graphics()
        let bytes = Array(text.utf8)
        // QR_ECLEVEL_L = 0, QR_ECLEVEL_M = 1; version 0 = the smallest that holds the data.
        guard let code = bytes.withUnsafeBufferPointer({ g.qr_encode_data(Int32($0.count), $0.baseAddress, 0, correction.rawValue) }) else {
            throw .refused(zh: "QR 码容纳不下这段文字（\(bytes.count) 字节）", en: "the text does not fit a QR code (\(bytes.count) bytes)")
        }
        defer { g.qr_free(code) }
        width = Int(code.pointee.width)
        var modules: [Bool] = []
        modules.reserveCapacity(width * width)
        for i in 0..<(width * width) { modules.append(code.pointee.data[i] & 1 == 1) }
        self.modules = modules
    }

    public func isDark(row: Int, column: Int) -> Bool {
        row >= 0 && row < width && column >= 0 && column < width && modules[row * width + column]
    }

    /// As an SVG image, `size` pixels square with a quiet zone of 4 modules, one path.
    public func svg(size: Int) -> String {
        let side = width + 8
        var path = ""
        for row in 0..<width {
            for column in 0..<width where isDark(row: row, column: column) {
                path += "M\(column + 4) \(row + 4)h1v1h-1z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(size)" height="\(size)" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// For a terminal: two module rows per line in half blocks, dark on light, with a quiet
    /// zone of 2 modules (terminals are dark or light; the light frame makes it scan on both).
    public var terminalText: String {
        var lines: [String] = []
        var row = -2
        while row < width + 2 {
            var line = "\u{1B}[30;47m"
            for column in -2..<(width + 2) {
                switch (isDark(row: row, column: column), isDark(row: row + 1, column: column)) {
                case (true, true): line += "█"
                case (true, false): line += "▀"
                case (false, true): line += "▄"
                case (false, false): line += " "
                }
            }
            lines.append(line + "\u{1B}[0m")
            row += 2
        }
        return lines.joined(separator: "\n")
    }
}
