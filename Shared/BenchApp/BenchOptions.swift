import Foundation
public import ServiceRuntime
import Wire

/// What `oms-bench` runs, from its arguments, `.local/demo.json` and the environment.
public struct BenchOptions: Sendable {
    public var gatewayURL = "http://127.0.0.1:8080"
    public var databaseURL = "postgresql://postgres@127.0.0.1:55432/oms"
    public var databaseSchema: String?
    public var orders = 2000
    public var concurrency = 32
    public var warmup = 100
    public var receiverPort = 0
    public var userToken = ""
    public var omsID: Int64 = 0
    public var resourceID = ""
    public var offerID: Int64 = 0
    /// `eosc` (the user API, all orders in one project) or `tmf622` (TMF622 productOrder, each
    /// order with a project of its own).
    public var api = "eosc"

    static let usage = """
        usage: oms-bench [--orders N] [--concurrency C] [--warmup N] [--gateway URL] [--demo FILE]
                         [--user-token T --oms-id N --resource-id R --offer-id N] [--receiver-port N]
                         [--api eosc|tmf622]
        Creates N orders through the gateway at concurrency C (with the EOSC user API, or TMF622's
        POST productOrder with --api tmf622) and prints orders/s, create latency
        (p50, p99) and the time from each 201 to its OMS trigger reaching a receiver run by the bench.
        The demo OMS's trigger URL is pointed at that receiver for the run and restored afterwards.
        Tokens and ids default to those in FILE (default .local/demo.json, written by deploy/up.sh).
        The database (OMS_DATABASE_URL, OMS_DATABASE_SCHEMA) maps trigger deliveries to orders.
        """

    public init(arguments: [String], environment: Environment) throws {
        databaseURL = environment.string("OMS_DATABASE_URL", default: databaseURL)
        databaseSchema = environment.optionalString("OMS_DATABASE_SCHEMA")
        var args = arguments[...]
        var demoFile = ".local/demo.json"
        var overrides: [String: String] = [:]
        while let flag = args.popFirst() {
            guard flag.hasPrefix("--"), let value = args.popFirst() else { throw BenchError(Self.usage) }
            overrides[String(flag.dropFirst(2))] = value
        }
        if let file = overrides["demo"] { demoFile = file }
        if let data = FileManager.default.contents(atPath: demoFile),
           let demo = try? WireFormat.decode(JSONValue.self, from: Array(data)) {
            userToken = demo["user_token"]?.stringValue ?? ""
            omsID = demo["oms_id"]?.intValue ?? 0
            resourceID = demo["resource_id"]?.stringValue ?? ""
            offerID = demo["offer_id"]?.intValue ?? 0
        }
        for (key, value) in overrides {
            func int() throws -> Int {
                guard let v = Int(value), v >= 0 else { throw BenchError("--\(key) must be a non-negative integer") }
                return v
            }
            switch key {
            case "demo": break
            case "orders": orders = max(1, try int())
            case "concurrency": concurrency = max(1, try int())
            case "warmup": warmup = try int()
            case "receiver-port": receiverPort = try int()
            case "gateway": gatewayURL = value
            case "user-token": userToken = value
            case "oms-id": omsID = Int64(try int())
            case "resource-id": resourceID = value
            case "offer-id": offerID = Int64(try int())
            case "api":
                guard value == "eosc" || value == "tmf622" else { throw BenchError("--api must be eosc or tmf622") }
                api = value
            default: throw BenchError("unknown option --\(key)\n" + Self.usage)
            }
        }
        guard !userToken.isEmpty, omsID > 0, !resourceID.isEmpty, offerID > 0 else {
            throw BenchError("no demo tokens: run deploy/up.sh first or pass --user-token, --oms-id, --resource-id, --offer-id\n" + Self.usage)
        }
    }
}

/// A failure the bench reports in words.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
