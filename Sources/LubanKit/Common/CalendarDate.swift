import Foundation

// MARK: - Calendar dates

/// A day on the calendar, with no time and no zone: what a session date, a cohort's dates and
/// an issue date are. Written `YYYY-MM-DD` everywhere, which also sorts correctly as text.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A real date or nil (`2014-02-30` is nil).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        let s = Array(text.utf8)
        guard s.count == 10, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
            let y = Self.number(s[0..<4]), let m = Self.number(s[5..<7]), let d = Self.number(s[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `YYYYMMDD` (as in an ID number).
    public init?(compact text: String) {
        let s = Array(text.utf8)
        guard s.count == 8, let y = Self.number(s[0..<4]), let m = Self.number(s[4..<6]), let d = Self.number(s[6..<8])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `YYYY-MM-DD`, and the forms an office's spreadsheet writes: `2017/4/22`,
    /// `2017/04/22`, `2017.4.22`, `2017年4月22日` (full-width digits too); or throws a message that
    /// shows the expected form.
    public static func parse(_ text: String, what: String) throws(LubanError) -> CalendarDate {
        let t = FieldText.halfWidth(text).trimmed
        if let date = CalendarDate(t) { return date }
        if let date = office(t) { return date }
        throw .invalidDate(what: what, text: text)
    }

    /// `2017/4/22`, `2017.4.22`, `2017-4-2`, `2017年4月22日`: year, month, day with one kind of separator.
    static func office(_ t: String) -> CalendarDate? {
        var s = t
        if s.hasSuffix("日") { s.removeLast() }
        let parts = s.split(omittingEmptySubsequences: false) { "/.-年月".contains($0) }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    /// `YYYY-MM-DD` (years 1 to 9999), written digit by digit: every row of a schedule binds one.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { b in
            func put(_ i: Int, _ digit: Int) { b[i] = UInt8(48 + digit) }
            put(0, year / 1000)
            put(1, year / 100 % 10)
            put(2, year / 10 % 10)
            put(3, year % 10)
            b[4] = UInt8(ascii: "-")
            put(5, month / 10)
            put(6, month % 10)
            b[7] = UInt8(ascii: "-")
            put(8, day / 10)
            put(9, day % 10)
            return 10
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Today in the machine's time zone (read once per process: a command is short).
    public static let today: CalendarDate = now()

    /// Today as of this moment (a server runs past midnight).
    public static func now() -> CalendarDate {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: c.year ?? 2000, month: c.month ?? 1, day: c.day ?? 1) ?? CalendarDate(dayNumber: 0)
    }

    /// Days since 1970-01-01 (for ordering and arithmetic in generators).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var n = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
        }
        return n
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
