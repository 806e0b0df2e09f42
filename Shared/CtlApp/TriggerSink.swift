import Foundation
import HTTPCore
import HTTPServer
import ServiceRuntime
import Wire

extension Ctl {
    /// `trigger-sink`: a stand-in OMS endpoint that answers every request with one status and
    /// prints each request as a JSON line, so a person running the demo sees triggers arrive.
    func triggerSink(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "trigger-sink", options: ["host", "port", "status"])
        guard let port = try args.int("port", in: 0...65535) else { throw args.usageError("--port is required") }
        let status = try args.int("status", in: 100...599) ?? 204
        let host = args.value("host") ?? "127.0.0.1"
        let level: Logger.Level
        do { level = try environment.logLevel() } catch { throw CtlError(.configuration, "configuration error: \(error)") }
        let logger = Logger(service: "omsctl", minimumLevel: level, sink: logSink)
        let output = self.output
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: HTTPServerConfiguration(host: host, port: port)) { request in
                output.json(TriggerSink.record(request, answered: status))
                return HTTPResponse(status: status)
            }
        } catch {
            throw CtlError(.failed, "trigger-sink: cannot listen on \(host):\(port): \(error)")
        }
        logger.info("trigger-sink listening", ["host": .string(host), "port": .int(Int64(server.port)),
                                               "status": .int(Int64(status))])
        let code = await ServiceGroup(services: [TriggerSink(server: server)], logger: logger, shutdown: shutdown).run()
        if code != 0 { throw CtlError(.failed, "trigger-sink stopped with an error") }
    }
}

/// Keeps the sink's server until shutdown, then stops it gracefully.
struct TriggerSink: Service {
    let name = "trigger-sink"
    let server: HTTPServer

    func run(_ shutdown: ShutdownSignal) async throws {
        await shutdown.wait()
        await server.shutdown()
    }

    /// The JSON line for one request: what an OMS adapter would see of a trigger.
    static func record(_ request: HTTPRequest, answered status: Int) -> JSONValue {
        func header(_ name: String) -> JSONValue { request.header(name).map(JSONValue.string) ?? .null }
        let authorization = request.header("Authorization")
        let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return .object([
            "time": .string(Timestamp.now().rfc3339),
            "method": .string(request.method),
            "path": .string(request.path),
            "query": query.isEmpty ? .null : .string(query),
            "delivery_id": header("X-OMS-Delivery-Id"),
            "signature": header("X-OMS-Signature"),
            "oms_timestamp": header("X-OMS-Timestamp"),
            "authorization": .bool(authorization != nil),
            "basic_user": basicUser(authorization).map(JSONValue.string) ?? .null,
            "body_bytes": .int(Int64(request.body.count)),
            "remote": request.remoteAddress.map(JSONValue.string) ?? .null,
            "status": .int(Int64(status)),
        ])
    }

    /// The user of an HTTP Basic `Authorization` value, or `nil` for another scheme or bad base64.
    static func basicUser(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.trimmingSpaces().split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: parts[1].trimmingSpaces()) else { return nil }
        let credentials = String(decoding: data, as: UTF8.self)
        return String(credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }
}
