public import Foundation

/// A real SMTP server that keeps every message it accepts, for tests of mail sending.
///
/// It runs Debian's aiosmtpd (`/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:<port>
/// -c aiosmtpd.handlers.Mailbox <maildir>`) as a child process. The Mailbox handler stores
/// each message in a Maildir and adds `X-MailFrom` and `X-RcptTo` headers with the SMTP
/// envelope, so a test can check the envelope as well as the headers. With
/// `recipientReplies`, a subclass of that handler answers `RCPT TO` for the listed addresses
/// with the given reply instead (e.g. a 550 bounce or a 451 deferral).
public final class SMTPCatcher: Sendable {
    /// The port the server listens on, on 127.0.0.1.
    public let port: Int
    /// `smtp://127.0.0.1:<port>`, for an `SMTPConfiguration`.
    public var url: String { "smtp://127.0.0.1:\(port)" }
    /// The Maildir the messages land in (`new/` and `cur/`).
    public let maildir: URL
    private let directory: URL
    private let process: ChildServer

    /// Starts aiosmtpd on a free port and returns once it listens. Waiting does not block a
    /// thread, so many tests can start catchers at once on the small cooperative pool.
    /// - Parameter recipientReplies: SMTP replies to `RCPT TO` by recipient address, e.g.
    ///   `["gone@example.org": "550 5.1.1 No such user"]`; other recipients are accepted.
    public init(recipientReplies: [String: String] = [:]) async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-smtp-catcher-\(UUID().uuidString)")
        maildir = directory.appendingPathComponent("maildir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var handler = ["aiosmtpd.handlers.Mailbox", maildir.path]
        var pythonPath: String?
        if !recipientReplies.isEmpty {
            try Self.replyingHandler.write(to: directory.appendingPathComponent("oms_catcher.py"),
                                           atomically: true, encoding: .utf8)
            let replies = String(decoding: try JSONEncoder().encode(recipientReplies), as: UTF8.self)
            handler = ["oms_catcher.ReplyingMailbox", maildir.path, replies]
            pythonPath = directory.path
        }
        var lastLog = ""
        // aiosmtpd needs the port up front, so one is picked by binding port 0. Another server
        // could take it before aiosmtpd binds it; then the child fails to bind, exits, and the
        // next try begins. "Accepting" alone would be fooled by the other server, hence the
        // check that this child owns the listening socket.
        for attempt in 0..<5 {
            let port = try LoopbackPort.unused()
            let child = try ChildServer(
                arguments: ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c"] + handler,
                logFile: directory.appendingPathComponent("aiosmtpd-\(attempt).log"), pythonPath: pythonPath)
            let deadline = ContinuousClock.now + .seconds(15)
            func ready() -> Bool { LoopbackPort.isListening(port: port, processID: child.processID) }
            while child.isRunning, ContinuousClock.now < deadline, !ready() {
                try await Task.sleep(for: .milliseconds(50))
            }
            if child.isRunning, ready(), LoopbackPort.isAccepting(port) {
                self.port = port
                self.process = child
                return
            }
            lastLog = child.log
            child.stop()
        }
        throw ChildServerError(message: "aiosmtpd did not start: \(lastLog)")
    }

    deinit {
        stop()
    }

