import Testing

@testable import LubanKit

@Suite struct IDNumberTests {
    @Test func acceptsAValidNumber() throws {
        #expect(try IDNumber("110101199003078515").value == "110101199003078515")
        #expect(try IDNumber("110101199003078515").birthDate == CalendarDate(year: 1990, month: 3, day: 7))
    }

    @Test func acceptsLowerCaseXAndStoresUpperCase() throws {
        let id = validID("11010519491231002")
        #expect(id.hasSuffix("X"))
        #expect(try IDNumber(id.lowercased()).value == id)
    }

    @Test func refusesAWrongCheckCharacter() {
        #expect(throws: IDNumberError.checkCharacter("110101199003078516", expected: "5", found: "6")) { try IDNumber("110101199003078516") }
    }

    @Test func refusesAnImpossibleDate() {
        let id = validID("11010119900230001")
        #expect(throws: IDNumberError.birthDate(id, "19900230")) { try IDNumber(id) }
    }

    @Test func refusesAWrongLength() {
        #expect(throws: IDNumberError.length("11010119900307851", 17)) { try IDNumber("11010119900307851") }
    }

    @Test func refusesLettersAndUnknownRegions() {
        #expect(throws: IDNumberError.character("11010A199003078515", position: 6)) { try IDNumber("11010A199003078515") }
        let id = validID("99010119900307851")
        #expect(throws: IDNumberError.region(id, "990101")) { try IDNumber(id) }
    }

    @Test func messagesNameThePart() {
        #expect(IDNumberError.checkCharacter("x", expected: "5", found: "6").reason.contains("check character"))
        // A message shows the number masked, and never the birth date the mask hides.
        let bad = IDNumberError.birthDate("110101199002300011", "19900230").reason
        #expect(bad == "ID number '110101********0011': the date of birth (characters 7-14) is not a real date")
        #expect(IDNumberError.checkCharacter("110101199003078516", expected: "5", found: "6").reason.hasPrefix("ID number '110101********8516'"))
    }
}
