import CGraphics
import Foundation

// MARK: - A PDF's document information, read as a reader reads it

/// A PDF's document information through Poppler (`Sources/CGraphics/pdfreader.c`): the
/// trailer's `/Info`, found through cross-reference tables or streams and incremental updates
/// (the last one counts), its strings decoded from whatever encoding the writer chose.
public enum PDFInformation {
    public enum Problem: Error, Equatable {
        /// Poppler is not installed (Debian `libpoppler-glib8`).
        case noLibrary(String)
        /// The bytes are not a PDF Poppler can open.
        case unreadable(String)
    }

    /// The document's keywords (nil when it has none).
    public static func keywords(of bytes: [UInt8]) -> Result<String?, Problem> {
        var keywords: UnsafeMutablePointer<CChar>?
        var problem = [CChar](repeating: 0, count: 512)
        let status = bytes.withUnsafeBytes { raw in
            luban_pdf_keywords(raw.baseAddress, raw.count, &keywords, &problem, problem.count)
        }
        defer { luban_pdf_free(keywords) }
        let message = String(decoding: problem.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case LUBAN_PDF_OK: return .success(keywords.map { String(cString: $0) })
        case LUBAN_PDF_NO_KEYWORDS: return .success(nil)
        case LUBAN_PDF_NO_LIBRARY: return .failure(.noLibrary(message))
        default: return .failure(.unreadable(message))
        }
    }
}
