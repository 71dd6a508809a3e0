import Foundation
import Hummingbird
import LubanKit
import NIOCore
import Synchronization

// MARK: - Who is asking: the request's context

public struct WebContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The office account signed in, set by `OfficeOnly`.
    var account: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The device's address as the ledger records it.
    var device: String { remoteAddress?.ipAddress ?? "local" }
}

// MARK: - Signed-in browsers, roll-call browsers, and attempts

/// Who holds which cookie, in memory: a restart signs everyone out (they sign in again; no
/// mark is lost, marks are on disk before they are answered).
final class Sessions: Sendable {
    struct Holder: Sendable {
        /// An office account, or a roll-call link's id.
        enum Kind: Sendable, Equatable {
            /// An account, with the sign-in key it had when this browser signed in.
            case office(String, key: String)
            case rollCall(link: Int64)
        }
        let kind: Kind
        /// The CSRF token of this sign-in: made with it, so a token set by any other page (a
        /// cookie planted from another port of the same machine) is never this one.
        let csrf: String
        var lastSeen: Date
        /// The last mark made from this browser, for undo: session, trainee code, status before.
        var lastMark: (session: Int64, trainee: String, previous: AttendanceStatus?)?
    }

    /// Idle time after which a cookie no longer counts.
    static let idleLimit: TimeInterval = 12 * 3600
    private let holders = Mutex<[String: Holder]>([:])

    /// A new sign-in: its cookie and its CSRF token.
    func start(_ kind: Holder.Kind) -> (cookie: String, csrf: String) {
        let token = randomToken()
        let csrf = randomToken()
        holders.withLock { all in
            // Sign-ins made and never used must not grow this without bound.
            if all.count > 10_000 {
                let now = Date()
                all = all.filter { now.timeIntervalSince($0.value.lastSeen) < Self.idleLimit }
            }
            all[token] = Holder(kind: kind, csrf: csrf, lastSeen: Date())
        }
        return (token, csrf)
    }

    func holder(_ token: String?) -> Holder? {
        guard let token else { return nil }
        return holders.withLock { all in
            guard var h = all[token] else { return nil }
            guard Date().timeIntervalSince(h.lastSeen) < Self.idleLimit else {
                all[token] = nil
                return nil
            }
            h.lastSeen = Date()
            all[token] = h
            return h
        }
    }

    func end(_ token: String?) {
        guard let token else { return }
        holders.withLock { $0[token] = nil }
    }

    func setLastMark(_ token: String?, _ mark: (session: Int64, trainee: String, previous: AttendanceStatus?)?) {
        guard let token else { return }
        holders.withLock { $0[token]?.lastMark = mark }
    }
}

/// Failed attempts (passwords, PINs) by key: after `limit` failures within `window`, the key
/// is refused until `lockout` has passed since the last failure.
final class Attempts: Sendable {
    let limit: Int
    let window: TimeInterval
    let lockout: TimeInterval
    private let failures = Mutex<[String: [Date]]>([:])

    init(limit: Int = 5, window: TimeInterval = 15 * 60, lockout: TimeInterval = 5 * 60) {
        self.limit = limit
        self.window = window
        self.lockout = lockout
    }

    /// Seconds to wait before `key` may try again, or nil.
    func wait(_ key: String) -> Int? {
        failures.withLock { all in
            let now = Date()
            let recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < window }
            all[key] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let last = recent.last else { return nil }
            let left = lockout - now.timeIntervalSince(last)
            return left > 0 ? Int(left.rounded(.up)) : nil
        }
    }

    func fail(_ key: String) {
        failures.withLock { all in
            // Names tried at random must not grow this without bound: past 10,000 keys, those
            // whose failures are all older than the window go.
            if all.count > 10_000 {
                let now = Date()
                all = all.filter { now.timeIntervalSince($0.value.last ?? now) < window }
            }
            all[key, default: []].append(Date())
        }
    }

    func succeed(_ key: String) {
        failures.withLock { $0[key] = nil }
    }
}

// MARK: - Cookies and forms

enum Cookies {
    static let office = "luban_office"
    static let rollCall = "luban_rollcall"
    static let csrf = "luban_csrf"
    static let language = "luban_lang"

    /// HttpOnly, SameSite=Strict, path /; Secure when the server is told it is behind HTTPS
    /// (`--secure-cookies`): over the plain HTTP of a field hotspot a Secure cookie would never
    /// come back.
    static func make(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}

/// A posted form: `application/x-www-form-urlencoded`, at most 64 KB.
struct Form: Sendable {
    let fields: [String: String]

    subscript(_ key: String) -> String? { fields[key] }

    static func read(_ request: Request) async throws -> Form {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let text = String(buffer: buffer)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            fields[key] = value
        }
        return Form(fields: fields)
    }

    /// `+` as a space, `%XX` as its byte; the bytes read as UTF-8 (bad sequences replaced).
    static func decode(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var i = s.utf8.startIndex
        let end = s.utf8.endIndex
        while i < end {
            let b = s.utf8[i]
            if b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), let h = s.utf8.index(i, offsetBy: 2, limitedBy: end), h < end,
                let high = hex(s.utf8[s.utf8.index(after: i)]), let low = hex(s.utf8[h])
            {
                bytes.append(high << 4 | low)
                i = h
            } else {
                bytes.append(b)
            }
            i = s.utf8.index(after: i)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
