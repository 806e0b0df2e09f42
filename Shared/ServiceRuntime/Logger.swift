import Foundation
public import Wire
import Synchronization

/// Writes one JSON object per line to standard output: what log collectors expect.
///
/// Every line has `time` (RFC 3339, microseconds), `level`, `service` and `msg`; fields add
/// context. A `Logger` is a cheap value: `with(_:)` returns a copy with more fields.
public struct Logger: Sendable {
    /// Severity, ordered.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        public var name: String { ["debug", "info", "warning", "error"][rawValue] }

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        /// Parses `debug`, `info`, `warning` (or `warn`), `error`.
        public init?(name: String) {
            switch name.lowercased() {
            case "debug": self = .debug
            case "info": self = .info
            case "warning", "warn": self = .warning
            case "error": self = .error
            default: return nil
            }
        }
    }

    public let service: String
    public let minimumLevel: Level
    public let fields: [String: JSONValue]
    private let sink: LogSink

    /// - Parameters:
    ///   - service: the executable's name, on every line.
    ///   - minimumLevel: lines below it are dropped.
    ///   - sink: where lines go; standard output unless a test captures them.
    public init(service: String, minimumLevel: Level = .info, sink: LogSink = .standardOutput) {
        self.service = service
        self.minimumLevel = minimumLevel
        self.fields = [:]
        self.sink = sink
    }

    private init(service: String, minimumLevel: Level, fields: [String: JSONValue], sink: LogSink) {
        self.service = service
        self.minimumLevel = minimumLevel
        self.fields = fields
        self.sink = sink
    }

    /// A logger that adds `fields` to every line.
    public func with(_ fields: [String: JSONValue]) -> Logger {
        Logger(service: service, minimumLevel: minimumLevel,
               fields: self.fields.merging(fields) { _, new in new }, sink: sink)
    }

    public func debug(_ message: String, _ fields: [String: JSONValue] = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [String: JSONValue] = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [String: JSONValue] = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [String: JSONValue] = [:]) { log(.error, message, fields) }

    public func log(_ level: Level, _ message: String, _ extra: [String: JSONValue] = [:]) {
        guard level >= minimumLevel else { return }
        var line = fields.merging(extra) { _, new in new }
        line["time"] = .string(Timestamp.now().rfc3339)
        line["level"] = .string(level.name)
        line["service"] = .string(service)
        line["msg"] = .string(message)
        guard var bytes = try? WireFormat.encode(JSONValue.object(line)) else { return }
        bytes.append(10)
        sink.write(bytes)
    }
}

/// Where log lines go. Writes are serialised so lines never interleave.
public final class LogSink: Sendable {
    private let lock = Mutex<[[UInt8]]?>(nil)
    private let handle: FileHandle?

    /// Standard output.
    public static let standardOutput = LogSink(handle: FileHandle.standardOutput)

    /// A sink that keeps lines in memory, for tests.
    public static func memory() -> LogSink { LogSink(handle: nil) }

    private init(handle: FileHandle?) {
        self.handle = handle
        if handle == nil { lock.withLock { $0 = [] } }
    }

    func write(_ bytes: [UInt8]) {
        lock.withLock { captured in
            if captured != nil {
                captured!.append(bytes)
            } else {
                handle?.write(Data(bytes))
            }
        }
    }

    /// The lines captured by a memory sink.
    public var lines: [String] {
        lock.withLock { ($0 ?? []).map { String(decoding: $0.dropLast(), as: UTF8.self) } }
    }
}
