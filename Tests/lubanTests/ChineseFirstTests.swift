import Foundation
import Testing

/// The office speaks Chinese: with a Chinese locale (or LUBAN_LANG=zh) every message and
/// explanation is Chinese; the column titles stay bilingual; LUBAN_LANG=en asks for English.
struct ChineseFirstTests {
    @Test func aChineseLocaleGetsChineseMessagesAndReports() throws {
        var user = try User()
        try user.demo()
        user.environment["LUBAN_LANG"] = nil
        user.environment["LC_ALL"] = nil
        user.environment["LANG"] = "zh_CN.UTF-8"
        // An error, with its fix.
        let missing = try user.run(["cohort", "show", "2099-1"])
        #expect(missing.status != 0)
        #expect(missing.stderr == "错误：没有期次“2099-1”；查看：luban cohort list，或新建：luban cohort add 2099-1 --start 日期 --end 日期 --site 地点\n")
        // A refused file: the count, the promise that nothing was imported, each line in Chinese.
        let roster = try user.write("roster.csv", "姓名,身份证号\n张三,110101199003078516\n")
        let refused = try user.run(["trainee", "import", roster])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("1 处问题；未导入任何内容"))
        #expect(refused.stderr.contains("roster.csv:2: error: 身份证号“110101********8516”：校验位是 6，但前 17 位算出应为 5"))
        // Reports: what is missing for a tier, the yes/no words, the definitions under the totals.
        let eligibility = try user.ok("eligibility", "2014-1")
        #expect(eligibility.contains("缺实地教学"))
        #expect(eligibility.contains("  否  "))
        #expect(!eligibility.contains("missed field session"))
        let yearly = try user.ok("report", "yearly")
        #expect(yearly.contains("定义（公历年 Y"))
        #expect(yearly.contains("人次 person-times"))  // the column titles stay bilingual
        // CSV keeps the words scripts read.
        #expect(try user.ok("eligibility", "2014-1", "--format", "csv").contains(",no,"))
        // A verdict: the English word leads (scripts look for it), the Chinese follows.
        let number = try #require(
            try user.ok("certificate", "print", "--cohort", "2014-1", "--format", "csv").split(whereSeparator: \.isNewline).dropFirst().first?.split(
                separator: ","
            ).first)
        #expect(try user.ok("certificate", "verify", String(number)).hasPrefix("VALID 有效 \(number): 校验位无误；登记簿："))
        // LUBAN_LANG wins over the locale.
        user.environment["LUBAN_LANG"] = "en"
        #expect(try user.run(["cohort", "show", "2099-1"]).stderr.hasPrefix("Error: no cohort '2099-1'; see: luban cohort list"))
        #expect(try user.ok("eligibility", "2014-1").contains("missed field session"))
    }
}

/// `·`, `…`, `×` and the other East Asian Ambiguous characters take one column, as terminals
/// draw them by default; `LUBAN_AMBIGUOUS_WIDTH=2` is for a terminal set to draw them wide.
@Test func ambiguousCharactersFollowTheTerminal() throws {
    let user = try User()
    try user.demo()
    var wide = user
    wide.environment["LUBAN_AMBIGUOUS_WIDTH"] = "2"
    func row(_ u: User) throws -> String {
        try #require(try u.ok("rollcall", "2").split(separator: "\n").first { $0.hasPrefix("T00001") }.map(String.init))
    }
    let (narrowRow, wideRow) = (try row(user), try row(wide))
    // The employer is cut with `…`: one column by default, so the next column starts one
    // character later in the line than where a wide `…` puts it.
    #expect(narrowRow.contains("…") && wideRow.contains("…"))
    #expect(narrowRow.count == wideRow.count + 1, "\(narrowRow)\n\(wideRow)")
}

/// In Chinese, the words a listing is made of are Chinese: a tier is its title, a verdict
/// 通过 or 不通过 (csv and json keep the codes scripts read).
@Test func listingsInChineseSayTiersAndVerdictsInChinese() throws {
    var user = try User()
    try user.demo()
    user.environment["LUBAN_LANG"] = "zh"
    for args in [["certify", "2015-2", "--dry-run"], ["signoff", "history", "2015-2"], ["eligibility", "2015-2"]] {
        let result = try user.run(args)
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        for english in ["completion", "inheritor", " fail ", " pass "] {
            #expect(!text.contains(english), "luban \(args.joined(separator: " ")) says '\(english)' in Chinese")
        }
    }
    #expect(try user.ok("signoff", "history", "2015-2", "--format", "csv").contains(",fail,"))
    // The show commands' own words, too (the English title of the programme is the curriculum's).
    let labels = [
        "issued by", "certificate numbers", "techniques:", "tiers:", "at least", "dates:", "scheduled:", "roster:", "ID number:",
        "employer:", "certificates:", "completion", "inheritor", "(cohort)", "(cumulative)",
    ]
    for args in [["curriculum", "show", "luban"], ["cohort", "show", "2015-2"], ["trainee", "show", "T00006"]] {
        let text = try user.ok(args)
        // The curriculum lists its tiers by the codes commands take (completion), beside their titles.
        for english in labels where args[0] != "curriculum" || !["completion", "inheritor"].contains(english) {
            #expect(!text.contains(english), "luban \(args.joined(separator: " ")) says '\(english)' in Chinese:\n\(text)")
        }
    }
    #expect(try user.ok("trainee", "show", "T00006").contains("证书：LB-"))
    // What a clerk does in Chinese is written in the log in Chinese; the codes stay words of their
    // own, so `log --cohort` still finds them.
    try user.ok("cohort", "add", "2017-1", "--start", "2017-04-10", "--end", "2017-04-22", "--site", "承德")
    try user.ok("enroll", "2017-1", "T00006")
    try user.ok("expert", "rate", "E001", "--field", "450", "--since", "2017-01-01")
    try user.ok("trainee", "edit", "T00006", "--craft", "木工")
    let log = try user.ok("log", "--cohort", "2017-1", "--format", "csv")
    #expect(log.contains("2017-1：1 名学员"), "\(log)")
    let all = try user.ok("log", "--format", "csv")
    #expect(all.contains("E001 自 2017-01-01 起：实地 450.00") && all.contains("T00006: 工种"), "\(all.suffix(600))")
}
