import Foundation

/// The process environment and exit, behind one small seam so the rest stays testable.
public enum ProcessEnvironment {
    /// The current environment variables.
    public static func current() -> [String: String] { ProcessInfo.processInfo.environment }

    /// Writes a fatal configuration error to standard error and exits with status 2.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }

    /// Exits the process with `code`.
    public static func exit(_ code: Int32) -> Never { Foundation.exit(code) }
}
