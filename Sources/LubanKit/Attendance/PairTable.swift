// MARK: - Roll-up deltas by a pair of ids

/// Values by a pair of ids (year and trainee, or cohort and trainee), in
/// an open-addressed table: a roll-call import changes its roll-up deltas twice a mark,
/// and a dictionary's seeded hashing of each key was a tenth of the writing thread's time.
/// Entries are never removed one by one, only all at once.
struct PairTable<Value> {
    fileprivate var keys: [(Int64, Int64)]
    fileprivate var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    init() {
        keys = Array(repeating: (0, 0), count: 64)
        values = Array(repeating: nil, count: 64)
        mask = 63
    }

    var isEmpty: Bool { count == 0 }

    /// Changes the value of `(a, b)` by `body`, starting from `initial` when there is none.
    mutating func update(_ a: Int64, _ b: Int64, from initial: Value, _ body: (inout Value) -> Void) {
        if count * 2 >= keys.count { grow() }
        var i = Self.slot(a, b, mask)
        while let value = values[i] {
            if keys[i] == (a, b) {
                var changed = value
                body(&changed)
                values[i] = changed
                return
            }
            i = (i + 1) & mask
        }
        var value = initial
        body(&value)
        keys[i] = (a, b)
        values[i] = value
        count += 1
    }

    mutating func removeAll(keepingCapacity: Bool) {
        for i in values.indices { values[i] = nil }
        count = 0
    }

    private mutating func grow() {
        let old = zip(keys, values)
        let size = keys.count * 2
        keys = Array(repeating: (0, 0), count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        count = 0
        for (key, value) in old {
            if let value { update(key.0, key.1, from: value) { _ in } }
        }
    }

    /// A slot from both ids, mixed so that neighbouring ids spread over the table.
    private static func slot(_ a: Int64, _ b: Int64, _ mask: Int) -> Int {
        var h = UInt64(bitPattern: a) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: b) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }
}

extension PairTable: Sequence {
    /// Every entry, in no particular order.
    struct Iterator: IteratorProtocol {
        fileprivate let table: PairTable
        fileprivate var i = 0

        mutating func next() -> (a: Int64, b: Int64, value: Value)? {
            while i < table.values.count {
                defer { i += 1 }
                if let value = table.values[i] { return (table.keys[i].0, table.keys[i].1, value) }
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(table: self) }
}

extension PairTable {
    /// Every entry, ordered by its pair of ids.
    func inKeyOrder() -> [(a: Int64, b: Int64, value: Value)] {
        var entries: [(a: Int64, b: Int64, value: Value)] = []
        entries.reserveCapacity(count)
        for entry in self { entries.append(entry) }
        entries.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return entries
    }
}
