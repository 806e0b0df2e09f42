public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One of the project's executables run as a child process, with its output in a log file.
///
/// Used by the end-to-end tests to start, SIGTERM and `kill -9` the real services.
public final class ServiceProcess: @unchecked Sendable {
    // @unchecked: mutable state is guarded by `lock`.
    public let name: String
    public let executable: URL
    public let logURL: URL
    public private(set) var environment: [String: String]
    private let lock = NSLock()
    private var process: Process?

    public init(name: String, executable: URL, environment: [String: String], logDirectory: URL) {
        self.name = name
        self.executable = executable
        self.environment = environment
        self.logURL = logDirectory.appendingPathComponent("\(name).log")
    }

    /// Starts the process (again, after a kill), appending to its log.
    public func start(arguments: [String] = []) throws {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.environment = environment
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: logURL)
        handle.seekToEndOfFile()
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        lock.withLock { process = p }
    }

    /// Sends a signal (SIGTERM for a graceful stop, SIGKILL for a crash).
    public func signal(_ sig: Int32) {
        guard let p = lock.withLock({ process }), p.isRunning else { return }
        kill(p.processIdentifier, sig)
    }

    public var isRunning: Bool { lock.withLock { process?.isRunning ?? false } }

    /// Waits for the process to exit; returns its status, or `nil` after `timeout`.
    public func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        guard let p = lock.withLock({ process }) else { return nil }
        let deadline = ContinuousClock.now + timeout
        while p.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return p.terminationStatus
    }

    /// Everything the process wrote so far.
    public func log() -> String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        if let p = process, p.isRunning { kill(p.processIdentifier, SIGKILL) }
    }
}

/// A TCP port nothing listens on right now (bound to port 0, then released).
public func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}
