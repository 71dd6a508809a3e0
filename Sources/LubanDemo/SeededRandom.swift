import LubanKit

// MARK: - Reproducible randomness

/// SplitMix64: a small generator whose sequence is fixed by its seed, so that the demo and
/// the benchmark data are the same on every run and every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// A uniformly chosen element.
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// A whole number in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}

// MARK: - Plausible people

/// Chinese names, valid ID numbers, employers and crafts for generated trainees.
public enum PeopleGenerator {
    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
    static let givenFirst = Array("建国志明永海德文春立振宝金玉秀学宏国庆广福长俊伟晓红丽凤云")
    static let givenSecond = Array("华军强平明东林涛刚军杰峰伟勇斌超磊鹏辉亮成祥荣生才英兰芳")
    /// Beijing and Hebei (Chengde, Baoding) region codes: where the program's workers come from.
    static let regions = ["110101", "110102", "110105", "110106", "110108", "110111", "110114", "130802", "130803", "130821", "130602", "131002"]
    public static let employers = [
        "北京房修一建筑工程有限公司", "北京市园林古建工程有限公司", "承德古建筑工程有限公司", "北京金石装饰工程有限公司",
        "北京城建园林古建公司", "北京市第二建筑工程有限责任公司", "北京燕京古建修缮中心", "承德避暑山庄文物修缮队",
    ]
    public static let crafts = ["木工", "瓦工", "油漆工", "彩画工", "石工", "雕刻工", "裱糊工"]

    public static func name(_ rng: inout SeededRandom) -> String {
        let given = rng.chance(0.3) ? String(rng.pick(givenFirst)) : String(rng.pick(givenFirst)) + String(rng.pick(givenSecond))
        return String(rng.pick(surnames)) + given
    }

    /// A valid GB 11643-1999 number; `serial` makes it unique.
    public static func idNumber(_ rng: inout SeededRandom, serial: Int) -> String {
        let birth = CalendarDate(dayNumber: CalendarDate(year: 1962, month: 1, day: 1)!.dayNumber + rng.int(0...(33 * 365)))
        let order = 1 + (serial % 499) * 2  // odd: the second-to-last digit of a man's number is odd
        let d17 = rng.pick(regions) + String(format: "%04d%02d%02d", birth.year, birth.month, birth.day) + String(format: "%03d", order % 1000)
        return d17 + String(ISO7064.mod11Check(d17.compactMap(\.wholeNumberValue)))
    }

    public static func phone(_ rng: inout SeededRandom) -> String {
        rng.pick(["138", "139", "135", "186", "152", "133"]) + String(format: "%08d", rng.int(0...99_999_999))
    }
}
