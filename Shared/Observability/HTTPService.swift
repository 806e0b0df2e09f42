public import HTTPCore
public import HTTPServer
public import ServiceRuntime
import Wire

/// Serves HTTP until shutdown, then stops accepting and answers the requests in flight.
///
/// Every executable runs one: the gateway for its APIs, the others for `/healthz`, `/readyz`
/// and `/metrics`.
public struct HTTPService: Service {
    public let name: String
    let configuration: HTTPServerConfiguration
    let handler: HTTPHandler
    let logger: Logger
    let onStart: @Sendable (Int) -> Void

    /// - Parameter onStart: told the bound port once listening (useful with port 0).
    public init(name: String = "http", configuration: HTTPServerConfiguration, logger: Logger,
                onStart: @escaping @Sendable (Int) -> Void = { _ in }, handler: @escaping HTTPHandler) {
        self.name = name
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.onStart = onStart
    }

    public func run(_ shutdown: ShutdownSignal) async throws {
        let server = try HTTPServer(configuration: configuration, handler: handler)
        logger.info("listening", ["host": .string(configuration.host), "port": .int(Int64(server.port))])
        onStart(server.port)
        await shutdown.wait()
        await server.shutdown()
    }
}
