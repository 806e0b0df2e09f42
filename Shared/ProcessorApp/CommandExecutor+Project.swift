import Contracts
import Messaging
import PostgresClient
import Storage

extension CommandExecutor {
    static func createProject(_ command: CreateProjectCommand, context: inout ExecutionContext, effects: inout Effects,
                              conn: isolated PostgresConnection) throws -> CommandReply {
        let id = try conn.insertProject(userID: command.header.userID, command.project)
        guard let project = try conn.findProject(id: id) else {
            return .failure(500, code: "internal", message: "the project vanished")
        }
        effects.events.append(NewEvent(type: "create", resource: "project", projectID: id))
        // A new project has no items yet, so only the default OMS (the mediator) is concerned.
        let concerned = try context.defaultOMS(conn).map { Set([$0.id]) } ?? []
        effects.outbox += try Notifications.triggers(to: context.omses(concerned, conn), event: "project.create", projectID: id, at: context.now)
        effects.outbox.append(try Notifications.domainEvent(DomainEvent(
            kind: DomainEvent.Kind.projectCreated, occurredAt: context.now, projectID: id)))
        return CommandReply(status: 201, project: project)
    }
}
