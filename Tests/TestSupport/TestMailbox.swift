import Foundation

/// An SMTP server for end-to-end tests (aiosmtpd's Maildir handler), on a free port or on a
/// port chosen beforehand.
///
/// Unlike ``SMTPCatcher`` it checks readiness with ``ProcessSockets``, which reads `/proc/net/tcp`
/// to its end; ``SMTPCatcher``'s check (`LoopbackPort.isListening`) reads only the file's first
/// page, so when the listening socket is listed further down it waits out its 15 s deadline
/// before trying another port. A chosen port serves tests where the mail server is down first
/// and comes back later at the same address.
public final class TestMailbox: Sendable {
    public let port: Int
    /// `smtp://127.0.0.1:<port>`.
    public var url: String { "smtp://127.0.0.1:\(port)" }
    private let directory: URL
    private let maildir: URL
    private let process: ChildServer

    /// Starts aiosmtpd on 127.0.0.1:`port` (a free port when `nil`) and returns once it listens.
    public init(port chosen: Int? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("oms-mailbox-\(UUID().uuidString)")
        maildir = directory.appendingPathComponent("maildir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastLog = ""
        // A free port can be taken by another process before aiosmtpd binds it; aiosmtpd then
        // exits at once and the next try picks another. A chosen port gets one try.
        for attempt in 0..<(chosen == nil ? 5 : 1) {
            let port = try chosen ?? LoopbackPort.unused()
            let child = try ChildServer(
                arguments: ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path],
                logFile: directory.appendingPathComponent("aiosmtpd-\(attempt).log"))
            let deadline = ContinuousClock.now + .seconds(15)
            func ready() -> Bool { ProcessSockets.isListening(port: port, processID: child.processID) }
            while child.isRunning, ContinuousClock.now < deadline, !ready() {
                try await Task.sleep(for: .milliseconds(20))
            }
            if child.isRunning, ready() {
                self.port = port
                process = child
                return
            }
            lastLog = child.log
            child.stop()
        }
        try? FileManager.default.removeItem(at: directory)
        throw ChildServerError(message: "aiosmtpd did not start\(chosen.map { " on port \($0)" } ?? ""): \(lastLog)")
    }

    deinit { stop() }

    /// Every message accepted so far, in the order of their Maildir names (delivery order).
    public func messages() -> [CapturedMail] {
        var files: [URL] = []
        for folder in ["new", "cur"] {
            let url = maildir.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] where !name.hasPrefix(".") {
                files.append(url.appendingPathComponent(name))
            }
        }
        return files.sorted { $0.lastPathComponent < $1.lastPathComponent }.compactMap { file in
            (try? Data(contentsOf: file)).map { CapturedMail(raw: String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// Stops aiosmtpd and removes the Maildir; safe to call twice.
    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
