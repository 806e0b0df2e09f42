import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A failure to start a test server.
public struct ChildServerError: Error, CustomStringConvertible {
    /// What went wrong, with the server's log when there is one.
    public let message: String
    /// Wraps a message.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// A Python test server run as a child process, stopped with SIGKILL.
final class ChildServer: Sendable {
    private let process: Mutex<Process?>
    private let logFile: URL

    /// Launches `/usr/bin/python3` (Debian's, which has aiosmtpd; not the pyenv one on PATH).
    init(arguments: [String], logFile: URL, pythonPath: String? = nil) throws {
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = pythonPath
        environment["PYTHONHOME"] = nil
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()
        self.process = Mutex(process)
        self.logFile = logFile
    }

    var isRunning: Bool { process.withLock { $0?.isRunning ?? false } }

    /// The child's process id, or 0 once stopped.
    var processID: Int32 { process.withLock { $0?.processIdentifier ?? 0 } }

    /// The child's stdout and stderr so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Kills the child at once; safe to call twice.
    ///
    /// SIGKILL, not SIGTERM: a child started from a Swift concurrency (dispatch worker) thread
    /// inherits that thread's signal mask, in which SIGTERM is blocked, so `terminate()`
    /// would leave it running forever.
    func stop() {
        let running: Process? = process.withLock { process in
            defer { process = nil }
            return process
        }
        guard let running else { return }
        // Not waitUntilExit(): it spins a run loop on the calling thread, which in a test is
        // one of the two cooperative threads. Foundation reaps the child when it exits.
        if running.isRunning { kill(running.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}

/// Loopback ports for test servers.
public enum LoopbackPort {
    /// A port on 127.0.0.1 that nothing listened on a moment ago (bound to port 0, read back,
    /// closed). Connecting to it is refused, unless another process has taken it since.
    public static func unused() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChildServerError(message: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ChildServerError(message: "bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ChildServerError(message: "getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a TCP connect to 127.0.0.1:`port` succeeds now.
    public static func isAccepting(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return connected == 0
    }

    /// Whether process `processID` itself holds the socket listening on 127.0.0.1:`port`.
    ///
    /// Accepting connections is not proof enough: when two test servers were handed the same
    /// free port, the one that lost the race to bind it sees the winner accepting. This
    /// matches the listening socket's inode in `/proc/net/tcp` against the process's fds.
    static func isListening(port: Int, processID: Int32) -> Bool {
        // Read to the end: `String(contentsOfFile:)` returns only the first page of a /proc file.
        guard processID > 0, let handle = FileHandle(forReadingAtPath: "/proc/net/tcp"),
              let data = try? handle.readToEnd() else {
            return false
        }
        try? handle.close()
        let table = String(decoding: data, as: UTF8.self)
        let hexPort = String(port, radix: 16, uppercase: true)
        let local = "0100007F:" + String(repeating: "0", count: max(0, 4 - hexPort.count)) + hexPort
        let inodes = table.split(separator: "\n").compactMap { line -> String? in
            let columns = line.split(separator: " ")
            guard columns.count > 9, columns[1] == local, columns[3] == "0A" else { return nil }
            return "socket:[\(columns[9])]"
        }
        guard !inodes.isEmpty else { return false }
        let fdDirectory = "/proc/\(processID)/fd"
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? []
        return fds.contains { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)"))
                .map(inodes.contains) ?? false
        }
    }

    /// `sockaddr_in` for 127.0.0.1:`port`.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
