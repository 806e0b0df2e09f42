import Foundation
import Synchronization
public import Wire

/// Where a command writes: a file handle (standard output or error) or memory.
///
/// Commands never call `print`, so a test runs them in-process and reads exactly what an operator
/// (or `deploy/up.sh`, which parses `seed-demo`) would see. Writes are serialised, so lines from
/// concurrent requests of the trigger sink never interleave.
public final class CtlOutput: Sendable {
    private let handle: FileHandle?
    private let captured = Mutex<[String]>([])

    /// Standard output: results, one JSON value per line.
    public static let standardOutput = CtlOutput(handle: FileHandle.standardOutput)
    /// Standard error: usage, errors and progress, never parsed by scripts.
    public static let standardError = CtlOutput(handle: FileHandle.standardError)

    /// A sink that keeps lines in memory, for tests.
    public static func memory() -> CtlOutput { CtlOutput(handle: nil) }

    private init(handle: FileHandle?) { self.handle = handle }

    /// Writes `text` and a newline.
    public func line(_ text: String) {
        captured.withLock { lines in
            if let handle {
                handle.write(Data((text + "\n").utf8))
            } else {
                lines.append(text)
            }
        }
    }

    /// Writes one JSON value on one line (keys sorted, slashes unescaped: ``WireFormat``).
    public func json(_ value: some Encodable) {
        line((try? WireFormat.encodeString(value)) ?? #"{"error":"output could not be encoded"}"#)
    }

    /// The lines written to a memory sink (empty for a file handle).
    public var lines: [String] { captured.withLock { $0 } }

    /// The lines of a memory sink decoded as JSON objects (lines that are not objects are skipped).
    public var jsonLines: [[String: JSONValue]] {
        lines.compactMap { try? WireFormat.decode(JSONValue.self, from: $0).objectValue }
    }
}
