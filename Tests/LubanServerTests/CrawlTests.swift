import Foundation
import HTTPTypes
import LubanKit
import Testing

@testable import LubanServer

/// The office reaches every page by following links from the home page, as a person clicks:
/// each page the README names (the cohorts and their sessions, a session's roll call, the grid,
/// eligibility, certify, the register with each certificate's text and PDF, the yearly totals, a
/// trainee's transcript, the trainees, the public check), and no link leads to a page that is
/// not there.
@Suite struct CrawlTests {
    @Test func everyPageTheReadmeNamesIsReachedByLinksFromTheHomePage() async throws {
        try await Fixture.withServer { _, client in
            let browser = Browser(client)
            try await browser.signIn()
            var queue = ["/"]
            var seen: Set<String> = ["/"]
            var perShape: [String: Int] = [:]
            var broken: [String] = []
            while let uri = queue.first, seen.count < 400 {
                queue.removeFirst()
                let page = try await browser.get(uri)
                // A language switch answers with a redirect back; every other page is there.
                if page.status != .ok && !(uri.hasPrefix("/lang/") && page.status == .seeOther) { broken.append("\(uri): \(page.status)") }
                guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                for href in Self.links(in: page.body) where !seen.contains(href) {
                    // A few pages of each shape (every cohort, a few sessions and trainees), not all 530 trainees.
                    let shape = href.replacingOccurrences(of: "[0-9]+", with: "N", options: .regularExpression)
                    guard perShape[shape, default: 0] < 3 else { continue }
                    perShape[shape, default: 0] += 1
                    seen.insert(href)
                    queue.append(href)
                }
            }
            #expect(broken.isEmpty, "\(broken)")
            let shapes = Set(seen.map { $0.replacingOccurrences(of: "[0-9]+", with: "N", options: .regularExpression) })
            for wanted in [
                "/cohorts/N-N", "/sessions/N", "/cohorts/N-N/grid", "/cohorts/N-N/eligibility", "/cohorts/N-N/certify",
                "/cohorts/N-N/register", "/certificates/LB-N-N-N.txt", "/certificates/LB-N-N-N.pdf", "/totals", "/trainees",
                "/trainees/TN", "/verify",
            ] {
                #expect(
                    shapes.contains { $0 == wanted || $0.hasPrefix(wanted + "?") } || Self.matches(shapes, wanted),
                    "no link reaches \(wanted): \(shapes.sorted())")
            }
            #expect(!seen.contains("/trainees/total") && !seen.contains { $0.hasPrefix("/trainees/合计") })
        }
    }

    /// The same-origin links of a page (`href="/…"`), without fragments.
    static func links(in html: String) -> [String] {
        var out: [String] = []
        var rest = Substring(html)
        while let r = rest.range(of: "href=\"/") {
            let tail = rest[r.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            let href = "/" + String(tail[..<end]).replacingOccurrences(of: "&amp;", with: "&")
            let clean = String(href.prefix { $0 != "#" })
            if !clean.hasPrefix("//"), !clean.contains("format="), clean != "/logout", !clean.hasPrefix("/style"), !clean.hasPrefix("/script") {
                out.append(clean.removingPercentEncoding ?? clean)
            }
            rest = tail[end...]
        }
        return out
    }

    /// Whether a shape seen matches `wanted` where a check character may be a letter (`LB-2014-0001-X`).
    static func matches(_ shapes: Set<String>, _ wanted: String) -> Bool {
        shapes.contains { $0.replacingOccurrences(of: "-X.", with: "-N.") == wanted }
    }
}
