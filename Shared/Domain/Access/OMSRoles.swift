/// The roles one OMS has towards a project or project item (research §6), from which every read
/// and write rule follows.
///
/// A set, because the default OMS is the mediator of everything and also the primary OMS of the
/// items whose offer names no primary OMS.
public struct OMSRoles: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The bits of the set.
    public let rawValue: UInt8

    /// Builds a set from its bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The item's primary OMS, or for a project the primary OMS of at least one of its items
    /// (the guideline's "provider OMS").
    public static let provider = OMSRoles(rawValue: 1 << 0)
    /// The default OMS: mediator of every project and secondary OMS of every item.
    public static let mediator = OMSRoles(rawValue: 1 << 1)

    /// `[provider, mediator]`-style text for test names and logs.
    public var description: String {
        var names: [String] = []
        if contains(.provider) { names.append("provider") }
        if contains(.mediator) { names.append("mediator") }
        return "[" + names.joined(separator: ", ") + "]"
    }
}
