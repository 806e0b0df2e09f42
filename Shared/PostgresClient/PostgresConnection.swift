import CLibPQ
import Foundation
import ThreadExecutor

/// One libpq connection, isolated to its own OS thread.
///
/// libpq calls block, so the actor's executor is a ``ThreadExecutor``: every method runs on that
/// thread and the cooperative pool never waits on the network. Nothing of libpq leaves this type;
/// callers see `PostgresRows`, `PostgresError` and plain values.
///
/// A broken connection (server restart, network loss) makes the running call throw
/// `.connectionClosed`; the next call reconnects first, so a pooled connection heals itself.
public actor PostgresConnection {
    private let executor: ThreadExecutor
    private let configuration: PostgresConfiguration
    /// `PGconn *`, owned by this actor, never shared. `nil` until connected or after a failure.
    private var handle: OpaquePointer?
    /// Statements prepared on this connection, by SQL text. Parsing and planning once per
    /// connection instead of once per call saves a large share of the server's CPU per order.
    private var prepared: [String: String] = [:]
    private var statementCounter = 0
    /// Channels this session listens to. Session state does not survive a reconnect, so a
    /// listening connection that breaks reports it instead of reconnecting silently.
    private var listening: Set<String> = []
    /// Whether a transaction opened through ``begin()`` (or ``transaction(_:)``) is still open.
    /// While it is, a lost session is never replaced silently: statements after it would run
    /// outside the transaction.
    private var inTransaction = false
    /// The most statements kept prepared; past it they are deallocated and prepared again.
    private static let maxPrepared = 256

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        self.executor = ThreadExecutor(name: "pg-\(configuration.applicationName)")
    }

    /// Opens a connection and prepares the session (UTC time zone, search path).
    public static func connect(_ configuration: PostgresConfiguration) async throws -> PostgresConnection {
        let connection = PostgresConnection(configuration: configuration)
        try await connection.reconnectIfNeeded()
        return connection
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
        executor.shutdown()
    }

    /// Reconnects if the connection is absent or broken.
    ///
    /// A session the server closed while this side was idle (a restart, a failover,
    /// `pg_terminate_backend`) still reads as `CONNECTION_OK` until something is read from it,
    /// so an idle connection first consumes what the server sent (this does not block): a
    /// closing message or EOF marks it bad, and it is replaced before it can fail a request.
    public func reconnectIfNeeded() throws {
        if let handle, PQstatus(handle) == CONNECTION_OK, !inTransaction,
           PQtransactionStatus(handle) == PQTRANS_IDLE {
            _ = PQconsumeInput(handle)
        }
        _ = try liveHandle()
    }

    /// The session to run a statement on: the current one while it reads as usable (no probe:
    /// a statement on a closed session fails and reports it), else a new one, except where
    /// session state would be lost (an open transaction, LISTEN), which is reported instead.
    private func liveHandle() throws -> OpaquePointer {
        if let handle, PQstatus(handle) == CONNECTION_OK { return handle }
        if handle != nil, !listening.isEmpty { throw listeningSessionLost() }
        if handle != nil, inTransaction {
            dropSession()
            throw PostgresError(code: .connectionClosed, message: "the connection was lost inside a transaction, which did not commit")
        }
        if let handle { PQfinish(handle) }
        handle = nil
        prepared.removeAll()
        let conn = try openHandle()
        handle = conn
        var setup = "SET TIME ZONE 'UTC'; SET application_name = '\(configuration.applicationName.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })';"
        if let schema = configuration.schema {
            setup += " SET search_path TO \(Self.quoteIdentifier(schema)), public;"
        }
        try executeSimple(setup)
        return conn
    }

    private func dropSession() {
        if let handle { PQfinish(handle) }
        handle = nil
        prepared.removeAll()
        listening.removeAll()
        inTransaction = false
    }

    /// Closes the connection; a later call reconnects.
    public func close() { dropSession() }

    /// Runs one statement with bind parameters and returns its rows. The statement is prepared
    /// on first use and reused by its SQL text.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        let conn = try liveHandle()
        let name = try statementName(query, conn)
        // PQexecPrepared copies the parameter strings before returning; the C strings only need
        // to live for the call, which `withCStringArray` guarantees.
        let result = withCStringArray(query.binds) { values in
            PQexecPrepared(conn, name, Int32(values.count), values, nil, nil, 0)
        }
        defer { PQclear(result) }
        return try rows(from: result, connection: conn)
    }

    /// The name of the prepared statement for `query`'s SQL, preparing it if needed.
    private func statementName(_ query: PostgresQuery, _ conn: OpaquePointer) throws -> String {
        if let name = prepared[query.sql] { return name }
        if prepared.count >= Self.maxPrepared {
            let r = PQexec(conn, "DEALLOCATE ALL")
            PQclear(r)
            prepared.removeAll()
        }
        statementCounter += 1
        let name = "oms_\(statementCounter)"
        // Parameter types are left for the server to infer from the statement, as before.
        let result = PQprepare(conn, name, query.sql, Int32(query.binds.count), nil)
        defer { PQclear(result) }
        _ = try rows(from: result, connection: conn)
        prepared[query.sql] = name
        return name
    }

    /// Runs SQL text that may hold several statements and no parameters (migrations, set-up).
    public func executeSimple(_ sql: String) throws {
        guard let conn = handle else { throw PostgresError(code: .connectionClosed, message: "not connected") }
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        _ = try rows(from: result, connection: conn)
    }

    /// Runs `body` inside `BEGIN` … `COMMIT` on this connection's thread; rolls back if it throws.
    ///
    /// The body is synchronous on purpose: it runs on the connection's thread between the two
    /// statements, so nothing else can interleave on this connection.
    public func transaction<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) throws -> T) throws -> T {
        try begin()
        do {
            let value = try body(self)
            try commit()
            return value
        } catch {
            rollback()
            throw error
        }
    }

    /// Opens a transaction for callers that must await other work between its statements (the
    /// outbox relay publishes between SELECT and DELETE). End it with ``commit()`` or ``rollback()``.
    public func begin() throws {
        _ = try liveHandle()
        try executeSimple("BEGIN")
        inTransaction = true
    }

    /// Commits the open transaction.
    public func commit() throws {
        guard let handle, inTransaction else { throw PostgresError(code: .protocolViolation, message: "no transaction is open") }
        defer { inTransaction = false }
        guard PQstatus(handle) == CONNECTION_OK else {
            dropSession()
            throw PostgresError(code: .connectionClosed, message: "the connection was lost inside a transaction, which did not commit")
        }
        try executeSimple("COMMIT")
    }

    /// Rolls the open transaction back (nothing to do when the session is gone: the server did).
    public func rollback() {
        inTransaction = false
        if let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE {
            let r = PQexec(handle, "ROLLBACK")
            PQclear(r)
        }
    }

    /// Sends every statement in one round trip (libpq pipeline mode) and returns their rows in order.
    ///
    /// The statements run in one implicit transaction that commits at the end: if one fails, none
    /// of them takes effect, and the error of the first failure is thrown. Keep pipelines to a few
    /// hundred statements: in blocking mode a very large one can fill the socket buffers.
    public func pipeline(_ queries: [PostgresQuery]) throws -> [PostgresRows] {
        if queries.isEmpty { return [] }
        let conn = try liveHandle()
        // Prepare outside the pipeline (a failing PREPARE inside it would abort the batch early).
        let names = try queries.map { try statementName($0, conn) }
        guard PQenterPipelineMode(conn) == 1 else { throw connectionError(conn, code: .protocolViolation) }
        defer { _ = PQexitPipelineMode(conn) }
        for (query, name) in zip(queries, names) {
            let sent = withCStringArray(query.binds) { values in
                PQsendQueryPrepared(conn, name, Int32(values.count), values, nil, nil, 0)
            }
            guard sent == 1 else { throw connectionError(conn, code: .connectionClosed) }
        }
        guard PQpipelineSync(conn) == 1 else { throw connectionError(conn, code: .connectionClosed) }
        var outputs: [PostgresRows] = []
        var firstError: PostgresError?
        for _ in queries {
            // Each statement yields its result, then NULL.
            guard let result = PQgetResult(conn) else { throw connectionError(conn, code: .connectionClosed) }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                if firstError == nil {
                    firstError = PostgresError(code: .pipelineAborted, message: "skipped after an earlier failure")
                }
                outputs.append(PostgresRows(columns: [], values: [], affectedRows: 0))
            } else {
                do {
                    outputs.append(try rows(from: result, connection: conn))
                } catch let error as PostgresError {
                    if firstError == nil || firstError?.code == .pipelineAborted { firstError = error }
                    outputs.append(PostgresRows(columns: [], values: [], affectedRows: 0))
                }
            }
            PQclear(result)
            while let extra = PQgetResult(conn) { PQclear(extra) }
        }
        // Then the sync point.
        guard let sync = PQgetResult(conn) else { throw connectionError(conn, code: .connectionClosed) }
        let syncStatus = PQresultStatus(sync)
        PQclear(sync)
        guard syncStatus == PGRES_PIPELINE_SYNC else { throw connectionError(conn, code: .protocolViolation) }
        if let firstError { throw firstError }
        return outputs
    }

    /// Starts listening on `channel` (idempotent).
    public func listen(_ channel: String) throws {
        try executeSimple("LISTEN \(Self.quoteIdentifier(channel))")
        listening.insert(channel)
    }

    /// Waits up to `timeout` for notifications on the channels this connection listens to.
    /// Returns at once with those already received; an empty array means the time passed.
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        let conn = try liveHandle()
        var received = drainNotifications(conn)
        if !received.isEmpty { return received }
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = clibpq_wait_readable(PQsocket(conn), milliseconds)
        if ready < 0 && errno != EINTR { throw PostgresError(code: .connectionClosed, message: "poll failed: errno \(errno)") }
        guard PQconsumeInput(conn) == 1, PQstatus(conn) == CONNECTION_OK else { throw listeningSessionLost() }
        received = drainNotifications(conn)
        return received
    }

    /// Drops a broken session that was listening and says so, once: a new session would not be
    /// listening and notifications sent meanwhile are gone, so the owner must listen again and
    /// look at what it may have missed. The next call connects a plain session.
    private func listeningSessionLost() -> PostgresError {
        let channels = listening.sorted().joined(separator: ", ")
        dropSession()
        return PostgresError(code: .connectionClosed,
                             message: "the session listening on \(channels.isEmpty ? "its channels" : channels) was lost; notifications may have been missed")
    }

    // MARK: - libpq plumbing

    private func openHandle() throws -> OpaquePointer {
        let keys = ["dbname", "connect_timeout", "application_name"]
        let values = [configuration.url, String(configuration.connectTimeoutSeconds), configuration.applicationName]
        // `expand_dbname = 1` lets `dbname` hold a whole URL or conninfo string; explicit keys after
        // it override only what they name. libpq copies every string before returning.
        // Both arrays must end with NULL.
        let conn = withCStringArray(keys.map { Optional($0) } + [nil]) { k in
            withCStringArray(values.map { Optional($0) } + [nil]) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let conn else { throw PostgresError(code: .connectionFailed, message: "out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            throw PostgresError(code: .connectionFailed, message: message)
        }
        // Notices ("relation already exists, skipping") would go to stderr unstructured; drop them.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        return conn
    }

    private func drainNotifications(_ conn: OpaquePointer) -> [PostgresNotification] {
        var out: [PostgresNotification] = []
        // PQnotifies returns a malloc'd struct we must PQfreemem; its strings live inside it.
        while let notify = PQnotifies(conn) {
            out.append(PostgresNotification(channel: String(cString: notify.pointee.relname),
                                            payload: String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        return out
    }

    private func rows(from result: OpaquePointer?, connection conn: OpaquePointer) throws -> PostgresRows {
        guard let result else { throw connectionError(conn, code: .connectionClosed) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(columns: [], values: [], affectedRows: affectedRows(result))
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            let rowCount = PQntuples(result), columnCount = PQnfields(result)
            // PQfname/PQgetvalue point into `result`, valid until PQclear: copy them now.
            let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
            var values: [[String?]] = []
            values.reserveCapacity(Int(rowCount))
            for r in 0..<rowCount {
                var row: [String?] = []
                row.reserveCapacity(Int(columnCount))
                for c in 0..<columnCount {
                    row.append(PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c)))
                }
                values.append(row)
            }
            return PostgresRows(columns: columns, values: values, affectedRows: Int(rowCount))
        default:
            if PQstatus(conn) != CONNECTION_OK { throw connectionError(conn, code: .connectionClosed) }
            func field(_ code: UInt8) -> String? {
                guard let p = PQresultErrorField(result, Int32(code)) else { return nil }
                return String(cString: p)
            }
            let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result))
            throw PostgresError(code: .server, message: message, sqlState: field(UInt8(ascii: "C")),
                                detail: field(UInt8(ascii: "D")), constraint: field(UInt8(ascii: "n")))
        }
    }

    private func affectedRows(_ result: OpaquePointer) -> Int {
        Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    private func connectionError(_ conn: OpaquePointer, code: PostgresError.Code) -> PostgresError {
        let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(code: PQstatus(conn) == CONNECTION_OK ? code : .connectionClosed,
                             message: message.isEmpty ? "connection lost" : message)
    }

    /// Quotes an identifier for SQL (`"name"` with inner quotes doubled).
    public nonisolated static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Calls `body` with C strings for `strings` (NULL for `nil`), freed when it returns.
func withCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for p in pointers { free(p) } }
    return body(pointers.map { $0.map { UnsafePointer($0) } })
}
