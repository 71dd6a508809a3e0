import Foundation
import Testing

@testable import LubanKit

/// Issue 15.3: what an office's spreadsheet looks like, understood by every import.
@Suite struct OfficeHabitsTests {
    func fullWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in ("0"..."9").contains(c) || c == "X" ? Unicode.Scalar(c.value + 0xFEE0)! : c }))
    }

    @Test func aRosterAsAnOfficeKeepsIt() throws {
        let db = try scenario(trainees: 0)
        let id = validID("11010119800101001")
        let file = """
            2014年第二期（承德）学员名单,,,,,,
            序号,姓名,身份证号码,工作单位,技术工种,联系电话,备注2
            1,王建国,\(fullWidth(id)),北京古建,木工,１３８１２３４５６７８,老学员
            """
        // A column luban does not know refuses the file, named; told to, luban passes it over.
        #expect {
            try db.importRoster(csv(file + "\n"), enrollIn: "2014-1")
        } throws: { error in
            guard case LubanError.fileRefused(_, let findings, 1) = error else { return false }
            return findings[0].line == 2 && findings[0].message.en.hasPrefix("column 7, '备注2', is not one luban imports (the columns read:")
        }
        let reader = try csv(file + "\n")
        reader.ignoresUnknownColumns = true
        let r = try db.importRoster(reader, enrollIn: "2014-1")
        #expect(r.added == 1 && r.enrolled == 1)
        #expect(r.ignoredColumns == ["备注2"], "named, never dropped in silence; 序号 is known to carry nothing")
        // What an office's roster has that luban does not keep is passed over, and named.
        let more = try db.importRoster(csv("姓名,性别,民族,身份证号\n王建国,男,汉,\(id)\n"))
        #expect(more.unchanged == 1 && more.ignoredColumns == ["性别", "民族"])
        let t = try db.trainee("T00001")
        #expect(t.idNumber == id && t.employer == "北京古建" && t.craft == "木工" && t.phone == "13812345678")
        // An old 15-digit number: refused, with the whole fix (insert 19, add the check
        // character) and no number printed in full; following it gives a valid number.
        #expect {
            try db.importRoster(csv("姓名,身份证号\n李四,110101800101002\n"))
        } throws: { error in
            guard case LubanError.fileRefused(_, let findings, 1) = error else { return false }
            let eighteen = IDNumber.eighteen(fromOld: "110101800101002")
            let check = String(eighteen.last!)
            let fixed = "110101" + "19" + "800101002" + check
            return findings.first?.message.en
                == "ID number '110101*****1002' is an old 15-digit number; make it 18 characters: put 19 after its first 6 digits and the check character \(check) at the end (\(Mask.idNumber(eighteen)))"
                && fixed == eighteen && (try? IDNumber(fixed)) != nil
        }
    }

    @Test func datesAndMarksAsPeopleWriteThem() throws {
        let db = try scenario(trainees: 4)
        let schedule = """
            日期,形式,学时,标题
            2014/4/8,课堂,８,一
            2014年4月9日,classroom,2,二
            2014.4.10,classroom,1.5,三
            2014/04/11,classroom,2,四
            """
        #expect(try db.importSchedule(cohort: "2014-1", csv(schedule + "\n")).recorded == 4)
        let dates = try db.sessions(cohort: "2014-1").map(\.date.description)
        #expect(dates == ["2014-04-08", "2014-04-09", "2014-04-10", "2014-04-11"])
        #expect(try db.sessions(cohort: "2014-1").first?.hours == 8)
        #expect(throws: LubanError.self) { try db.importSchedule(cohort: "2014-1", csv("date,kind,hours\n2014/13/1,classroom,2\n")) }
        // An office's own titles: 授课专家 and 内容 are read, not passed over.
        let titled = "上课日期,授课形式,课时,授课专家,内容\n2014-04-12,课堂,2,王,彩画基础\n"
        let imported = try db.importSchedule(cohort: "2014-1", csv(titled), addExperts: true)
        #expect(imported.recorded == 1 && imported.ignoredColumns.isEmpty, "\(imported.ignoredColumns)")
        let added = try #require(try db.sessions(cohort: "2014-1").first { $0.date.description == "2014-04-12" })
        #expect(added.expert == "王" && added.title == "彩画基础")
        // The marks of a paper sheet.
        let sheet = "课次,学员,考勤,签到\n1,T00001,√,\n1,T00002,迟,\n1,T00003,假,\n1,T00004,×,\n"
        let r = try db.importAttendance(csv(sheet), session: nil)
        #expect(r.recorded == 4 && r.ignoredColumns.isEmpty)
        let statuses = try db.attendanceHistory(session: "1").map(\.entry.status)
        #expect(statuses == [.present, .late, .excused, .absent])
    }
}
