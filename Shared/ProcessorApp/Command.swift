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
        case createTMFOrder(CreateTMFOrderCommand)
        case updateTMFOrder(UpdateTMFOrderCommand)
        case deleteTMFOrder(DeleteTMFOrderCommand)
        case cancelTMFOrder(CancelTMFOrderCommand)
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
        case .createTMFOrder(let c): return c.header
        case .updateTMFOrder(let c): return c.header
        case .deleteTMFOrder(let c): return c.header
        case .cancelTMFOrder(let c): return c.header
        }
    }

    var kind: String {
        switch body {
        case .createProject: return CommandType.createProject
        case .createOrder: return CommandType.createOrder
        case .updateProjectItem: return CommandType.updateProjectItem
        case .createMessage: return CommandType.createMessage
        case .updateMessage: return CommandType.updateMessage
        case .createTMFOrder: return CommandType.createTMFOrder
        case .updateTMFOrder: return CommandType.updateTMFOrder
        case .deleteTMFOrder: return CommandType.deleteTMFOrder
        case .cancelTMFOrder: return CommandType.cancelTMFOrder
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
            case CommandType.createTMFOrder?:
                body = .createTMFOrder(try Envelope.decode(CreateTMFOrderCommand.self, from: delivery))
            case CommandType.updateTMFOrder?:
                body = .updateTMFOrder(try Envelope.decode(UpdateTMFOrderCommand.self, from: delivery))
            case CommandType.deleteTMFOrder?:
                body = .deleteTMFOrder(try Envelope.decode(DeleteTMFOrderCommand.self, from: delivery))
            case CommandType.cancelTMFOrder?:
                body = .cancelTMFOrder(try Envelope.decode(CancelTMFOrderCommand.self, from: delivery))
            default: return nil
            }
        } catch {
            return nil
        }
        replyTo = delivery.properties.replyTo
        correlationID = delivery.properties.correlationID
    }
}
