import LubanDemo
import Testing

@testable import LubanKit

extension XMLScanner {
    /// Scans a whole part, given as one piece.
    static func scan(_ bytes: [UInt8], _ body: (Event) -> Void) throws(Malformed) {
        var scanner = XMLScanner()
        try scanner.scan(piece: bytes, body)
        try scanner.scanEnd(body)
    }
}

/// The reader of a workbook's XML parts: what it gives for what a workbook's parts contain, and
/// the line of what it refuses.
@Suite struct XMLScannerTests {
    func events(_ xml: String) throws -> [String] {
        var out: [String] = []
        try XMLScanner.scan(Array(xml.utf8)) { event in
            switch event {
            case .start(let name, let attributes):
                out.append("<\(name)" + attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined() + ">")
            case .end(let name): out.append("</\(name)>")
            case .text(let text): out.append(text)
            }
        }
        return out
    }

    /// The events of `bytes` given to the scanner in pieces cut at `cuts`, as `events` writes
    /// them, or the line it was refused at.
    func eventsInPieces(_ bytes: [UInt8], cutAt cuts: [Int]) -> Result<[String], XMLScanner.Malformed> {
        var scanner = XMLScanner()
        var out: [String] = []
        func take(_ event: XMLScanner.Event) { out.append(Self.written(event)) }
        do throws(XMLScanner.Malformed) {
            var from = 0
            for cut in cuts.sorted() + [bytes.count] where cut >= from {
                try scanner.scan(piece: bytes[from..<cut], take)
                from = cut
            }
            try scanner.scanEnd(take)
            return .success(out)
        } catch {
            return .failure(error)
        }
    }

    /// The same bytes scanned whole.
    func eventsWhole(_ bytes: [UInt8]) -> Result<[String], XMLScanner.Malformed> {
        var out: [String] = []
        do throws(XMLScanner.Malformed) {
            try XMLScanner.scan(bytes) { out.append(Self.written($0)) }
            return .success(out)
        } catch {
            return .failure(error)
        }
    }

    static func written(_ event: XMLScanner.Event) -> String {
        switch event {
        case .start(let name, let attributes):
            "<\(name)" + attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined() + ">"
        case .end(let name): "</\(name)>"
        case .text(let text): text
        }
    }

    func refusal(_ xml: String) -> XMLScanner.Malformed? {
        do {
            _ = try events(xml)
            return nil
        } catch let error as XMLScanner.Malformed {
            return error
        } catch {
            return nil
        }
    }

