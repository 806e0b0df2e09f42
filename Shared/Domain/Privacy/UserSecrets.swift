public import Wire

/// A project item's `user_secrets`: string values an OMS stores for the user (passwords, keys).
///
/// Deliberately not `Codable`: the clear values must only leave through ``obfuscated(revealing:)``
/// so no serializer can leak them by accident; storage reads and writes ``values`` explicitly.
public struct UserSecrets: Hashable, Sendable {
    /// The clear values by key.
    public var values: [String: String]

    /// Secrets with these values; empty by default, as a new item has none.
    public init(_ values: [String: String] = [:]) { self.values = values }

    /// What every read shows: all keys, every value ``Obfuscation/placeholder`` except the keys in
    /// `revealing` (the keys written by the current request, echoed in clear in its response).
    public func obfuscated(revealing: Set<String> = []) -> [String: String] {
        values.reduce(into: [:]) { out, pair in
            out[pair.key] = revealing.contains(pair.key) ? pair.value : Obfuscation.placeholder
        }
    }

    /// Applies a PATCH's `user_secrets` object: keys in `patch` are added or overwritten, keys not
    /// in it are kept (an OMS can never remove a secret, only replace it).
    ///
    /// Throws when `patch` is not an object or any value is not a string (`values must be
    /// strings`, the marketplace's message), changing nothing.
    public func merging(_ patch: JSONValue) throws(UserSecretsError) -> UserSecretsMerge {
        guard case .object(let members) = patch else { throw UserSecretsError.notAnObject(patch) }
        var merged = values
        for (key, value) in members {
            guard case .string(let text) = value else { throw UserSecretsError.valuesMustBeStrings }
            merged[key] = text
        }
        return UserSecretsMerge(secrets: UserSecrets(merged), writtenKeys: Set(members.keys),
                                changed: merged != values)
    }
}

/// The result of ``UserSecrets/merging(_:)``: what to store, what to echo, what event to write.
public struct UserSecretsMerge: Hashable, Sendable {
    /// The secrets to store.
    public var secrets: UserSecrets
    /// The keys the request wrote, shown in clear in its own response.
    public var writtenKeys: Set<String>
    /// Whether any stored value differs from before; when not, no event is due.
    public var changed: Bool

    /// Builds a merge result.
    public init(secrets: UserSecrets, writtenKeys: Set<String>, changed: Bool) {
        self.secrets = secrets
        self.writtenKeys = writtenKeys
        self.changed = changed
    }

    /// What the response to the writing request shows: written keys in clear, others hidden.
    public var responseView: [String: String] { secrets.obfuscated(revealing: writtenKeys) }

    /// The event `changes` entry, hidden on both sides as in the marketplace; `nil` when unchanged.
    public var change: FieldChange? {
        changed ? FieldChange(field: "user_secrets", before: Obfuscation.placeholder, after: Obfuscation.placeholder)
                : nil
    }
}
