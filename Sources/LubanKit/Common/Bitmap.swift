// MARK: - A set of small numbers, a bit each

/// Which of the numbers 0..<`count` have been met: one bit each (625 KiB for 5,000,000).
struct Bitmap {
    private var words: [UInt64]
    /// How many numbers it can hold.
    let count: Int

    init(count: Int) {
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    /// Marks `n` (0 ≤ n < `count`); true when it was not marked before.
    mutating func insert(_ n: Int) -> Bool {
        let (word, bit) = (n / 64, UInt64(1) << UInt64(n % 64))
        guard words[word] & bit == 0 else { return false }
        words[word] |= bit
        return true
    }
}
