import Contracts
import Foundation
import Messaging
import PostgresClient
import Storage
import Wire

/// Runs a batch of commands in ONE transaction: every state change, its events and the outbox
/// rows for what must follow commit together, or not at all.
///
/// Business refusals (unknown project, final item…) are decided before anything is written for
/// that command and become error replies, stored like successes so a retry gets the same answer.
/// Events are appended last, under the events lock (see `appendEvents`), so the lock is held
/// only for that insert and the commit.
enum CommandExecutor {
    /// What a batch produced, besides the rows already written.
    struct Effects {
        var events: [NewEvent] = []
        var outbox: [OutboxMessage] = []
    }

    static func run(_ commands: [Command], now: Timestamp, publicURL: String,
                    conn: isolated PostgresConnection) throws -> [CommandReply] {
        let requestIDs = commands.map { $0.header.requestID }
        var known: [UUID: (hash: String, reply: CommandReply)] = [:]
        for row in try conn.query("""
            SELECT request_id, body_hash, result FROM requests WHERE request_id = ANY(\(requestIDs)::uuid[])
            """) {
            let reply = try WireFormat.decode(CommandReply.self, from: try row.string("result"))
            known[try row.uuid("request_id")] = (try row.string("body_hash"), reply)
        }
        var effects = Effects()
        var context = ExecutionContext(now: now, publicURL: publicURL)
        var replies: [CommandReply] = []
        var newRequests: [(Command, CommandReply)] = []
        for command in commands {
            let header = command.header
            if let prior = known[header.requestID] {
                replies.append(prior.hash == header.bodyHash ? prior.reply : .failure(
                    422, code: "idempotency_key_reused",
                    message: "This Idempotency-Key was already used with a different request body"))
                continue
            }
            let reply: CommandReply
            switch command.body {
            case .createProject(let c): reply = try createProject(c, context: &context, effects: &effects, conn: conn)
            case .createOrder(let c): reply = try createOrder(c, context: &context, effects: &effects, conn: conn)
            case .updateProjectItem(let c): reply = try updateItem(c, context: &context, effects: &effects, conn: conn)
            case .createMessage(let c): reply = try createMessage(c, context: &context, effects: &effects, conn: conn)
            case .updateMessage(let c): reply = try updateMessage(c, context: &context, effects: &effects, conn: conn)
            case .createTMFOrder(let c): reply = try createTMFOrder(c, context: &context, effects: &effects, conn: conn)
            case .updateTMFOrder(let c): reply = try updateTMFOrder(c, context: &context, effects: &effects, conn: conn)
            case .deleteTMFOrder(let c): reply = try deleteTMFOrder(c, context: &context, effects: &effects, conn: conn)
            case .cancelTMFOrder(let c): reply = try cancelTMFOrder(c, context: &context, effects: &effects, conn: conn)
            }
            known[header.requestID] = (header.bodyHash, reply)
            newRequests.append((command, reply))
            replies.append(reply)
        }
        if !newRequests.isEmpty {
            let results = try newRequests.map { try WireFormat.encodeString($0.1) }
            try conn.query("""
                INSERT INTO requests (request_id, user_id, kind, body_hash, status, result)
                SELECT * FROM unnest(\(newRequests.map { $0.0.header.requestID })::uuid[],
                                     \(newRequests.map { $0.0.header.userID })::int8[],
                                     \(newRequests.map { $0.0.kind })::text[], \(newRequests.map { $0.0.header.bodyHash })::text[],
                                     \(newRequests.map { $0.1.status })::int4[], \(results)::jsonb[])
                """)
        }
        try conn.enqueue(effects.outbox)
        _ = try conn.appendEvents(effects.events)
        return replies
    }
}

/// Lookups shared by the commands of one batch.
struct ExecutionContext {
    let now: Timestamp
    /// Base of the hrefs in TMF622 hub events (the gateway's `OMS_PUBLIC_URL`).
    let publicURL: String
    private var listeners: [HubListenerRecord]?
    private var omsCache: [Int64: OMSRecord] = [:]
    private var offerCache: [Int64: OfferRecord] = [:]
    private var projectCache: [Int64: ProjectRecord] = [:]
    private var defaultLoaded = false
    private var defaultRecord: OMSRecord?

    init(now: Timestamp, publicURL: String) {
        self.now = now
        self.publicURL = publicURL
    }

    /// The TMF622 hub listeners, read once per batch.
    mutating func hubListeners(_ conn: isolated PostgresConnection) throws -> [HubListenerRecord] {
        if let listeners { return listeners }
        let loaded = try conn.hubListeners()
        listeners = loaded
        return loaded
    }

    mutating func defaultOMS(_ conn: isolated PostgresConnection) throws -> OMSRecord? {
        if !defaultLoaded {
            defaultRecord = try conn.defaultOMS()
            defaultLoaded = true
            if let d = defaultRecord { omsCache[d.id] = d }
        }
        return defaultRecord
    }

    /// Offers by id, loaded once per batch (a batch's orders mostly name the same offers).
    mutating func offers(_ ids: [Int64], _ conn: isolated PostgresConnection) throws -> [Int64: OfferRecord] {
        let missing = Set(ids).filter { offerCache[$0] == nil }
        if !missing.isEmpty {
            for (id, offer) in try conn.findOffers(ids: Array(missing)) { offerCache[id] = offer }
        }
        var out: [Int64: OfferRecord] = [:]
        for id in ids { if let offer = offerCache[id] { out[id] = offer } }
        return out
    }

    /// A project without its item list (for mails), loaded once per batch.
    mutating func project(_ id: Int64, _ conn: isolated PostgresConnection) throws -> ProjectRecord? {
        if let p = projectCache[id] { return p }
        let p = try conn.findProject(id: id, withItems: false)
        if let p { projectCache[id] = p }
        return p
    }

    mutating func omses(_ ids: Set<Int64>, _ conn: isolated PostgresConnection) throws -> [OMSRecord] {
        let missing = ids.filter { omsCache[$0] == nil }
        if !missing.isEmpty {
            for oms in try conn.findOMSes(ids: Array(missing)) { omsCache[oms.id] = oms }
        }
        return ids.sorted().compactMap { omsCache[$0] }
    }
}
