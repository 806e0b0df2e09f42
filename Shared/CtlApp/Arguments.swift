/// The options of one command, parsed by hand (the package has no dependencies).
///
/// Accepts `--name value` and `--name=value`. Every option must be declared: an unknown option,
/// a missing value, a stray positional argument or a single-valued option given twice is a usage
/// error naming it, so a typo never silently means "use the default".
struct Arguments {
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []
    let command: String

    /// - Parameters:
    ///   - command: the command's name, for usage errors (`oms register`).
    ///   - options: options that take a value, without the dashes.
    ///   - repeated: those of `options` that may be given more than once.
    ///   - flags: options without a value.
    init(_ arguments: [String], command: String, options: Set<String> = [], repeated: Set<String> = [],
         flags: Set<String> = []) throws(CtlError) {
        self.command = command
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw .usage("unexpected argument '\(argument)'", command: command)
            }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if flags.contains(name) {
                guard inline == nil else { throw .usage("--\(name) takes no value", command: command) }
                self.flags.insert(name)
                continue
            }
            guard options.contains(name) else { throw .usage("unknown option --\(name)", command: command) }
            guard let value = inline ?? rest.popFirst() else {
                throw .usage("--\(name) needs a value", command: command)
            }
            if values[name] != nil, !repeated.contains(name) {
                throw .usage("--\(name) given more than once", command: command)
            }
            values[name, default: []].append(value)
        }
    }

    /// The value of an option, or `nil` when absent.
    func value(_ name: String) -> String? { values[name]?.first }

    /// The value of an option that must be present and not empty.
    func required(_ name: String) throws(CtlError) -> String {
        guard let v = value(name), !v.isEmpty else { throw .usage("--\(name) is required", command: command) }
        return v
    }

    /// Every value of a repeatable option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Whether a flag was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An integer option within `range`, or `nil` when absent.
    func int(_ name: String, in range: ClosedRange<Int>) throws(CtlError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let v = Int(text), range.contains(v) else {
            throw .usage("--\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), not '\(text)'",
                         command: command)
        }
        return v
    }

    /// A usage error for this command.
    func usageError(_ message: String) -> CtlError { .usage(message, command: command) }
}
