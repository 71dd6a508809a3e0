import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes
import Synchronization

// MARK: - Connections: how many per device, and how long a request may take to arrive

/// Open connections by device address, shared by every connection's `ConnectionGuard`: one
/// phone (or anyone on the hotspot) holding a thousand half-open connections must not stop the
/// server for everyone else.
final class DeviceConnections: Sendable {
    /// A browser opens six or so at once; an office PC with several tabs a few more.
    let limit: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int = 24) { self.limit = limit }

    /// Counts a new connection from `device`; false when it already has `limit`.
    func admit(_ device: String) -> Bool {
        open.withLock { all in
            let n = all[device, default: 0]
            guard n < limit else { return false }
            all[device] = n + 1
            return true
        }
    }

    func release(_ device: String) {
        open.withLock { all in
            let n = all[device, default: 0] - 1
            all[device] = n > 0 ? n : nil
        }
    }
}

/// One connection's guard, after HTTP decoding: closes the connection when its device already
/// has too many open, and when a request that has begun is not wholly received within
/// `requestLimit` (a body sent a byte at a time). Hummingbird's idle timeout closes a connection
/// that sends nothing, or only part of a request's head, for its `idleTimeout`.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let devices: DeviceConnections
    let requestLimit: TimeAmount
    private var device: String?
    private var deadline: Scheduled<Void>?

    init(devices: DeviceConnections, requestLimit: TimeAmount) {
        self.devices = devices
        self.requestLimit = requestLimit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "local"
        guard devices.admit(address) else {
            context.close(promise: nil)
            return
        }
        device = address
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if let device { devices.release(device) }
        device = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: requestLimit) { loopBound.value.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if let device { devices.release(device) }
        device = nil
        context.fireChannelInactive()
    }
}
