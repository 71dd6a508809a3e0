// MARK: - The XML of a workbook's parts

/// A reader of the XML inside a workbook: elements (by local name, the prefix dropped), their
/// attributes (by name as written) and text, in order. Only what a workbook's parts use is
/// accepted: no DOCTYPE (so no entity can be declared, let alone expand), the five predefined
/// entities and character references; anything else, or a tag closed out of order, is not
/// well-formed and ends the scan with the line it is on. It is given a part in pieces as the
/// part is unpacked, so that a sheet of any size is read in the memory of a piece.
///
/// luban's own, instead of Foundation's `XMLParser`: that one brings libxml2 and ICU into
/// every luban process, loaded and relocated at each start, for the four parts of a workbook.
struct XMLScanner {
    enum Event {
        case start(name: String, attributes: Attributes)
        case end(name: String)
        case text(String)
    }

    /// A tag's attributes, in the order written: a tag has a few, and looking through them
    /// costs less than hashing them into a dictionary.
    struct Attributes: Sequence {
        fileprivate var pairs: [(key: String, value: String)] = []

        /// The value of the attribute `name` (as written, prefix and all), or nil.
        subscript(name: String) -> String? { pairs.first { $0.key == name }?.value }

        func makeIterator() -> IndexingIterator<[(key: String, value: String)]> { pairs.makeIterator() }
    }

    struct Malformed: Error {
        let line: Int
        let reason: String
    }

    /// The bytes not yet read (from `i`), and the line breaks in those already dropped.
    private var bytes: [UInt8] = []
    private var i = 0
    private var linesDropped = 0
    /// Whether every byte has come (`scan(piece:)` is given a part in pieces until `scanEnd`).
    private var isFinal = false
    private var atStart = true
    private var open: [String] = []
    private var pendingEnd: String?
    /// How far past `i` the token waiting for more bytes has already been searched for its
    /// end, and in which quotes that search ended (a tag's `>` inside quotes is not its end):
    /// each piece searches only the bytes it brought, not the whole token again.
    private var searchedAhead = 0
    private var searchedQuote: UInt8?

    /// The longest tag or text read in pieces (a cell holds at most 32,767 characters).
    static let longestToken = 1 << 20

    /// The deepest elements may be nested: a sheet's cell text is six levels down
    /// (worksheet, sheetData, row, c, is, r, t), and no part of a workbook goes much deeper. A
    /// document nested deeper is refused rather than followed down (a megabyte of zip unpacks
    /// into hundreds of millions of open elements).
    static let deepest = 32

    /// The line the scan is on (1 for the first).
    var line: Int { bytes[..<min(i, bytes.count)].reduce(linesDropped + 1) { $1 == 0x0A ? $0 + 1 : $0 } }

    /// Reads the next piece of a part, calling `body` for each event that the pieces so far
    /// complete; a tag or text cut off at the piece's end waits for the next.
    mutating func scan(piece: some Collection<UInt8>, _ body: (Event) -> Void) throws(Malformed) {
        if i > 0 {
            linesDropped = line - 1
            bytes.removeSubrange(..<i)
            i = 0
        }
        bytes.append(contentsOf: piece)
        while let event = try next() { body(event) }
    }

    /// Reads what is left once every piece has come.
    mutating func scanEnd(_ body: (Event) -> Void) throws(Malformed) {
        isFinal = true
        while let event = try next() { body(event) }
    }

