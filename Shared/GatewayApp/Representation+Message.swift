import Contracts
import Domain
import Wire

extension Representation {
    /// A message (`message/message_read.json`): `user_direct` content hidden unless this is the
    /// response to the request that wrote it (`revealContent`).
    ///
    /// The schema requires `email` and `name`, so they are always present (empty when the
    /// author gave none; the marketplace omits blank ones and then breaks its own schema); a
    /// blank `uid` is omitted. Timestamps have whole seconds, as the marketplace's.
    static func message(_ m: MessageRecord, revealContent: Bool = false) -> JSONValue {
        var author: [String: JSONValue] = [
            "email": .string(m.author.email ?? ""), "name": .string(m.author.name ?? ""), "role": .string(m.author.role),
        ]
        if let uid = m.author.uid, !uid.isEmpty { author["uid"] = .string(uid) }
        // A scope this build does not know is hidden, never shown by mistake.
        let scope = MessageScope(rawValue: m.scope) ?? .userDirect
        return [
            "id": .int(m.id), "author": .object(author),
            "content": .string(scope.visibleContent(m.content, isWriteResponse: revealContent)),
            "scope": .string(m.scope), "created_at": .string(m.createdAt.rfc3339Seconds),
            "updated_at": .string(m.updatedAt.rfc3339Seconds),
        ]
    }

    static func messages(_ list: [MessageRecord]) -> JSONValue {
        ["messages": .array(list.map { message($0) })]
    }
}
