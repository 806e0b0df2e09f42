import AMQPClient
import Foundation
import Messaging
import PostgresClient

extension Ctl {
    /// `dead-letters list`: deliveries the notifier gave up on, oldest last attempt first.
    func deadLettersList(_ arguments: [String]) async throws {
        _ = try Arguments(arguments, command: "dead-letters list")
        let rows = try await withDatabase { conn in
            try await conn.query("""
                SELECT id, kind, target, oms_id, attempts, last_error,
                       to_char(first_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS first_attempt_at,
                       to_char(last_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_attempt_at
                FROM deliveries WHERE status = 'dead' ORDER BY last_attempt_at, id
                """)
        }
        for row in rows {
            output.json(DeadLetter(id: try row.uuid("id"), kind: try row.string("kind"), target: try row.string("target"),
                                   omsID: try row.optionalInt("oms_id"), attempts: try row.int("attempts"),
                                   lastError: try row.optionalString("last_error"),
                                   firstAttemptAt: try row.string("first_attempt_at"),
                                   lastAttemptAt: try row.string("last_attempt_at")))
        }
    }

    /// `dead-letters replay`: see ``DeadLetterReplay``; then the delivery log shows them as retrying.
    func deadLettersReplay(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "dead-letters replay", options: ["id"], repeated: ["id"], flags: ["all"])
        let selection: DeadLetterReplay.Selection
        switch (args.flag("all"), args.all("id")) {
        case (true, []): selection = .all
        case (false, let ids) where !ids.isEmpty:
            var uuids: Set<UUID> = []
            for text in ids {
                guard let id = UUID(uuidString: text) else { throw args.usageError("--id must be a UUID, not '\(text)'") }
                uuids.insert(id)
            }
            selection = .ids(uuids)
        default:
            throw args.usageError("give either --all or one or more --id")
        }
        let configuration = try configuration()
        let outcome = try await withBroker { consumer in
            let publisher: AMQPConnection
            do {
                publisher = try await AMQPConnection.connect(configuration.amqp)
            } catch {
                throw CtlError(.failed, "cannot use the broker: \(error)")
            }
            do {
                let outcome = try await DeadLetterReplay(consumer: consumer, publisher: publisher).run(selection)
                await publisher.close()
                return outcome
            } catch {
                await publisher.close()
                throw error
            }
        }
        if !outcome.replayed.isEmpty {
            // The messages are already safe in the deliveries queue; the log follows. If this fails
            // the notifier corrects the row at its next attempt anyway.
            let ids = outcome.replayed
            do {
                _ = try await withDatabase { conn in
                    try await conn.query("""
                        WITH locked AS (
                            -- Lock in id order, as the notifier writes its log, so the two never deadlock.
                            SELECT id FROM deliveries WHERE id = ANY(\(ids)::uuid[]) AND status <> 'delivered'
                            ORDER BY id FOR UPDATE
                        )
                        UPDATE deliveries d SET status = 'retrying' FROM locked WHERE d.id = locked.id
                        """)
                }
            } catch {
                errors.line("omsctl: warning: replayed, but the delivery log was not updated: \(Self.describe(error).message)")
            }
        }
        output.json(ReplayResult(replayed: outcome.replayed.count, ids: outcome.replayed.map(Self.text),
                                 notFound: outcome.notFound.map(Self.text), failed: outcome.failed.map(Self.text)))
        if !outcome.failed.isEmpty {
            throw CtlError(.failed, "\(outcome.failed.count) message(s) were not confirmed by the broker; they stay in the dead queue")
        }
        if !outcome.notFound.isEmpty {
            throw CtlError.invalid("not in the dead queue: \(outcome.notFound.map(Self.text).joined(separator: ", "))")
        }
    }

    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }
}

struct DeadLetter: Encodable {
    let id: UUID
    let kind: String
    let target: String
    let omsID: Int64?
    let attempts: Int64
    let lastError: String?
    let firstAttemptAt: String
    let lastAttemptAt: String

    enum CodingKeys: String, CodingKey {
        case id, kind, target, omsID = "oms_id", attempts, lastError = "last_error"
        case firstAttemptAt = "first_attempt_at", lastAttemptAt = "last_attempt_at"
    }

    /// Every key is always present (null when unknown), so the lines have one shape.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Ctl.text(id), forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(target, forKey: .target)
        try c.encode(omsID, forKey: .omsID)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(firstAttemptAt, forKey: .firstAttemptAt)
        try c.encode(lastAttemptAt, forKey: .lastAttemptAt)
    }
}

struct ReplayResult: Encodable {
    let replayed: Int
    let ids: [String]
    let notFound: [String]
    let failed: [String]

    enum CodingKeys: String, CodingKey { case replayed, ids, notFound = "not_found", failed }
}