    /// The next event; nil at the end of a well-formed document, or (before the last piece)
    /// when the bytes so far hold no complete one.
    mutating func next() throws(Malformed) -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name: name)
        }
        if atStart {
            guard bytes.count >= 3 || isFinal else { return nil }
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            atStart = false
        }
        while i < bytes.count {
            if !isFinal && !tokenHasCome() {
                // Waiting for more is bounded: each piece looks for the token's end again.
                guard bytes.count - i <= Self.longestToken else { throw fail("a tag or text longer than 1 MiB, which a workbook's parts never have") }
                return nil
            }
            if bytes[i] != UInt8(ascii: "<") {
                let start = i
                while i < bytes.count && bytes[i] != UInt8(ascii: "<") { i += 1 }
                let text = try decode(bytes[start..<i])
                if open.isEmpty {
                    guard text.allSatisfy(\.isWhitespace) else { throw fail("text outside the document's element") }
                    continue
                }
                return .text(text)
            }
            let after = i + 1 < bytes.count ? bytes[i + 1] : 0
            if after != UInt8(ascii: "!") && after != UInt8(ascii: "?") && after != UInt8(ascii: "/") {
                return try startTag()
            } else if matches("<!--") {
                try skip(past: "-->")
            } else if matches("<![CDATA[") {
                i += 9
                let start = i
                try skip(past: "]]>")
                guard !open.isEmpty else { throw fail("text outside the document's element") }
                return .text(try utf8(bytes[start..<(i - 3)]))
            } else if matches("<?") {
                try skip(past: "?>")
            } else if matches("<!") {
                throw fail("a DOCTYPE or declaration, which a workbook's parts never have")
            } else if matches("</") {
                i += 2
                let name = try self.name()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("an end tag not closed with >") }
                i += 1
                guard let top = open.popLast(), top == name else { throw fail("</\(excerpt(String(name)))> closes an element that is not open") }
                return .end(name: Self.local(name))
            }
        }
        guard isFinal else { return nil }
        guard open.isEmpty else { throw fail("<\(excerpt(String(open.last!)))> is never closed") }
        return nil
    }

    /// Whether the text or markup at `i` ends within the bytes so far: text at the next `<`, a
    /// comment, CDATA or declaration at its closing literal, a tag at a `>` outside quotes.
    private mutating func tokenHasCome() -> Bool {
        let come = searchForTokenEnd()
        if come {
            (searchedAhead, searchedQuote) = (0, nil)
        }
        return come
    }

    private mutating func searchForTokenEnd() -> Bool {
        let from = min(i + max(1, searchedAhead), bytes.count)
        guard bytes[i] == UInt8(ascii: "<") else {
            searchedAhead = bytes.count - i
            return bytes[from...].contains(UInt8(ascii: "<"))
        }
        guard bytes.count - i >= 9 else { return false }  // enough to tell "<![CDATA[" from a tag
        searchedAhead = bytes.count - i
        // A closing literal may straddle the bytes searched before and the new ones.
        if matches("<!--") { return find("-->", from: max(i + 4, from - 2)) != nil }
        if matches("<![CDATA[") { return find("]]>", from: max(i + 9, from - 2)) != nil }
        if matches("<?") { return find("?>", from: max(i + 2, from - 1)) != nil }
        var quote = searchedQuote
        defer { searchedQuote = quote }
        for b in bytes[from...] {
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return true
            }
        }
        return false
    }

    /// Where `literal` next begins, at `start` or after, or nil.
    private func find(_ literal: StaticString, from start: Int) -> Int? {
        literal.withUTF8Buffer { wanted in
            var j = start
            while j + wanted.count <= bytes.count {
                if bytes[j] == wanted[0] && bytes[j..<(j + wanted.count)].elementsEqual(wanted) { return j }
                j += 1
            }
            return nil
        }
    }

    /// A start tag, its `<` at `i`; an empty-element tag also gives its end next.
    private mutating func startTag() throws(Malformed) -> Event {
        i += 1
        let name = try self.name()
        var attributes = Attributes()
        while true {
            skipSpace()
            guard i < bytes.count else { throw fail("a tag left open at the end") }
            if bytes[i] == UInt8(ascii: ">") {
                i += 1
                guard open.count < Self.deepest else {
                    throw fail("elements nested more than \(Self.deepest) deep, which a workbook's parts never are")
                }
                open.append(name)
                break
            }
            if matches("/>") {
                i += 2
                pendingEnd = Self.local(name)
                break
            }
            let key = try self.name()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute \(excerpt(String(key))) without a value") }
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                throw fail("attribute \(excerpt(String(key))) with an unquoted value")
            }
            let quote = bytes[i]
            i += 1
            let start = i
            while i < bytes.count && bytes[i] != quote && bytes[i] != UInt8(ascii: "<") { i += 1 }
            guard i < bytes.count, bytes[i] == quote else { throw fail("attribute \(excerpt(String(key))) whose value is not closed") }
            guard attributes[String(key)] == nil else { throw fail("attribute \(excerpt(String(key))) given twice") }
            attributes.pairs.append((String(key), try decode(bytes[start..<i], attribute: true)))
            i += 1
        }
        return .start(name: Self.local(name), attributes: attributes)
    }

    /// A name without its prefix (a String, not a Substring: a short one is kept inline, and
    /// compares with the names a reader looks for without the slow path a Substring takes).
    private static func local(_ name: String) -> String {
        name.lastIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { expected in
            for k in 0..<count where bytes[i + k] != expected[k] { return false }
            return true
        }
    }

    private mutating func skip(past literal: StaticString) throws(Malformed) {
        guard let at = find(literal, from: i) else {
            i = bytes.count
            throw fail("\(literal) never comes")
        }
        i = at + literal.utf8CodeUnitCount
    }

    private mutating func skipSpace() {
        while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
    }

    /// A tag's or attribute's name: anything up to white space, `=`, `/` or `>`.
    private mutating func name() throws(Malformed) -> String {
        let start = i
        while i < bytes.count, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: "/"), bytes[i] != UInt8(ascii: ">"),
            bytes[i] != UInt8(ascii: "<")
        {
            i += 1
        }
        guard i > start else { throw fail("a tag without a name") }
        return try utf8(bytes[start..<i])
    }

    private func utf8(_ slice: ArraySlice<UInt8>) throws(Malformed) -> String {
        // ASCII (every name, number and reference of a sheet) needs no validating, which for a
        // slice looks up generic metadata at run time: a tenth of reading a sheet.
        if !slice.contains(where: { $0 >= 0x80 }) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else { throw fail("bytes that are not UTF-8") }
        return text
    }

    /// Text with its references replaced and its line breaks made `\n` (an attribute's white
    /// space made spaces), as XML says a reader sees it.
    private func decode(_ slice: ArraySlice<UInt8>, attribute: Bool = false) throws(Malformed) -> String {
        if !slice.contains(where: { $0 == UInt8(ascii: "&") || $0 == 0x0D || (attribute && ($0 == 0x0A || $0 == 0x09)) }) { return try utf8(slice) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var j = slice.startIndex
        while j < slice.endIndex {
            let b = slice[j]
            if b == UInt8(ascii: "&") {
                guard let semicolon = slice[j...].firstIndex(of: UInt8(ascii: ";")), semicolon - j <= 10 else {
                    throw fail("an & that starts no reference (write &amp;)")
                }
                let name = String(decoding: slice[(j + 1)..<semicolon], as: UTF8.self)
                let scalar: Unicode.Scalar?
                switch name {
                case "lt": scalar = "<"
                case "gt": scalar = ">"
                case "amp": scalar = "&"
                case "quot": scalar = "\""
                case "apos": scalar = "'"
                default:
                    if name.hasPrefix("#x") || name.hasPrefix("#X") {
                        scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    } else if name.hasPrefix("#") {
                        scalar = UInt32(name.dropFirst(1)).flatMap(Unicode.Scalar.init)
                    } else {
                        throw fail("the entity &\(name); which a workbook's parts never use")
                    }
                }
                guard let scalar, scalar.value != 0 else { throw fail("the reference &\(name); names no character") }
                out += Array(String(scalar).utf8)
                j = semicolon + 1
            } else if b == 0x0D {
                // \r\n and a lone \r are one line break.
                out.append(attribute ? 0x20 : 0x0A)
                j += 1
                if j < slice.endIndex, slice[j] == 0x0A { j += 1 }
            } else {
                out.append(attribute && (b == 0x0A || b == 0x09) ? 0x20 : b)
                j += 1
            }
        }
        return try utf8(out[...])
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private func fail(_ reason: String) -> Malformed { Malformed(line: line, reason: reason) }
}
