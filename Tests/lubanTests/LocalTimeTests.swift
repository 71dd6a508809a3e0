import Foundation
import Testing

/// The office lives in one time zone: what people read shows its local time with the offset;
/// what scripts read (csv, json) keeps UTC; `log --since DAY` counts the office's days.
@Suite struct LocalTimeTests {
    @Test func peopleReadLocalTimeScriptsReadUTCAndDaysAreTheOffices() throws {
        var user = try User()
        try user.demo()
        user.environment["TZ"] = "Asia/Shanghai"
        let text = try user.ok("attendance", "history", "6")
        let csv = try user.ok("attendance", "history", "6", "--format", "csv")
        let stored = try #require(
            csv.split(whereSeparator: \.isNewline).dropFirst().first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init)[6])
        #expect(stored.hasSuffix("Z"))
        let date = try #require(ISO8601DateFormatter().date(from: stored))
        for zone in ["Asia/Shanghai", "Etc/GMT-14", "Etc/GMT+12"] {
            user.environment["TZ"] = zone
            let tz = try #require(TimeZone(identifier: zone))
            let local = DateFormatter()
            local.locale = Locale(identifier: "en_US_POSIX")
            local.timeZone = tz
            local.dateFormat = "yyyy-MM-dd HH:mm:ss xx"
            let shown = local.string(from: date)
            #expect(try user.ok("attendance", "history", "6").contains(shown), "\(zone): \(shown)")
            // The log from the office's day of that entry includes it; from the next day, not.
            local.dateFormat = "yyyy-MM-dd"
            let day = local.string(from: date)
            let next = local.string(from: date.addingTimeInterval(86_400))
            #expect(try user.ok("log", "--since", day).contains("certify"), "\(zone) since \(day)")
            #expect(!(try user.ok("log", "--since", next).contains("certify")), "\(zone) since \(next)")
        }
        #expect(text.contains("+0800") && !text.contains(stored))
    }
}
