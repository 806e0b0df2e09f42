/// Reads configuration from environment variables, with a clear error naming the variable.
///
/// Configuration structs take an `Environment` in `init(environment:) throws`, so tests pass a
/// dictionary and production passes `ProcessInfo.processInfo.environment`.
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// The process's own environment.
    public static var process: Environment {
        Environment(ProcessEnvironment.current())
    }

    /// A string, or `defaultValue` when unset or empty.
    public func string(_ key: String, default defaultValue: String) -> String {
        if let v = values[key], !v.isEmpty { return v }
        return defaultValue
    }

    /// A string, or `nil` when unset or empty.
    public func optionalString(_ key: String) -> String? {
        if let v = values[key], !v.isEmpty { return v }
        return nil
    }

    /// An integer within `range`.
    public func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = optionalString(key) else { return defaultValue }
        guard let v = Int(text), range.contains(v) else {
            throw ConfigurationError(variable: key, value: text,
                                     reason: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    /// A boolean: `1/true/yes/on` or `0/false/no/off`.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let text = optionalString(key) else { return defaultValue }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: key, value: text, reason: "must be true or false")
        }
    }

    /// A duration written as `250ms`, `5s`, `2m`, `1h` (a bare number is milliseconds).
    public func duration(_ key: String, default defaultValue: Duration) throws -> Duration {
        guard let text = optionalString(key) else { return defaultValue }
        guard let d = Self.parseDuration(text) else {
            throw ConfigurationError(variable: key, value: text, reason: "must be a duration such as 250ms, 5s, 2m or 1h")
        }
        return d
    }

    /// A comma-separated list of durations (`1s,5s,30s`).
    public func durations(_ key: String, default defaultValue: [Duration]) throws -> [Duration] {
        guard let text = optionalString(key) else { return defaultValue }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters() }
        let parsed = parts.compactMap(Self.parseDuration)
        guard !parts.isEmpty, parsed.count == parts.count else {
            throw ConfigurationError(variable: key, value: text, reason: "must be a comma-separated list of durations such as 1s,5s,30s")
        }
        return parsed
    }

    /// The value of a log level variable.
    public func logLevel(_ key: String = "OMS_LOG_LEVEL", default defaultValue: Logger.Level = .info) throws -> Logger.Level {
        guard let text = optionalString(key) else { return defaultValue }
        guard let level = Logger.Level(name: text) else {
            throw ConfigurationError(variable: key, value: text, reason: "must be debug, info, warning or error")
        }
        return level
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") { continue }
            // A value too large for the multiplication is malformed, not a reason to trap at start-up.
            guard let n = Int64(number), n >= 0 else { return nil }
            let (milliseconds, overflow) = n.multipliedReportingOverflow(by: factor)
            return overflow ? nil : .milliseconds(milliseconds)
        }
        guard let n = Int64(text), n >= 0 else { return nil }
        return .milliseconds(n)
    }
}

/// A configuration value that is missing or malformed; the message names the variable.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let value: String?
    public let reason: String

    public init(variable: String, value: String?, reason: String) {
        self.variable = variable
        self.value = value
        self.reason = reason
    }

    public var description: String {
        if let value { return "\(variable)=\(value): \(reason)" }
        return "\(variable): \(reason)"
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
