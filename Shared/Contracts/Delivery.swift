public import Foundation
public import Wire

/// One notification for `oms-notifier` to deliver, at least once, identified by `id` (sent to
/// receivers so they can de-duplicate).
public struct Delivery: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// A payload-free call to an OMS trigger URL; the notifier reads the OMS's current trigger
        /// configuration at each attempt, so a fixed URL or password applies to retries too.
        case trigger
        case email
        /// A TMF622 hub callback (a JSON event POSTed to a listener).
        case callback
    }

    public var id: UUID
    public var kind: Kind
    public var createdAt: Timestamp
    /// The EOSC event that caused it, for the delivery log.
    public var eventKind: String?
    public var omsID: Int64?
    /// The subject of the event, for the delivery log and tracing (not sent in EOSC triggers).
    public var projectID: Int64?
    public var projectItemID: Int64?
    public var email: EmailContent?
    public var callback: CallbackContent?

    public init(id: UUID = UUID(), kind: Kind, createdAt: Timestamp, eventKind: String? = nil, omsID: Int64? = nil,
                projectID: Int64? = nil, projectItemID: Int64? = nil, email: EmailContent? = nil,
                callback: CallbackContent? = nil) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.eventKind = eventKind
        self.omsID = omsID
        self.projectID = projectID
        self.projectItemID = projectItemID
        self.email = email
        self.callback = callback
    }

    /// Where it goes, for logs and the delivery log (`oms:<id>`, the address, or the URL).
    public var target: String {
        switch kind {
        case .trigger: return "oms:\(omsID ?? 0)"
        case .email: return email?.to.joined(separator: ",") ?? ""
        case .callback: return callback?.url ?? ""
        }
    }
}

/// A plain-text e-mail.
public struct EmailContent: Codable, Sendable, Hashable {
    public var to: [String]
    public var subject: String
    public var body: String

    public init(to: [String], subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// A JSON document POSTed to a listener's callback URL.
public struct CallbackContent: Codable, Sendable, Hashable {
    public var url: String
    public var body: JSONValue

    public init(url: String, body: JSONValue) {
        self.url = url
        self.body = body
    }
}
