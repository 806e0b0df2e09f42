/// The processor's answer to a command, stored with the request id and sent to the caller.
///
/// `status` is the HTTP status the gateway should answer (201, 200, or an error); on error,
/// `error` says why in words a client can act on.
public struct CommandReply: Codable, Sendable, Hashable {
    public var status: Int
    public var error: ReplyError?
    public var project: ProjectRecord?
    public var items: [ProjectItemRecord]?
    /// Secrets keys written by this request, shown in clear in its own response only.
    public var writtenSecretKeys: [String]?
    /// The message written or edited; its content is shown in clear in this request's response only.
    public var message: MessageRecord?
    /// The TMF622 order or cancellation written (TMF commands).
    public var order: OrderRecord?
    public var cancellation: CancellationRecord?

    public init(status: Int, error: ReplyError? = nil, project: ProjectRecord? = nil, items: [ProjectItemRecord]? = nil,
                writtenSecretKeys: [String]? = nil, message: MessageRecord? = nil, order: OrderRecord? = nil,
                cancellation: CancellationRecord? = nil) {
        self.status = status
        self.error = error
        self.project = project
        self.items = items
        self.writtenSecretKeys = writtenSecretKeys
        self.message = message
        self.order = order
        self.cancellation = cancellation
    }

    /// A refusal with a status, a stable code and a message (optionally naming a field).
    public static func failure(_ status: Int, code: String, message: String, field: String? = nil) -> CommandReply {
        CommandReply(status: status, error: ReplyError(code: code, message: message, field: field))
    }
}

/// Why a command was refused.
public struct ReplyError: Codable, Sendable, Hashable {
    public var code: String
    public var message: String
    public var field: String?

    public init(code: String, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }
}
