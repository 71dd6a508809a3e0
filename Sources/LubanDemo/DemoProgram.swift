import Foundation
import LubanKit

// MARK: - The built-in demo

/// Fills an empty database with the program as the source document tells it: six cohorts
/// from September 2013 in Chengde to 2016, about 88 trainees each, some of them returning, with
/// schedules, roll calls read back from filled sheets, experts' sign-offs and certificates.
///
/// It writes the same CSV files a user would and reads them through the same imports
/// (`trainee import`, `session import`, `attend --csv`, `signoff import`, `certify`), so the
/// demo exercises the paths a user's commands take.
public enum DemoProgram {
    public static let seed: UInt64 = 2013_09

    struct CohortPlan {
        var code: String
        var title: String
        var start: CalendarDate
        var size: Int
    }

    static let plans: [CohortPlan] = [
        .init(code: "2013-1", title: "第一期", start: CalendarDate(year: 2013, month: 9, day: 9)!, size: 82),
        .init(code: "2014-1", title: "第二期", start: CalendarDate(year: 2014, month: 4, day: 8)!, size: 88),
        .init(code: "2014-2", title: "第三期", start: CalendarDate(year: 2014, month: 9, day: 15)!, size: 90),
        .init(code: "2015-1", title: "第四期", start: CalendarDate(year: 2015, month: 4, day: 13)!, size: 86),
        .init(code: "2015-2", title: "第五期", start: CalendarDate(year: 2015, month: 9, day: 14)!, size: 93),
        .init(code: "2016-1", title: "第六期", start: CalendarDate(year: 2016, month: 4, day: 11)!, size: 91),
    ]

    static let classroomExperts = ["张宝山", "刘振华", "赵德明"]
    static let furnitureExperts = ["陈守义", "孙立本"]
    static let fieldSites = ["避暑山庄", "普宁寺", "普乐寺", "外八庙", "须弥福寿之庙", "普陀宗乘之庙"]
    static let masters = ["周文远", "吴广福", "郑长林"]

    struct Person {
        var name: String
        var id: String
        var employer: String
        var craft: String
        var phone: String
    }

