import Testing

@testable import LubanKit

/// The roll-up table of a roll-call import holds what a dictionary would, through growth and
/// clearing, for keys that collide in its low bits too.
@Suite struct PairTableTests {
    struct Key: Hashable {
        let a: Int64
        let b: Int64
    }

    @Test func holdsWhatADictionaryHolds() {
        var generator = SystemRandomNumberGenerator()
        var table = PairTable<Int>()
        var expected: [Key: Int] = [:]
        for round in 0..<3 {
            for _ in 0..<20_000 {
                // Few years or cohorts, many trainees; some keys a multiple of the table's size apart.
                let a = Int64.random(in: 0..<40, using: &generator) * (round == 1 ? 4096 : 1)
                let b = Int64.random(in: 0..<3_000, using: &generator) * (round == 2 ? 1024 : 1)
                let delta = Int.random(in: -2...2, using: &generator)
                table.update(a, b, from: 0) { $0 += delta }
                expected[Key(a: a, b: b), default: 0] += delta
            }
            var seen: [Key: Int] = [:]
            for (a, b, value) in table { seen[Key(a: a, b: b)] = value }
            let differing = expected.filter { seen[$0.key] != $0.value }.count + seen.filter { expected[$0.key] == nil }.count
            #expect(differing == 0, "\(differing) of \(expected.count) keys differ")
            #expect(table.count == expected.count)
            table.removeAll(keepingCapacity: true)
            expected.removeAll()
            var rest = table.makeIterator()
            #expect(table.isEmpty && rest.next() == nil)
        }
    }
}
