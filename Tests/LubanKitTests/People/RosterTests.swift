import Testing

@testable import LubanKit

@Suite struct RosterTests {
    @Test func importsGBKAndBOMRostersWithQuotedLineBreaks() throws {
        let db = try scenario(trainees: 0)
        let gbk = try db.importRoster(try CSVReader(path: fixture("roster-gbk.csv")))
        #expect(gbk.added == 3)
        // Known people with other details: refused, unless the roster is imported as an update.
        #expect {
            try db.importRoster(try CSVReader(path: fixture("roster-bom.csv")))
        } throws: { error in
            guard case LubanError.fileRefused(_, let findings, 2) = error else { return false }
            return findings.map(\.message.en) == [
                "T00001's employer, phone in the records do not match this row; import the roster as an update to correct them",
                "T00002's employer in the records do not match this row; import the roster as an update to correct them",
            ]
        }
        let bom = try db.importRoster(try CSVReader(path: fixture("roster-bom.csv")), update: true)
        #expect(bom.added == 0)
        #expect(bom.corrected == 2)
        #expect(try db.traineeChanges("T00001").map(\.field) == ["employer", "phone"])
        let wang = try db.trainee("110101198001010010")
        #expect(wang.employer == "北京古建公司, 二分公司")
        #expect(wang.phone == "13812345678")
        // A cell's line break (Alt+Enter in Excel) in a one-line field becomes a space.
        #expect(try db.trainee("110102198506150023").employer == "承德古建公司 （驻场）")
    }

    @Test func theSameFileTwiceAddsNothing() throws {
        let db = try scenario(trainees: 0)
        #expect(try db.importRoster(try CSVReader(path: fixture("roster-gbk.csv"))).added == 3)
        let before = try snapshot(db).filter { !$0.hasPrefix("change_log") }
        let again = try db.importRoster(try CSVReader(path: fixture("roster-gbk.csv")))
        #expect(again.added == 0 && again.unchanged == 3)
        #expect(try snapshot(db).filter { !$0.hasPrefix("change_log") } == before)
    }

    @Test func aFileWithBadRowsChangesNothingAndListsEveryBadRow() throws {
        let db = try scenario(trainees: 0)
        let before = try snapshot(db)
        let text = "name,id_number\n王建国,\(validID("11010119800101001"))\n李四,110101199003078516\n,\(validID("11010119800101002"))\n张三,11010119900230\n"
        #expect { _ = try db.importRoster(try csv(text, name: "roster.csv")) } throws: { error in
            guard case LubanError.fileRefused("roster.csv", let findings, 3) = error else { return false }
            return findings.map(\.line) == [3, 4, 5]
        }
        #expect(try snapshot(db) == before)
    }

    @Test func anIDNumberOfSomeoneElseIsRefused() throws {
        let db = try scenario(trainees: 1)
        let id = try db.trainee("T00001").idNumber!
        #expect(throws: LubanError.duplicateIDNumber(id: id, holder: "T00001 学员1")) {
            try db.addTrainee(TraineeDetails(name: "别人", idNumber: try IDNumber(id)))
        }
        #expect { _ = try db.importRoster(try csv("name,id_number\n别人,\(id)\n")) } throws: { error in
            (error as? LubanError)?.errorDescription?.contains("belongs to T00001") == true
        }
    }

    @Test func enrollingTwiceIsNeitherAnErrorNorADuplicate() throws {
        let db = try scenario(trainees: 2)
        #expect(try db.enroll(cohort: "2014-1", trainees: ["T00001", "T00002"]) == 0)
        #expect(try db.roster(try db.cohort("2014-1")).count == 2)
        #expect(try db.enroll(cohort: "2014-1", csv: try csv("trainee\nT00001\n")).enrolled == 0)
    }

    @Test func traineesAreFoundByCodeOrIDNumber() throws {
        let db = try scenario(trainees: 1)
        let t = try db.trainee("T00001")
        #expect(try db.trainee(t.idNumber!).code == "T00001")
        #expect(try db.trainee("t00001").code == "T00001")
        #expect(throws: LubanError.unknownTrainee("T09999")) { try db.trainee("T09999") }
    }
}

@Suite struct RosterEdgeTests {
    /// One ID number given to two names in one file is refused, naming both lines, never merged.
    @Test func oneIDNumberForTwoNamesInOneFileIsRefused() throws {
        let db = try scenario(trainees: 0)
        let before = try snapshot(db)
        let id = validID("11010119800101001")
        #expect(
            performing: { try db.importRoster(csv("name,id_number\n王建国,\(id)\n王建华,\(id)\n")) },
            throws: fileRefusal("test.csv", [(3, "ID number \(Mask.idNumber(id)) is also on line 2 with another name; keep one row per person")]))
        #expect(try snapshot(db) == before)
    }

    /// Forgetting erases every detail, the phone number too.
    @Test func forgettingErasesEveryDetail() throws {
        let db = try scenario(trainees: 0)
        let t = try db.addTrainee(
            TraineeDetails(name: "王建国", idNumber: try IDNumber(validID("11010119800101001")), employer: "北京古建", craft: "木工", phone: "13812345678"))
        let erased = try db.forget(t.code)
        #expect(erased.name == LubanDatabase.erasedName)
        #expect(erased.idNumber == nil && erased.employer == nil && erased.craft == nil && erased.phone == nil)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM trainee WHERE phone IS NOT NULL OR id_number IS NOT NULL") } == 0)
    }
}

/// The lines an import has met, by row id.
@Suite struct LinesByRowIDTests {
    @Test func linesAreKeptByRowIDAcrossPages() {
        var seen = LinesByRowID()
        #expect(seen[1] == nil)
        seen[1] = 2
        seen[4096] = 3
        seen[1_000_000] = 4
        #expect(seen[1] == 2 && seen[4096] == 3 && seen[1_000_000] == 4)
        #expect(seen[2] == nil && seen[4095] == nil && seen[999_999] == nil)
        seen[1] = nil
        #expect(seen[1] == nil)
    }
}
