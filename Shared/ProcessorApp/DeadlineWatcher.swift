import Contracts
import Messaging
import Observability
import PostgresClient
import ServiceRuntime
import Storage
import Wire

/// Watches the providers' response deadlines (DESIGN: "reminders and escalation to the
/// operations team when it passes"). An item nobody answered by its deadline gets one reminder
/// to its provider's contacts; one still unanswered after as long again is escalated, once, to
/// the operations team.
///
/// Each pass is one transaction: the items are claimed with `FOR UPDATE SKIP LOCKED` and marked
/// (`reminded_at`, `escalated_at`) together with the outbox rows of their mails, so a reminder
/// is sent once whichever replica finds the item, and a crash loses none.
struct DeadlineWatcher: Service {
    let name = "deadline-watcher"
    let pool: PostgresPool
    let interval: Duration
    /// Escalation recipients; when empty, the users with role `operator`.
    let operationsEmails: [String]
    let logger: Logger
    let reminders: Counter
    let escalations: Counter

    init(pool: PostgresPool, interval: Duration, operationsEmails: [String], logger: Logger, registry: MetricsRegistry) {
        self.pool = pool
        self.interval = interval
        self.operationsEmails = operationsEmails
        self.logger = logger.with(["service_part": .string("deadline-watcher")])
        reminders = registry.counter("oms_deadline_reminders_total", help: "Items whose provider was reminded of a passed response deadline.")
        escalations = registry.counter("oms_deadline_escalations_total", help: "Items escalated to the operations team, unanswered long after their deadline.")
    }

    func run(_ shutdown: ShutdownSignal) async throws {
        while !shutdown.isTriggered {
            do {
                let (reminded, escalated) = try await sweep(now: .now())
                reminders.increment(by: reminded)
                escalations.increment(by: escalated)
                if reminded + escalated > 0 {
                    logger.info("response deadlines passed", ["reminded": .int(Int64(reminded)), "escalated": .int(Int64(escalated))])
                }
            } catch {
                logger.warning("deadline check failed; will retry", ["error": .string(String(describing: error))])
            }
            await shutdown.sleep(for: interval)
        }
    }

    /// One pass at `now`. - Returns: how many items were reminded and escalated.
    func sweep(now: Timestamp) async throws -> (Int, Int) {
        let operationsEmails = operationsEmails
        return try await pool.transaction { conn in
            let reminded = try conn.claimOverdueItems(now: now, escalation: false)
            var outbox = try Self.reminderMails(reminded, now: now)
            var recipients = operationsEmails
            if recipients.isEmpty { recipients = try conn.operatorEmails() }
            // With nobody to tell, items stay unescalated until someone is configured.
            let escalated = recipients.isEmpty ? [] : try conn.claimOverdueItems(now: now, escalation: true)
            if let mail = try Self.escalationMail(escalated, to: recipients, now: now) { outbox.append(mail) }
            try conn.enqueue(outbox)
            return (reminded.count, escalated.count)
        }
    }

    /// One reminder per provider, listing its overdue items.
    static func reminderMails(_ items: [OverdueItem], now: Timestamp) throws -> [OutboxMessage] {
        try Dictionary(grouping: items, by: \.providerID).sorted { $0.key < $1.key }.compactMap { _, items in
            guard let first = items.first, !first.providerEmails.isEmpty else { return nil }
            var body = "These orders for \(first.providerName) have had no response, and their response time has passed:\n\n"
            for item in items { body += describe(item) }
            body += "\nPlease acknowledge them in your order management system.\n"
            return try Notifications.delivery(Delivery(
                kind: .email, createdAt: now, eventKind: "project_item.deadline_passed",
                email: EmailContent(to: first.providerEmails,
                                    subject: "Reminder: \(items.count) order item(s) await your response", body: body)))
        }
    }

    /// One mail to the operations team listing every item escalated in this pass, or `nil`.
    static func escalationMail(_ items: [OverdueItem], to recipients: [String], now: Timestamp) throws -> OutboxMessage? {
        guard !items.isEmpty else { return nil }
        var body = "These order items are still unanswered, long after their providers' response time:\n\n"
        for item in items { body += describe(item, withProvider: true) }
        return try Notifications.delivery(Delivery(
            kind: .email, createdAt: now, eventKind: "project_item.escalated",
            email: EmailContent(to: recipients, subject: "Escalation: \(items.count) order item(s) unanswered by providers",
                                body: body)))
    }

    static func describe(_ item: OverdueItem, withProvider: Bool = false) -> String {
        let provider = withProvider ? " at \(item.providerName)" : ""
        return "- order \(item.orderPublicID), project \(item.projectID) item \(item.iid): \(item.service) / \(item.offer)"
            + "\(provider), ordered \(item.createdAt.rfc3339Seconds), due \(item.deadline.rfc3339Seconds)\n"
    }
}
