import Foundation
import TestSupport
import Testing

@testable import LubanKit

@Suite struct CSVReaderTests {
    func records(_ r: CSVReader) throws -> [[String]] {
        var out: [[String]] = []
        while try r.next() { out.append(try (0..<r.count).map { try r.field($0) }) }
        return out
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let r = try csv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",z\r\nlast,row\r\n")
        let rows = try records(r)
        #expect(rows == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"], ["last", "row"]])
    }

    @Test func recordsKnowTheLineTheyStartOn() throws {
        let r = try csv("h\n\"a\nb\"\nc\n")
        #expect(try r.next() && r.line == 1)
        #expect(try r.next() && r.line == 2)
        #expect(try r.next() && r.line == 4)
    }

    @Test func readsGB18030AsExcelSavesIt() throws {
        let r = try CSVReader(path: fixture("roster-gbk.csv"))
        #expect(r.encoding == .gb18030)
        let rows = try records(r)
        #expect(rows[0] == ["姓名", "身份证号", "工作单位", "工种"])
        #expect(rows[1][0] == "王建国")
    }

    @Test func skipsAUTF8ByteOrderMark() throws {
        let r = try CSVReader(path: fixture("roster-bom.csv"))
        #expect(r.encoding == .utf8BOM)
        #expect(try records(r)[0][0] == "name")
    }

    @Test func refusesAnUnterminatedQuoteWithItsLine() throws {
        let r = try csv("a,b\n1,\"open\n2,3\n")
        #expect(try r.next())
        #expect { _ = try r.next() } throws: { error in
            guard case LubanError.fileRefused(_, let findings, _) = error else { return false }
            return findings.first?.line == 2 && findings.first!.message.en.contains("never closed")
        }
    }

    @Test func refusesNULBytesAndHugeCells() throws {
        let nul = try CSVReader(bytes: Array("a\n\u{0}\n".utf8), name: "bin.csv")
        #expect(try nul.next())
        #expect(throws: LubanError.self) { _ = try nul.next() }
        let huge = try csv("a\n" + String(repeating: "x", count: CSVReader.maxFieldBytes + 10) + "\n")
        #expect(try huge.next())
        #expect(throws: LubanError.self) { _ = try huge.next() }
    }

    @Test func refusesBytesThatAreNeitherUTF8NorGB18030() {
        #expect(throws: LubanError.self) { _ = try CSVReader(bytes: [0x61, 0x0A, 0xFF, 0xFF, 0x0A], name: "x.csv") }
    }

    @Test func headerChecksMissingAndRepeatedColumns() throws {
        #expect { _ = try CSVColumns(reader: try csv("name,phone\n"), required: ["name", "id_number"]) } throws: { error in
            (error as? LubanError)?.errorDescription?.contains("lacks id_number") == true
        }
        #expect { _ = try CSVColumns(reader: try csv("name,name,id_number\n"), required: ["name"]) } throws: { error in
            (error as? LubanError)?.errorDescription?.contains("appears twice") == true
        }
        #expect { _ = try CSVColumns(reader: try csv(""), required: ["name"]) } throws: { error in
            (error as? LubanError)?.errorDescription?.contains("empty") == true
        }
    }
}

/// Issue 12.3: a file is read in one encoding; one that mixes UTF-8 and GBK lines is refused,
/// naming the lines, wherever the odd line is.
@Suite struct OneEncodingPerFileTests {
    static let gbkRow: [UInt8] = [0xC0, 0xEE, 0xCB, 0xC4] + Array(",x\n".utf8)  // 李四 in GBK
    static let utf8Row = Array("王建国,x\n".utf8)

    func read(_ bytes: [UInt8]) throws -> [String] {
        let r = try CSVReader(bytes: bytes, name: "mixed.csv")
        var names: [String] = []
        while try r.next() { names.append(try r.field(0)) }
        return names
    }

    func readFromFile(_ bytes: [UInt8]) throws -> [String] {
        let path = Scratch.path("luban-mixed") + ".csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CSVReader(path: path, name: "mixed.csv")
        var names: [String] = []
        while try r.next() { names.append(try r.field(0)) }
        return names
    }

    @Test func theOddRowFirstLastOrPast64KiBIsRefusedWithItsLine() throws {
        let header = Array("name,note\n".utf8)
        let utf8Rows = (0..<5).flatMap { _ in Self.utf8Row }
        let manyRows = (0..<12_000).flatMap { _ in Self.utf8Row }  // about 140 KB
        let cases: [(String, [UInt8], Int, Int)] = [
            ("first", header + Self.gbkRow + utf8Rows, 2, 3),
            ("last", header + utf8Rows + Self.gbkRow, 7, 2),
            ("past 64 KiB", header + manyRows + Self.gbkRow + utf8Rows, 12_002, 2),
            // Past the first 1 MiB chunk a file is read in: the check runs over every chunk.
            ("past 1 MiB", header + (0..<100_000).flatMap { _ in Self.utf8Row } + Self.gbkRow + utf8Rows, 100_002, 2),
        ]
        #expect(cases[3].1.count > 1024 * 1024)
        for (where_, bytes, badLine, utf8Line) in cases {
            for reader in [read, readFromFile] {
                do {
                    _ = try reader(bytes)
                    Issue.record("the GBK row \(where_) was read without a word")
                } catch let LubanError.fileRefused(file, findings, _) {
                    #expect(file == "mixed.csv")
                    #expect(findings.map(\.line) == [badLine], "\(where_)")
                    #expect(findings.first?.message == CSVReader.mixedMessage(utf8Line: utf8Line, otherLine: badLine), "\(where_): \(findings)")
                }
            }
        }
        // A file wholly in UTF-8 that is read in several chunks, with characters cut at the
        // chunk boundaries (12-byte rows; 1 MiB is not a multiple of 12), is read whole.
        let big = header + (0..<300_000).flatMap { _ in Self.utf8Row }
        #expect(big.count > 3 * 1024 * 1024)
        #expect(try readFromFile(big).count == 300_001)
        // A file wholly in GBK, or wholly in UTF-8, is read.
        #expect(try read(header + Self.gbkRow + Self.gbkRow) == ["name", "李四", "李四"])
        #expect(try readFromFile(header + manyRows).count == 12_001)
    }
}
