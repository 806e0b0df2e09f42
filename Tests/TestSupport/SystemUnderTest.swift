public import Foundation
import Wire

/// The whole system as child processes on a test's own schema and vhost.
///
/// Each service gets a free HTTP port; `start` waits for its `/readyz`. `ctl` runs `omsctl`
/// with the same environment. Logs go to a temporary folder, printed when a test fails.
public final class SystemUnderTest: @unchecked Sendable {
    // @unchecked: `services` is only mutated while the test sets the system up.
    public let database: TestDatabase
    public let broker: TestBroker
    public let logDirectory: URL
    public private(set) var services: [String: ServiceProcess] = [:]
    public let ports: [String: Int]
    private let baseEnvironment: [String: String]

    /// The four long-running services.
    public static let serviceNames = ["oms-gateway", "oms-processor", "oms-notifier", "oms-metrics"]

    public init(database: TestDatabase, broker: TestBroker, environment extra: [String: String] = [:]) throws {
        self.database = database
        self.broker = broker
        logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("oms-e2e-\(database.schema)")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        var ports: [String: Int] = [:]
        for name in Self.serviceNames { ports[name] = freePort() }
        self.ports = ports
        var env = ProcessInfo.processInfo.environment.filter { $0.key == "PATH" || $0.key == "HOME" || $0.key == "LANG" }
        env["OMS_DATABASE_URL"] = TestServers.databaseURL
        env["OMS_DATABASE_SCHEMA"] = database.schema
        env["OMS_AMQP_URL"] = broker.url
        env["OMS_HTTP_HOST"] = "127.0.0.1"
        env["OMS_PUBLIC_URL"] = "http://127.0.0.1:\(ports["oms-gateway"]!)"
        env["OMS_LOG_LEVEL"] = "info"
        env["OMS_RETRY_DELAYS"] = "200ms,500ms,1s"
        env["OMS_SIGNING_KEY"] = "test-signing-key"
        env["OMS_DATABASE_POOL_SIZE"] = "4"
        // Generous, so a machine loaded by parallel tests does not turn 201s into 202s; tests
        // of the 202 path set a short one.
        env["OMS_REPLY_TIMEOUT"] = "10s"
        baseEnvironment = env.merging(extra) { _, new in new }
        for name in Self.serviceNames {
            var serviceEnv = baseEnvironment
            serviceEnv["OMS_HTTP_PORT"] = String(ports[name]!)
            services[name] = ServiceProcess(name: name, executable: TestServers.binDirectory.appendingPathComponent(name),
                                            environment: serviceEnv, logDirectory: logDirectory)
        }
    }

    public var gatewayURL: String { "http://127.0.0.1:\(ports["oms-gateway"]!)" }

    public func url(of service: String) -> String { "http://127.0.0.1:\(ports[service]!)" }

    public subscript(name: String) -> ServiceProcess { services[name]! }

    /// Starts services and waits until each answers `/readyz` with 200.
    public func start(_ names: [String] = SystemUnderTest.serviceNames, timeout: Duration = .seconds(30)) async throws {
        for name in names { try services[name]!.start() }
        for name in names { try await waitReady(name, timeout: timeout) }
    }

    public func waitReady(_ name: String, timeout: Duration = .seconds(30)) async throws {
        let ready = try await TestHTTP.eventually(timeout: timeout) {
            try await TestHTTP.send("GET", url(of: name) + "/readyz").status == 200
        }
        guard ready else { throw TestSupportError("\(name) did not become ready:\n\(services[name]!.log())") }
    }

    /// Sends SIGTERM to every running service and returns each exit status (nil: did not exit).
    @discardableResult
    public func stopAll(timeout: Duration = .seconds(30)) async -> [String: Int32?] {
        for service in services.values { service.signal(SIGTERM) }
        var statuses: [String: Int32?] = [:]
        for (name, service) in services { statuses[name] = await service.waitForExit(timeout: timeout) }
        return statuses
    }

    /// Runs `omsctl` with the system's environment. - Returns: exit status and standard output.
    public func ctl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = TestServers.binDirectory.appendingPathComponent("omsctl")
        p.arguments = arguments
        p.environment = baseEnvironment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            throw TestSupportError("omsctl \(arguments.joined(separator: " ")) exited \(p.terminationStatus): \(String(decoding: errData, as: UTF8.self)) \(String(decoding: data, as: UTF8.self))")
        }
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every service's log, for a failure message.
    public func logs() -> String {
        services.keys.sorted().map { "==== \($0)\n" + services[$0]!.log().suffix(6000) }.joined(separator: "\n")
    }

    /// Runs `body` with a fresh schema, vhost and system; stops the services afterwards.
    public static func with<T: Sendable>(environment: [String: String] = [:],
                                         _ body: (SystemUnderTest) async throws -> T) async throws -> T {
        try await TestDatabase.with("e2e") { db in
            try await TestBroker.with { broker in
                let system = try SystemUnderTest(database: db, broker: broker, environment: environment)
                do {
                    let value = try await body(system)
                    await system.stopAll()
                    return value
                } catch {
                    await system.stopAll()
                    throw TestSupportError("\(error)\n\(system.logs())")
                }
            }
        }
    }
}

/// The JSON object `omsctl seed-demo` prints (its last line that parses as an object with tokens).
public struct DemoSeed: Sendable {
    public let userToken: String
    public let omsToken: String
    public let operatorToken: String
    public let omsID: Int64
    public let defaultOMSID: Int64
    public let resourceID: String
    public let offerID: Int64

    public init(output: String) throws {
        for line in output.split(separator: "\n").reversed() {
            guard let value = try? WireFormat.decode(JSONValue.self, from: String(line)),
                  let user = value["user_token"]?.stringValue, let oms = value["oms_token"]?.stringValue else { continue }
            userToken = user
            omsToken = oms
            operatorToken = value["operator_token"]?.stringValue ?? ""
            omsID = value["oms_id"]?.intValue ?? 0
            defaultOMSID = value["default_oms_id"]?.intValue ?? 0
            resourceID = value["resource_id"]?.stringValue ?? value["resource_id"]?.intValue.map(String.init) ?? ""
            offerID = value["offer_id"]?.intValue ?? 0
            return
        }
        throw TestSupportError("seed-demo printed no tokens: \(output)")
    }
}