    @Test func whatAWorkbookPartHoldsIsRead() throws {
        let xml = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- written by hand -->
            <x:sst xmlns:x="urn:x" count='2'><x:si><x:t xml:space="preserve">a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#26446;&#x56DB;</x:t></x:si>
            <si><t><![CDATA[<not a tag> & raw]]></t><rPh/></si><si><t>one\r\ntwo\rthree</t></si><sheet name="花名册 &amp; 二" r:id="rId1"/></x:sst>
            """
        #expect(
            try events(xml).filter { !$0.allSatisfy(\.isWhitespace) } == [
                "<sst count=2 xmlns:x=urn:x>", "<si>", "<t xml:space=preserve>", "a <b> & \"c\" 'd' 李四", "</t>", "</si>",
                "<si>", "<t>", "<not a tag> & raw", "</t>", "<rPh>", "</rPh>", "</si>", "<si>", "<t>", "one\ntwo\nthree", "</t>", "</si>",
                "<sheet name=花名册 & 二 r:id=rId1>", "</sheet>", "</sst>",
            ])
    }

    @Test func whatIsNotWellFormedIsRefusedAtItsLine() {
        #expect(refusal("<a>\n<b>\n</a>")?.line == 3)
        #expect(refusal("<a>\n<b>x</b>")?.reason.contains("never closed") == true)
        #expect(refusal("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>")?.line == 2)
        #expect(refusal("<a>&e;</a>")?.reason.contains("&e;") == true)
        #expect(refusal("<a>AT&T</a>") != nil)
        #expect(refusal("<a>&#0;</a>") != nil)
        #expect(refusal("<a b=c/>") != nil)
        #expect(refusal("<a b=\"1\" b=\"2\"/>") != nil)
        #expect(refusal("<a>x</a>trailing") != nil)
        let broken: [UInt8] = Array("<a>".utf8) + [0xFF, 0xFE] + Array("</a>".utf8)
        #expect(throws: XMLScanner.Malformed.self) { try XMLScanner.scan(broken) { _ in } }
    }

    /// A part fed in pieces, as it is unpacked, gives the events of the whole part wherever it
    /// is cut: inside a tag, a quoted `>`, a reference, a comment, CDATA or a Chinese character.
    @Test func aPartReadInPiecesGivesTheSameEventsWhereverItIsCut() throws {
        let xml = Array(
            """
            \u{FEFF}<?xml version="1.0"?><!-- a > b --><sst count="2"><si><t a="x>y" b='q"r'>李 &amp; &#x56DB;\r\n</t></si>
            <si><t><![CDATA[<x> ]] & ]]></t><empty/></si></sst>\n
            """.utf8)
        let whole = try eventsWhole(xml).get()
        #expect(whole.contains("李 & 四\n") && whole.contains("<x> ]] & "))
        for cut in 0...xml.count {
            #expect(try eventsInPieces(xml, cutAt: [cut]).get() == whole, "cut at byte \(cut)")
        }
        #expect(try eventsInPieces(xml, cutAt: Array(0...xml.count)).get() == whole, "one byte at a time")
    }

    /// Fed in pieces, a text or tag is waited for up to 1 MiB (a cell holds at most 32,767
    /// characters); a longer one is refused rather than searched again at every piece.
    @Test func aTokenOverOneMiBIsRefusedInPieces() throws {
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 16)
        var scanner = XMLScanner()
        var texts = 0
        try scanner.scan(piece: Array("<t>".utf8)) { _ in }
        for _ in 0..<15 { try scanner.scan(piece: piece) { _ in } }
        try scanner.scan(piece: Array("</t>".utf8)) { if case .text(let text) = $0 { texts += text.utf8.count } }
        try scanner.scanEnd { _ in }
        #expect(texts == 15 << 16, "a text just under 1 MiB is read")
        var long = XMLScanner()
        let refused = #expect(throws: XMLScanner.Malformed.self) {
            try long.scan(piece: Array("<t>".utf8)) { _ in }
            for _ in 0..<17 { try long.scan(piece: piece) { _ in } }
        }
        #expect(refused?.reason.contains("longer than 1 MiB") == true, "\(String(describing: refused))")
    }

    /// Bytes of a sheet changed, cut and repeated at random: each either reads or is refused as
    /// not well-formed at a line of the file; none stops the process, and what reads never holds
    /// an unclosed element.
    @Test func mutatedPartsAreReadOrRefusedNeverCrash() {
        let sheet = Array(
            """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="urn:s" xmlns:r="urn:r"><sheetData>
            <row r="1"><c r="A1" t="inlineStr"><is><t>name &amp; 名</t></is></c><c r="B1" s="2"><v>42</v></c></row>
            <!-- c --><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v><![CDATA[<7>]]></v></c><x:y a='&#26446;'/></row>
            </sheetData></worksheet>
            """.utf8)
        var rng = SeededRandom(seed: 19)
        var (read, refused) = (0, 0)
        for _ in 0..<3_000 {
            var bytes = sheet
            for _ in 0..<rng.int(1...4) {
                let at = rng.int(0...(bytes.count - 1))
                switch rng.int(0...3) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(rng.pick(Array("<>&;/='\"![]-?#x".utf8)), at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + rng.int(1...40))], at: at)
                }
            }
            // In pieces, the same outcome as whole: the same events, or refused at the same line.
            let cuts = (0..<rng.int(1...6)).map { _ in rng.int(0...bytes.count) }
            switch (eventsWhole(bytes), eventsInPieces(bytes, cutAt: cuts)) {
            case (.success(let whole), .success(let pieces)): #expect(whole == pieces)
            case (.failure(let whole), .failure(let pieces)): #expect(whole.line == pieces.line, "cut at \(cuts)")
            default: Issue.record("whole and in pieces differ, cut at \(cuts)")
            }
            var depth = 0
            do {
                try XMLScanner.scan(bytes) { event in
                    if case .start = event { depth += 1 }
                    if case .end = event { depth -= 1 }
                }
                #expect(depth == 0)
                read += 1
            } catch {
                #expect(error.line >= 1 && error.line <= bytes.filter { $0 == 0x0A }.count + 1)
                refused += 1
            }
        }
        #expect(read > 100 && refused > 1_000, "both outcomes (read \(read), refused \(refused))")
    }
}
