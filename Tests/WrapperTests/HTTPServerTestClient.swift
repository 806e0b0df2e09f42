import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw HTTP/1.1 client over a POSIX socket, for the requests no polite client sends: repeated
/// headers, conflicting lengths, odd transfer codings, pipelining on one connection.
///
/// Reads block, so they run on their own thread (`offPool`), never on the two-thread cooperative
/// pool that the server's handlers need. Every read times out, so a server that hangs fails
/// the test instead of hanging it.
final class RawConnection: @unchecked Sendable {
    // @unchecked: a test uses one connection from one task at a time.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One parsed response.
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `host` (`127.0.0.1` or `::1`) on `port`; reads give up after `timeout` seconds.
    init(port: Int, host: String = "127.0.0.1", timeout: Int = 5) throws {
        fd = socket(host.contains(":") ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard Self.connect(fd, host: host, port: port) else {
            let code = errno
            Glibc.close(fd)
            throw Failure(description: "connect: errno \(code)")
        }
    }

    deinit { Glibc.close(fd) }

    /// Whether anything accepts TCP connections on 127.0.0.1:`port` right now.
    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        return connect(fd, host: "127.0.0.1", port: port)
    }

    private static func connect(_ fd: Int32, host: String, port: Int) -> Bool {
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return false }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            } == 0
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return false }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    /// Sends raw bytes (the test writes the CRLFs itself).
    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads one response. `bodyExpected: false` for a HEAD request, whose `Content-Length`
    /// describes a body that is not sent.
    func readResponse(bodyExpected: Bool = true) async throws -> Response {
        try await offPool { try self.readResponseBlocking(bodyExpected: bodyExpected) }
    }

    /// Reads until the server closes (or resets) the connection; true if it did within the timeout.
    func closedByServer() async -> Bool {
        (try? await offPool { try self.fill(untilClosed: true) }) != nil
    }

    /// Sends `chunk` up to `times` times, stopping at the first failed send; true if a send failed
    /// (the server closed the connection instead of reading on).
    func sendUntilRefused(_ chunk: [UInt8], times: Int) async -> Bool {
        let sentAll = try? await offPool { () -> Bool in
            for _ in 0..<times { try self.send(chunk) }
            return true
        }
        return sentAll == nil
    }

    private func readResponseBlocking(bodyExpected: Bool) throws -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.firstRange(of: separator)?.lowerBound
            if headEnd == nil { try fill() }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + separator.count)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line in \(head)")
        }
        let headers = lines.map { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (name: String(parts[0]), value: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        var response = Response(status: status, headers: headers, body: [])
        if bodyExpected, let length = response.header("Content-Length").flatMap({ Int($0) }) {
            while buffer.count < length { try fill() }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        return response
    }

    /// Bytes received but not yet parsed (a HEAD test checks there are none).
    var unread: Int { buffer.count }

    private func fill(untilClosed: Bool = false) throws {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        repeat {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 || (n < 0 && errno == ECONNRESET) {
                if untilClosed { return }
                throw Failure(description: "connection closed by server")
            }
            guard n > 0 else { throw Failure(description: "recv: errno \(errno) (timeout?)") }
            buffer.append(contentsOf: chunk[..<n])
        } while untilClosed
    }
}

/// Runs blocking work on a fresh thread and awaits it, keeping the cooperative pool free.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
