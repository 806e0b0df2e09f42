import AMQPClient
import Contracts
import Foundation
import Messaging

/// A decoded command with what is needed to answer it.
struct Command: Sendable {
    enum Body: Sendable {
        case createProject(CreateProjectCommand)
        case createOrder(CreateOrderCommand)
        case updateProjectItem(UpdateProjectItemCommand)
        case createMessage(CreateMessageCommand)
        case updateMessage(UpdateMessageCommand)
    }

    var body: Body
    var replyTo: String?
    var correlationID: String?

    var header: CommandHeader {
        switch body {
        case .createProject(let c): return c.header
        case .createOrder(let c): return c.header
        case .updateProjectItem(let c): return c.header
        case .createMessage(let c): return c.header
        case .updateMessage(let c): return c.header
        }
    }

    var kind: String {
        switch body {
        case .createProject: return CommandType.createProject
        case .createOrder: return CommandType.createOrder
        case .updateProjectItem: return CommandType.updateProjectItem
        case .createMessage: return CommandType.createMessage
        case .updateMessage: return CommandType.updateMessage
        }
    }

    /// Decodes a delivery; `nil` for an unknown type or a malformed body (which can never succeed).
    init?(_ delivery: AMQPDelivery) {
        do {
            switch delivery.properties.type {
            case CommandType.createProject?: body = .createProject(try Envelope.decode(CreateProjectCommand.self, from: delivery))
            case CommandType.createOrder?: body = .createOrder(try Envelope.decode(CreateOrderCommand.self, from: delivery))
            case CommandType.updateProjectItem?:
                body = .updateProjectItem(try Envelope.decode(UpdateProjectItemCommand.self, from: delivery))
            case CommandType.createMessage?: body = .createMessage(try Envelope.decode(CreateMessageCommand.self, from: delivery))
            case CommandType.updateMessage?: body = .updateMessage(try Envelope.decode(UpdateMessageCommand.self, from: delivery))
            default: return nil
            }
        } catch {
            return nil
        }
        replyTo = delivery.properties.replyTo
        correlationID = delivery.properties.correlationID
    }
}
