import Foundation
import GRDB
import Testing

@testable import LubanKit

@Suite struct TraineeEditTests {
    @Test func aCorrectedNameLeavesIssuedCertificatesAsIssued() throws {
        let (db, _, certificate) = try certifiedScenario(trainees: 2)
        let number = certificate.number
        let (after, changed) = try db.editTrainee("T00001", name: "王建军", phone: "13812345678")
        #expect(after.name == "王建军" && changed == ["name", "phone"])
        // The certificate keeps the name it was issued with, and still verifies.
        #expect(Verification.verify(number: number, database: db, publicKey: testKey.publicKey).isValid)
        let text = try #require(try db.printed(db.register(numbers: [number]), language: .zh, showID: false, templates: .builtIn, key: testKey).first)
            .text
        #expect(text.contains("兹证明 学员1") && !text.contains("王建军"))
        // Kept with its values (the phone masked); the log names the fields only.
        let corrections = try db.traineeChanges("T00001")
        #expect(corrections.map { "\($0.field): \($0.before) → \($0.after)" } == ["name: 学员1 → 王建军", "phone:  → 138****5678"])
        #expect(try db.changes().last.map { "\($0.action): \($0.detail)" } == "trainee edit: T00001: name, phone")
        // Every check trainee add makes: another's ID number, a bad phone, a control character.
        let other = try db.trainee("T00002")
        #expect(throws: LubanError.duplicateIDNumber(id: other.idNumber!, holder: other.label)) {
            try db.editTrainee("T00001", idNumber: try IDNumber(other.idNumber!))
        }
        #expect(throws: LubanError.self) { try db.editTrainee("T00001", phone: "12345") }
        #expect(throws: LubanError.self) { try db.editTrainee("T00001", name: "王\u{202E}") }
        #expect(performing: { try db.editTrainee("T00001", name: "王建军") }, throws: refusal("T00001 already reads so; nothing to change"))
        // Erasing the person erases their corrections and the certificate's copy of them.
        _ = try db.forget("T00001")
        #expect(try db.traineeChanges("T00001").isEmpty)
        #expect(
            try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM certificate WHERE holder_name IS NOT NULL OR holder_id IS NOT NULL") } == 0)
        #expect(Verification.verify(number: number, database: db, publicKey: testKey.publicKey).isValid)
    }

    @Test func onlyATraineeNothingRefersToIsRemoved() throws {
        let db = try scenario(trainees: 1)
        let stray = try db.addTrainee(TraineeDetails(name: "误加", idNumber: try IDNumber(validID("11010119800505009"))))
        #expect(
            performing: {
                try db.removeTrainee("T00001")
            }, throws: refusal("T00001 has an enrolment, so the record stays; a person who asks to be forgotten is erased instead"))
        #expect(try db.removeTrainee(stray.code).code == stray.code)
        #expect(throws: LubanError.unknownTrainee(stray.code)) { try db.trainee(stray.code) }
    }
}
