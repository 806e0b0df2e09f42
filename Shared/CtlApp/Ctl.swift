public import ServiceRuntime
import AMQPClient
import Messaging
import PostgresClient

/// `omsctl`, the operator's command line, as a value a test can run in-process.
///
/// Every command is `run(["oms", "register", ...])`: it reads its configuration from
/// ``environment``, writes results to ``output`` (one JSON value per line, which scripts parse)
/// and diagnostics to ``errors``, and returns the exit status: 0 on success, 1 on failure,
/// 2 on bad usage or configuration. Nothing here calls `exit` or `print`.
public struct Ctl: Sendable {
    /// Where configuration comes from (`OMS_DATABASE_URL`, `OMS_DATABASE_SCHEMA`, `OMS_AMQP_URL`).
    public let environment: Environment
    /// Results: what scripts read.
    public let output: CtlOutput
    /// Usage, errors and progress.
    public let errors: CtlOutput
    /// Stops the long-running `trigger-sink` (SIGTERM and SIGINT trigger it too).
    public let shutdown: ShutdownSignal
    /// The structured log of long-running commands (`trigger-sink`): start, stop, failures.
    public let logSink: LogSink

    /// - Parameters: where configuration comes from and where each kind of output goes; the
    ///   defaults are the process's environment, standard output and standard error.
    public init(environment: Environment = .process, output: CtlOutput = .standardOutput,
                errors: CtlOutput = .standardError, shutdown: ShutdownSignal = ShutdownSignal(),
                logSink: LogSink = .standardOutput) {
        self.environment = environment
        self.output = output
        self.errors = errors
        self.shutdown = shutdown
        self.logSink = logSink
    }

    /// Runs one command line (without the program name). - Returns: the exit status.
    public func run(_ arguments: [String]) async -> Int32 {
        do {
            try await dispatch(arguments)
            return 0
        } catch let error as CtlError {
            report(error)
            return error.exitStatus
        } catch {
            report(Self.describe(error))
            return 1
        }
    }

    private func dispatch(_ arguments: [String]) async throws {
        guard let command = arguments.first else {
            throw CtlError.usage("no command given", command: nil)
        }
        let rest = Array(arguments.dropFirst())
        func sub(_ group: String, _ handlers: [String: ([String]) async throws -> Void]) async throws {
            guard let name = rest.first else { throw CtlError.usage("\(group): which command?", command: group) }
            guard let handler = handlers[name] else {
                throw CtlError.usage("unknown command '\(group) \(name)'", command: group)
            }
            try await handler(Array(rest.dropFirst()))
        }
        switch command {
        case "help", "--help", "-h":
            output.line(Usage.text(for: nil))
        case "migrate": try await migrate(rest)
        case "seed-demo": try await seedDemo(rest)
        case "trigger-sink": try await triggerSink(rest)
        case "token": try await sub("token", ["issue": tokenIssue, "revoke": tokenRevoke])
        case "user": try await sub("user", ["create": userCreate])
        case "oms": try await sub("oms", ["register": omsRegister, "list": omsList])
        case "provider": try await sub("provider", ["set-response-time": providerSetResponseTime])
        case "prune": try await prune(rest)
        case "dead-letters": try await sub("dead-letters", ["list": deadLettersList, "replay": deadLettersReplay])
        default:
            throw CtlError.usage("unknown command '\(command)'", command: nil)
        }
    }

    // MARK: - Shared plumbing

    /// The shared configuration, read when a command needs it, so `help` works anywhere.
    func configuration() throws(CtlError) -> InfrastructureConfiguration {
        do {
            return try InfrastructureConfiguration(environment: environment, service: "omsctl", defaultPort: 0)
        } catch {
            throw CtlError(.configuration, "configuration error: \(error)")
        }
    }

    /// Runs `body` on a fresh database connection, closed afterwards.
    func withDatabase<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(try configuration().database)
        } catch let error as PostgresError {
            throw CtlError(.failed, "cannot connect to the database: \(error.message)")
        }
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Opens a broker connection with the project's topology declared, closed afterwards.
    func withBroker<T: Sendable>(_ body: (AMQPConnection) async throws -> T) async throws -> T {
        let connection: AMQPConnection
        do {
            connection = try await AMQPConnection.connect(try configuration().amqp)
            try await Topology().declare(on: connection)
        } catch let error as AMQPError {
            throw CtlError(.failed, "cannot use the broker: \(error)")
        }
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    private func report(_ error: CtlError) {
        errors.line("omsctl: \(error.message)")
        if error.code == .usage { errors.line(Usage.text(for: error.command)) }
    }

    /// Turns a server error into a message an operator can act on.
    static func describe(_ error: any Error) -> CtlError {
        if let error = error as? CtlError { return error }
        if let error = error as? PostgresError {
            var message = "database: \(error.message)"
            if let detail = error.detail { message += " (\(detail))" }
            if error.sqlState == "42P01" { message += "; has `omsctl migrate` run on this database and schema?" }
            return CtlError(.failed, message)
        }
        return CtlError(.failed, String(describing: error))
    }
}
