import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// MARK: - Sending a bundle to HQ over the network

/// Sends a bundle to HQ's server (`luban hq serve`) as `POST /bundles`, over plain HTTP: the
/// bundle is signed, and its personal fields are sealed to HQ, so what it says cannot be
/// changed on the way and its ID numbers and names cannot be read. (Without a network, the
/// file travels on a USB stick or by e-mail.)
public enum BundleSender {
    /// HQ's answer: the HTTP status and the verdict's line.
    public struct Answer: Sendable {
        public var status: Int
        public var verdict: String
    }

    /// Posts `file` to `url` (`http://host[:port][/path]`; the path defaults to `/bundles`).
    public static func send(_ file: [UInt8], to url: String) throws(LubanError) -> Answer {
        guard let parts = URLComponents(string: url), parts.scheme == "http", let host = parts.host, !host.isEmpty else {
            throw .refused(
                zh: "“\(Visible.text(url))”不是总部的地址：请给出 http://主机:端口（luban hq serve 所打印的）",
                en: "'\(Visible.text(url))' is not HQ's address: give http://HOST:PORT (as luban hq serve prints it)")
        }
        let port = parts.port ?? 80
        let path = parts.path.isEmpty || parts.path == "/" ? "/bundles" : parts.path
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
            throw .refused(zh: "找不到主机 \(Visible.text(host))", en: "no host \(Visible.text(host)) found")
        }
        defer { freeaddrinfo(found) }
        var fd: Int32 = -1
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let a = candidate, fd < 0 {
            let s = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if s >= 0 {
                if connect(s, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { fd = s } else { close(s) }
            }
            candidate = a.pointee.ai_next
        }
        guard fd >= 0 else {
            throw .refused(
                zh: "连不上 \(Visible.text(host)):\(port)（\(String(cString: strerror(errno)))）：总部的 luban hq serve 在运行吗？也可以把文件拷给总部",
                en:
                    "cannot connect to \(Visible.text(host)):\(port) (\(String(cString: strerror(errno)))): is HQ's luban hq serve running? The file can also be carried to HQ"
            )
        }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let head =
            "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/octet-stream\r\nContent-Length: \(file.count)\r\nConnection: close\r\n\r\n"
        let request = Array(head.utf8) + file
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .refused(zh: "发送中断", en: "the connection broke while sending") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while received.count < 1 << 20 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            received += buffer[0..<n]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n"), let status = Int(text.split(separator: " ").dropFirst().first ?? "") else {
            throw .refused(zh: "总部的回答不是 HTTP", en: "HQ's answer is not HTTP")
        }
        return Answer(status: status, verdict: String(text[split.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
