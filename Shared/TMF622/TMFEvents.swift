public import Contracts
import Domain
public import Foundation
public import Wire

/// The v4 notification types, with the key their resource travels under in `event`.
public enum TMFEventType: String, CaseIterable, Sendable, Codable {
    case productOrderCreate = "ProductOrderCreateEvent"
    case productOrderAttributeValueChange = "ProductOrderAttributeValueChangeEvent"
    case productOrderStateChange = "ProductOrderStateChangeEvent"
    case productOrderDelete = "ProductOrderDeleteEvent"
    case productOrderInformationRequired = "ProductOrderInformationRequiredEvent"
    case cancelProductOrderCreate = "CancelProductOrderCreateEvent"
    case cancelProductOrderStateChange = "CancelProductOrderStateChangeEvent"
    case cancelProductOrderInformationRequired = "CancelProductOrderInformationRequiredEvent"

    public var resourceKey: String { rawValue.hasPrefix("Cancel") ? "cancelProductOrder" : "productOrder" }
}

/// One TMF622 event about an order: its type, the resource document as it is after the change,
/// and (for attribute changes and information requests) the path of the field concerned.
public struct TMFEvent: Sendable, Hashable {
    public var type: TMFEventType
    public var resource: JSONValue
    public var fieldPath: String?

    public init(type: TMFEventType, resource: JSONValue, fieldPath: String? = nil) {
        self.type = type
        self.resource = resource
        self.fieldPath = fieldPath
    }

    /// The event document as POSTed to listeners (TMF622 v4 event envelope).
    public func document(eventID: UUID, at time: Timestamp) -> JSONValue {
        var out: [String: JSONValue] = [
            "eventId": .string(eventID.uuidString.lowercased()),
            "eventTime": .string(time.rfc3339),
            "eventType": .string(type.rawValue),
            "event": .object([type.resourceKey: resource]),
        ]
        if let id = resource["id"] { out["id"] = id }
        if let href = resource["href"] { out["href"] = href }
        if let fieldPath { out["fieldPath"] = .string(fieldPath) }
        return .object(out)
    }
}

/// Matches events to hub listeners: a listener hears an event only about an order its owner
/// may read, and only when the event satisfies its `query` (TMF630 filter over the event document).
public enum HubFanout {
    /// One callback delivery per matching listener, each with its own delivery id; the event id
    /// is shared so a client with several listeners can tell it is one event.
    public static func deliveries(for event: TMFEvent, order: OrderRecord, listeners: [HubListenerRecord],
                                  at time: Timestamp) -> [Delivery] {
        guard !listeners.isEmpty else { return [] }
        let document = event.document(eventID: UUID(), at: time)
        return listeners.compactMap { listener -> Delivery? in
            guard TMFCaller(listener: listener).canRead(order), matches(listener.query, document) else { return nil }
            return Delivery(kind: .callback, createdAt: time, eventKind: event.type.rawValue, projectID: order.projectID,
                            callback: CallbackContent(url: listener.callback, body: document))
        }
    }

    /// Whether an event document satisfies a listener's query (no query: every event). A query
    /// that no longer parses matches nothing rather than everything.
    public static func matches(_ query: String?, _ document: JSONValue) -> Bool {
        guard let query, !query.trimmingCharacters(in: .whitespaces).isEmpty else { return true }
        guard let filter = try? TMFFilter.parse(query: query) else { return false }
        return filter.matches(document)
    }
}
