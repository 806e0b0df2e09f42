import AMQPClient
import Contracts
import Foundation
import Messaging
import PostgresClient
import ProcessorApp
import ServiceRuntime
import Storage
import Testing
import TestSupport
import Wire

/// A command that can never succeed is kept for an operator in `oms.processor.dead`: not
/// dropped, and not redelivered forever.
@Suite("Processor dead letters")
struct ProcessorDeadLetterTests {
    @Test("an unknown command type and a malformed body are dead-lettered, and a good command after them still runs")
    func malformedCommandsAreParked() async throws {
        try await TestDatabase.with("proc") { db in
            try await TestBroker.with { broker in
                let conn = try await PostgresConnection.connect(db.configuration)
                _ = try await Migrations.migrate(conn)
                let configuration = try ProcessorConfiguration(environment: Environment([
                    "OMS_DATABASE_URL": TestServers.databaseURL, "OMS_DATABASE_SCHEMA": db.schema,
                    "OMS_AMQP_URL": broker.url, "OMS_HTTP_PORT": "0", "OMS_PROCESSOR_CONSUMERS": "1",
                ]))
                let shutdown = ShutdownSignal()
                let services = ProcessorApp.services(configuration, logger: Logger(service: "test", sink: .memory()))
                let running = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for service in services { group.addTask { try? await service.run(shutdown) } }
                    }
                }
                let publisher = try await AMQPConnection.connect(broker.configuration)
                try await Topology().declare(on: publisher)
                try await publisher.enableConfirms()
                func command(type: String, body: String) -> AMQPMessage {
                    AMQPMessage(exchange: Topology.commandsExchange, routingKey: Topology.processorRoutingKey,
                                body: Array(body.utf8), properties: AMQPProperties(messageID: UUID().uuidString, type: type))
                }
                let userID = try await conn.query("INSERT INTO users (uid, email) VALUES ('u1', 'u1@example.org') RETURNING id")[0].int("id")
                let good = CreateProjectCommand(header: CommandHeader(requestID: UUID(), userID: userID, bodyHash: "h"),
                                                project: ProjectAttributes(name: "After the bad ones"))
                let outcomes = try await publisher.publish([
                    command(type: "order.teleport", body: "{}"),
                    command(type: "order.create", body: #"{"not":"an order"}"#),
                    command(type: CommandType.createProject, body: try WireFormat.encodeString(good)),
                ])
                #expect(outcomes == [.confirmed, .confirmed, .confirmed])
                let parked = try await TestHTTP.eventually {
                    try await broker.messageCount(Topology.processorDeadQueue) == 2
                }
                #expect(parked)
                #expect(try await broker.messageCount(Topology.processorQueue) == 0)
                let created = try await TestHTTP.eventually {
                    try await conn.query("SELECT count(*) AS n FROM projects WHERE name = 'After the bad ones'")[0].int("n") == 1
                }
                #expect(created)
                shutdown.trigger()
                await running.value
            }
        }
    }
}
