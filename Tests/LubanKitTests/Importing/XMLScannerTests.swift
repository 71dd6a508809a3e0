import Testing

@testable import LubanKit

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
}
