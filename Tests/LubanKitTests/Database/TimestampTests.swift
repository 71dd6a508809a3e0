import Dispatch
import Foundation
import Testing

@testable import LubanKit

/// Times are asked for on many threads at once (every database's writes log one). The cached
/// text of the last second is replaced whenever the second changes; here threads ask for
/// different seconds all the time, so that it is replaced while others read it: every caller
/// still reads a whole timestamp, and nothing is freed under a reader (which crashed the tests).
@Test func timestampsAreAskedForOnManyThreadsAtOnce() {
    let bad = Tally(0)
    let base = time_t(1_700_000_000)
    DispatchQueue.concurrentPerform(iterations: 4) { thread in
        for i in 0..<200_000 {
            let second = base + time_t((i + thread) % 3)
            let t = Timestamp.text(at: second)
            if t != ["2023-11-14T22:13:20Z", "2023-11-14T22:13:21Z", "2023-11-14T22:13:22Z"][Int(second - base)] { bad.add(1) }
        }
    }
    #expect(bad.value == 0)
    #expect(Timestamp.now().utf8.count == 20)
}

/// A counter safe to add to from several threads (for the test above).
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    init(_ value: Int) { count = value }
    func add(_ n: Int) { lock.withLock { count += n } }
    var value: Int { lock.withLock { count } }
}
