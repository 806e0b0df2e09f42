import AMQPClient
import Contracts
import Foundation
import Messaging
import Observability
import PostgresClient
import ServiceRuntime
import Wire

/// Handles batches of commands from `oms.processor.commands`.
///
/// A batch runs in one transaction (see ``CommandExecutor``); the replies are published only
/// after the commit, and the deliveries acked only after that. If the batch transaction fails,
/// a transient error (database down) requeues the batch; any other error retries each command
/// on its own, so one bad command cannot hold back the others. A command that fails alone with
/// a non-transient error is rejected, which dead-letters it to `oms.processor.dead` for an
/// operator: never silently dropped, never retried forever.
final class CommandProcessor: Sendable {
    let pool: PostgresPool
    let publisher: Publisher
    let logger: Logger
    let handled: Counter
    let failed: Counter
    let batchSizes: Histogram
    /// Base of the hrefs in TMF622 hub events.
    let publicURL: String

    init(pool: PostgresPool, publisher: Publisher, logger: Logger, registry: MetricsRegistry, publicURL: String) {
        self.publicURL = publicURL
        self.pool = pool
        self.publisher = publisher
        self.logger = logger
        handled = registry.counter("oms_processor_commands_total", help: "Commands handled (including duplicates).")
        failed = registry.counter("oms_processor_command_failures_total", help: "Commands dead-lettered after a non-transient failure.")
        batchSizes = registry.histogram("oms_processor_batch_size", help: "Commands per transaction.",
                                        buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
    }

    func handle(_ deliveries: [AMQPDelivery]) async -> [Disposition] {
        var dispositions = [Disposition](repeating: .ack, count: deliveries.count)
        var commands: [(Int, Command)] = []
        for (i, delivery) in deliveries.enumerated() {
            if let command = Command(delivery) {
                commands.append((i, command))
            } else {
                logger.error("malformed command dead-lettered", ["type": .string(delivery.properties.type ?? ""),
                                                                 "message_id": .string(delivery.properties.messageID ?? "")])
                failed.increment()
                dispositions[i] = .reject
            }
        }
        guard !commands.isEmpty else { return dispositions }
        do {
            try await execute(commands.map(\.1))
        } catch let error as PostgresError where error.isTransient {
            logger.warning("database unavailable; requeueing commands", ["error": .string(error.description)])
            for (i, _) in commands { dispositions[i] = .requeue }
        } catch {
            if commands.count > 1 {
                logger.warning("batch failed; retrying commands one by one", ["error": .string(String(describing: error))])
            }
            for (i, command) in commands {
                do {
                    try await execute([command])
                } catch let error as PostgresError where error.isTransient {
                    dispositions[i] = .requeue
                } catch {
                    logger.error("command failed and was dead-lettered", [
                        "kind": .string(command.kind), "request_id": .string(command.header.requestID.uuidString),
                        "error": .string(String(describing: error))])
                    failed.increment()
                    dispositions[i] = .reject
                    await reply(to: command, .failure(500, code: "internal", message: "The request could not be processed; operators were alerted"))
                }
            }
        }
        return dispositions
    }

    private func execute(_ commands: [Command]) async throws {
        let now = Timestamp.now()
        let replies = try await pool.transaction { conn in
            try CommandExecutor.run(commands, now: now, publicURL: self.publicURL, conn: conn)
        }
        // The relay is woken by the commit's NOTIFY (`enqueue`), in this process and in replicas.
        handled.increment(by: commands.count)
        batchSizes.observe(Double(commands.count))
        await withTaskGroup(of: Void.self) { group in
            for (command, reply) in zip(commands, replies) {
                group.addTask { await self.reply(to: command, reply) }
            }
        }
    }

    /// Replies go straight to the caller's private queue (not through the outbox): a reply is
    /// useful only while the caller waits, and if it is lost the caller has already answered 202
    /// and the stored result answers the retry.
    private func reply(to command: Command, _ reply: CommandReply) async {
        guard let replyTo = command.replyTo, !replyTo.isEmpty else { return }
        do {
            var message = try Envelope.message(exchange: "", routingKey: replyTo, type: "reply", body: reply,
                                               correlationID: command.correlationID, mandatory: false)
            message.properties.persistent = false
            try await publisher.publish([message])
        } catch {
            logger.warning("reply not sent", ["error": .string(String(describing: error))])
        }
    }
}