    /// Every message accepted so far, oldest first.
    public func messages() -> [CapturedMail] {
        let manager = FileManager.default
        var files: [(date: Date, url: URL)] = []
        for folder in ["new", "cur"] {
            let folderURL = maildir.appendingPathComponent(folder)
            let names = (try? manager.contentsOfDirectory(atPath: folderURL.path)) ?? []
            for name in names where !name.hasPrefix(".") {
                let url = folderURL.appendingPathComponent(name)
                let attributes = try? manager.attributesOfItem(atPath: url.path)
                files.append((attributes?[.modificationDate] as? Date ?? .distantPast, url))
            }
        }
        files.sort { ($0.date, $0.url.lastPathComponent) < ($1.date, $1.url.lastPathComponent) }
        return files.compactMap { file in
            (try? Data(contentsOf: file.url)).map { CapturedMail(raw: String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// Waits until at least `count` messages have arrived and returns them all.
    /// - Throws: ``ChildServerError`` when `timeout` passes first.
    @discardableResult
    public func waitForMessages(count: Int, timeout: Duration = .seconds(10)) async throws -> [CapturedMail] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let messages = messages()
            if messages.count >= count { return messages }
            guard ContinuousClock.now < deadline else {
                throw ChildServerError(message: "expected \(count) messages, got \(messages.count) within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// aiosmtpd's Mailbox handler with chosen replies to `RCPT TO`; loaded from the catcher's
    /// directory through PYTHONPATH.
    private static let replyingHandler = #"""
import json
from aiosmtpd.handlers import Mailbox

class ReplyingMailbox(Mailbox):
    def __init__(self, mail_dir, replies):
        super().__init__(mail_dir)
        self.replies = json.loads(replies)

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(*args)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"
"""#

    /// Stops aiosmtpd and removes the Maildir; safe to call twice.
    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// One message as the ``SMTPCatcher`` stored it, parsed just enough for assertions.
///
/// The parser is deliberately separate from the sending code: it decodes RFC 2047 subjects
/// and quoted-printable bodies itself, so a test fails if the sender encodes them wrongly.
public struct CapturedMail: Sendable {
    /// The file as stored, with LF line endings (Python's Maildir writes LF).
    public let raw: String
    /// The header fields in order, unfolded, values still encoded as sent.
    public let headers: [(name: String, value: String)]
    /// The body as sent, still in its Content-Transfer-Encoding.
    public let rawBody: String

    /// Parses a stored message.
    public init(raw: String) {
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n")
        self.raw = text
        let split = text.range(of: "\n\n")
        let head = split.map { String(text[..<$0.lowerBound]) } ?? text
        rawBody = split.map { String(text[$0.upperBound...]) } ?? ""
        var fields: [(name: String, value: String)] = []
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += line  // unfolding removes only the line break
            } else if let colon = line.firstIndex(of: ":") {
                let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                fields.append((name: String(line[..<colon]), value: String(value)))
            }
        }
        headers = fields
    }

    /// The first value of header `name`, compared case-insensitively, still encoded.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// How many times header `name` appears.
    public func count(of name: String) -> Int {
        headers.filter { $0.name.lowercased() == name.lowercased() }.count
    }

    /// The subject with RFC 2047 encoded words decoded.
    public var subject: String { Self.decodeWords(header("Subject") ?? "") }
    /// The `From` header as sent.
    public var from: String { header("From") ?? "" }
    /// The `To` header, unfolded.
    public var to: String { header("To") ?? "" }
    /// The SMTP envelope sender (`MAIL FROM`), recorded by aiosmtpd as `X-MailFrom`.
    public var envelopeFrom: String { header("X-MailFrom") ?? "" }
    /// The SMTP envelope recipients (`RCPT TO`), recorded by aiosmtpd as `X-RcptTo`.
    public var envelopeRecipients: [String] {
        (header("X-RcptTo") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The body decoded from its Content-Transfer-Encoding, with LF line endings.
    public var body: String {
        guard header("Content-Transfer-Encoding")?.lowercased() == "quoted-printable" else { return rawBody }
        return String(decoding: Self.decodeQuotedPrintable(rawBody), as: UTF8.self)
    }

    static func decodeQuotedPrintable(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A {  // soft line break
                    index += 2
                    continue
                }
                if index + 2 < bytes.count,
                   let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    out.append(value)
                    index += 3
                    continue
                }
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    /// Decodes `=?charset?B|Q?text?=` words (UTF-8 only), dropping the whitespace between two
    /// adjacent encoded words as RFC 2047 §6.2 requires.
    static func decodeWords(_ value: String) -> String {
        var result = ""
        var pendingSpace = ""
        var rest = Substring(value)
        var previousWasWord = false
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let word = decodeWord(&rest) {
                if !previousWasWord { result += pendingSpace }
                result += word
                pendingSpace = ""
                previousWasWord = true
            } else if let first = rest.first, first == " " || first == "\t" {
                pendingSpace.append(first)
                rest.removeFirst()
            } else {
                result += pendingSpace
                pendingSpace = ""
                result.append(rest.removeFirst())
                previousWasWord = false
            }
        }
        return result + pendingSpace
    }

    private static func decodeWord(_ rest: inout Substring) -> String? {
        let parts = rest.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("="), parts[0].lowercased() == "utf-8" else { return nil }
        let bytes: [UInt8]
        switch parts[1].lowercased() {
        case "b":
            guard let data = Data(base64Encoded: String(parts[2])) else { return nil }
            bytes = Array(data)
        case "q":
            bytes = decodeQuotedPrintable(parts[2].replacingOccurrences(of: "_", with: " "))
        default:
            return nil
        }
        rest = parts[3].dropFirst()
        return String(decoding: bytes, as: UTF8.self)
    }
}