    /// Runs the demo on the database at `databasePath`; returns what to print (a summary and what to try next).
    public static func run(databasePath: String, log: (String) -> Void) throws(LubanError) -> String {
        let db = try LubanDatabase(path: databasePath, create: true)
        let counts = try db.read { d in
            try Int.fetchOne(d, sql: "SELECT (SELECT count(*) FROM curriculum) + (SELECT count(*) FROM trainee) + (SELECT count(*) FROM cohort)") ?? 0
        }
        guard counts == 0 else {
            throw .refused(
                zh: "\(databasePath) 已有数据；演示只填充空数据库。请另用一个：luban demo --db demo.sqlite",
                en: "\(databasePath) already holds data; the demo fills only an empty database. Use another one: luban demo --db demo.sqlite")
        }
        var rng = SeededRandom(seed: seed)
        // The demo signs with a fixed key so that its certificates (and Reports/samples) are the
        // same on every run. It is public: never use a demo database for real certificates.
        let keyPath = IssuerKey.path(forDatabase: databasePath)
        let seedBytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let (key, _) = try IssuerKey.loadOrCreate(at: keyPath, seed: seedBytes)
        try db.registerIssuer(key)
        // A fresh owner-only folder of its own (mkdtemp), so nothing planted in the temporary
        // folder can be followed.
        var template = Array((FileManager.default.temporaryDirectory.path + "/luban-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .file(
                path: FileManager.default.temporaryDirectory.path,
                reason: Phrase(
                    zh: "无法为演示的表格创建文件夹（\(String(cString: strerror(errno)))）",
                    en: "cannot create a folder for the demo's sheets (\(String(cString: strerror(errno))))"))
        }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func file(_ name: String, _ header: [String], _ rows: [[String]]) throws(LubanError) -> String {
            let path = (folder as NSString).appendingPathComponent(name)
            try OutputFile.write(CSVWriter().document(header: header, rows: rows), to: path)
            return path
        }

        let curriculum = try CurriculumLoader.parse(BuiltIn.lubanCurriculum, file: "Curriculum/luban.yaml")
        try db.loadCurriculum(curriculum, source: BuiltIn.lubanCurriculum)
        // The experts, registered before any schedule or verdict names them.
        for (name, title, affiliation) in [
            ("张宝山", "高级工程师", "北京市古代建筑研究所"), ("刘振华", "研究员", "故宫博物院古建部"), ("赵德明", "高级工程师", "承德市文物局"),
        ] {
            try db.addExpert(ExpertDetails(name: name, title: title, craft: "古建", affiliation: affiliation))
        }
        for name in furnitureExperts {
            try db.addExpert(ExpertDetails(name: name, title: "工艺美术师", craft: "中式家具", affiliation: "北京市室内装饰协会"))
        }
        for (name, craft) in zip(masters, ["木作", "彩画", "砖作"]) {
            try db.addExpert(
                ExpertDetails(
                    name: name, title: "非物质文化遗产代表性传承人", craft: craft, affiliation: "北京市室内装饰协会", techniques: curriculum.techniques))
        }
        // What the office pays (yuan per hour of each kind, per verdict), and a master's own
        // demonstration rate from 2015 on.
        try db.setFeeRates(expert: nil, since: nil, [.classroom: 300_00, .field: 400_00, .demonstration: 500_00, .assessment: 50_00])
        try db.setFeeRates(expert: masters[0], since: CalendarDate("2015-01-01"), [.demonstration: 800_00])
        var alumni: [(person: Person, completions: Int)] = []
        var serial = 0
        var issued = 0
        for plan in plans {
            let end = plan.start.adding(days: 12)
            try db.addCohort(code: plan.code, start: plan.start, end: end, site: "承德", title: plan.title, curriculumID: curriculum.id)
            // Roster: returning trainees (those who did well are likelier to come back), then new ones.
            var roster: [Person] = []
            var returning = Set<Int>()
            if !alumni.isEmpty {
                let target = min(alumni.count, plan.size / 4)
                for (i, a) in alumni.enumerated() where returning.count < target && rng.chance(a.completions > 0 ? 0.45 : 0.12) {
                    returning.insert(i)
                    roster.append(a.person)
                }
            }
            while roster.count < plan.size {
                serial += 1
                let p = Person(
                    name: PeopleGenerator.name(&rng), id: PeopleGenerator.idNumber(&rng, serial: serial),
                    employer: rng.pick(PeopleGenerator.employers), craft: rng.pick(PeopleGenerator.crafts), phone: PeopleGenerator.phone(&rng))
                roster.append(p)
                alumni.append((p, 0))
            }
            let rosterFile = try file(
                "roster-\(plan.code).csv", ["name", "id_number", "employer", "craft", "phone"],
                roster.map { [$0.name, $0.id, $0.employer, $0.craft, $0.phone] })
            _ = try db.importRoster(try CSVReader(path: rosterFile, name: "roster-\(plan.code).csv"), enrollIn: plan.code)

            // Schedule: three days of 古建专业知识, two of 中式家具与室内装饰, three field visits, two demonstrations.
            var schedule: [[String]] = []
            let gj = rng.pick(classroomExperts)
            let jj = rng.pick(furnitureExperts)
            for d in 0..<3 { schedule.append([plan.start.adding(days: d).description, "classroom", "8", "GJ", "承德培训中心", gj, "古建专业知识（\(d + 1)）"]) }
            for d in 3..<5 { schedule.append([plan.start.adding(days: d).description, "classroom", "8", "JJ", "承德培训中心", jj, "中式家具与室内装饰（\(d - 2)）"]) }
            var sites = fieldSites
            for d in 5..<8 {
                let site = sites.remove(at: rng.int(0...(sites.count - 1)))
                schedule.append([plan.start.adding(days: d).description, "field", "4", "SD", site, gj, "实地教学：\(site)"])
            }
            let master = rng.pick(masters)
            for d in 9..<11 {
                schedule.append([plan.start.adding(days: d).description, "demonstration", "6", "YS", "承德培训中心", master, "专家演示与实操（\(d - 8)）"])
            }
            let scheduleFile = try file("schedule-\(plan.code).csv", ["date", "kind", "hours", "course", "site", "expert", "title"], schedule)
            let sessionIDs = try db.importSchedule(cohort: plan.code, try CSVReader(path: scheduleFile, name: "schedule-\(plan.code).csv")).ids

            // Roll calls: print each sheet as `luban rollcall --format csv` does, fill it in, read it back.
            let trainees = try db.roster(try db.cohort(plan.code))
            let weak = Set(trainees.filter { _ in rng.chance(0.10) }.map(\.code))
            var corrections: [(String, String)] = []
            for sid in sessionIDs {
                let (session, _, _, sheetRoster) = try db.rollCall(session: String(sid))
                let sheet = RollCallSheet.table(session: session, roster: sheetRoster, showID: false).csv()
                let reader = try CSVReader(bytes: Array(sheet.utf8), name: "sheet")
                reader.ignoresUnknownColumns = true  // the sheet is filled in by code: only its trainees are read
                let columns = try CSVColumns(reader: reader, required: ["trainee"])
                var rows: [[String]] = []
                while try reader.next() {
                    let code = try reader.value("trainee", in: columns)
                    let miss = weak.contains(code) ? 0.22 : 0.035
                    let status: String
                    let r = Double(rng.next() >> 11) / Double(1 << 53)
                    if r < miss * 0.5 {
                        status = "缺勤"
                    } else if r < miss {
                        status = "请假"
                    } else if r < miss + 0.05 {
                        status = "迟到"
                    } else {
                        status = "出勤"
                    }
                    rows.append([String(sid), code, try reader.value("name", in: columns), status, status == "迟到" ? "路上堵车" : ""])
                    if status == "缺勤" && corrections.count < 3 && rng.chance(0.3) { corrections.append((String(sid), code)) }
                }
                let filled = try file("sheet-\(sid).csv", ["session", "trainee", "name", "status", "note"], rows)
                _ = try db.importAttendance(try CSVReader(path: filled, name: "sheet-\(sid).csv"))
            }
            // A few marks corrected afterwards: the office finds the trainee did sign in.
            for (sid, code) in corrections {
                _ = try db.attend(session: sid, trainees: [code], status: .present, note: "补记：签到表漏记")
            }

            // Sign-offs: each trainee practises two or three techniques under the master.
            let focus = Array(curriculum.techniques.shuffled(using: &rng).prefix(4))
            var verdicts: [[String]] = []
            for t in trainees {
                let count = weak.contains(t.code) ? 2 : rng.int(2...3)
                for technique in focus.shuffled(using: &rng).prefix(count) {
                    let pass = rng.chance(weak.contains(t.code) ? 0.55 : 0.88)
                    // Assessed on the last two days of the cohort, when the masters demonstrate.
                    let day = end.adding(days: -(verdicts.count % 2))
                    verdicts.append([t.code, technique, master, pass ? "pass" : "fail", pass ? "" : "需加强练习", day.description])
                }
            }
            let verdictFile = try file("signoff-\(plan.code).csv", ["trainee", "technique", "expert", "result", "note", "assessed_on"], verdicts)
            _ = try db.importSignOffs(cohort: plan.code, try CSVReader(path: verdictFile, name: "signoff-\(plan.code).csv"))

            let result = try db.certify(cohort: plan.code, on: end, key: key)
            issued += result.issued.count
            let completed = Set(result.issued.filter { $0.tier == "completion" }.map(\.traineeId))
            let ids = Dictionary(uniqueKeysWithValues: trainees.map { ($0.idNumber ?? "", $0.id ?? 0) })
            for i in alumni.indices where completed.contains(ids[alumni[i].person.id] ?? -1) { alumni[i].completions += 1 }
            log(
                Phrase(
                    zh: "演示：期次 \(plan.code) \(plan.title)：\(trainees.count) 名学员，\(sessionIDs.count) 个课次，\(result.issued.count) 张证书",
                    en:
                        "demo: cohort \(plan.code) \(plan.title): \(trainees.count) trainees, \(sessionIDs.count) sessions, \(result.issued.count) certificates"
                ).text())
        }
        let rows = try YearlyTotals.rows(db)
        let total = rows.last ?? YearlyRow(year: "total")
        let register = try db.register(cohort: nil)
        let sample = register.last { $0.certificate.tier == "inheritor" } ?? register.first
        let someone = sample?.trainee.code ?? "T00001"
        let number = sample?.certificate.number ?? "LB-2013-0001-X"
        let option = dbOption(databasePath)
        let next: [(String, Phrase)] = [
            ("luban report yearly\(option)", Phrase(zh: "给工会的年度统计", en: "yearly totals for the union")),
            ("luban eligibility 2015-2\(option)", Phrase(zh: "谁合格，其他人还缺什么", en: "who is eligible, and what the others miss")),
            ("luban certificate print \(number)\(option)", Phrase(zh: "一张证书", en: "a certificate")),
            ("luban certificate verify \(number)\(option)", Phrase(zh: "对照登记簿和签发密钥核验", en: "checked against the register and the issuer key")),
            ("luban transcript \(someone)\(option)", Phrase(zh: "一名学员历期的记录", en: "a trainee's record over all cohorts")),
            ("luban rollcall 1\(option)", Phrase(zh: "一张待打印的签到表", en: "a roll-call sheet to print")),
            (
                "luban user add NAME\(option) && luban serve\(option)",
                Phrase(zh: "办公室的网页与手机点名：http://127.0.0.1:8080/", en: "the office's pages and roll call on a phone: http://127.0.0.1:8080/")
            ),
        ]
        let width = next.map(\.0.count).max() ?? 0
        let tries = next.map { "  " + $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1.text() }.joined(separator: "\n")
        let summary =
            "\(plans.count) cohorts (2013-2016, 承德), \(alumni.count) trainees, \(total.personTimes) person-times, \(total.sessions) sessions, \(issued) certificates"
        let countsZh = "\(plans.count) 个期次（2013-2016，承德），\(alumni.count) 名学员，\(total.personTimes) 人次，\(total.sessions) 个课次，\(issued) 张证书"
        return Phrase(
            zh: """
                演示已填充 \(databasePath)：
                  \(countsZh)。
                  它用一把固定、公开的演示密钥签名：切勿用演示数据库签发真实证书。

                接下来可以试试：
                \(tries)

                """,
            en: """
                The demo filled \(databasePath):
                  \(summary).
                  It signs with a fixed, public demo key: never issue real certificates from a demo database.

                Try next:
                \(tries)

                """
        ).text()
    }

    static func dbOption(_ path: String) -> String {
        path == LubanDatabase.defaultPath() ? "" : " --db \(path)"
    }
}
