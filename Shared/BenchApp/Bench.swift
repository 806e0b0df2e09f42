import CurlClient
import Foundation
import HTTPCore
import HTTPServer
import PostgresClient
public import ServiceRuntime
import Synchronization
import Wire

/// `oms-bench`: orders per second, create latency, and 201-to-trigger latency, against the
/// running system.
public enum Bench {
    /// One order's timings (monotonic nanoseconds since the run started).
    struct Sample: Sendable {
        var started: UInt64
        var answered: UInt64
        var status: Int
        /// What names the order in the delivery log: `<project id>/<iid>`, or the TMF order id.
        var key: String?
    }

    public static func main(arguments: [String], environment: Environment = .process) async -> Int32 {
        do {
            let options = try BenchOptions(arguments: arguments, environment: environment)
            try await run(options)
            return 0
        } catch {
            print("oms-bench: \(error)")
            return 1
        }
    }

    static func run(_ options: BenchOptions) async throws {
        let clock = ContinuousClock()
        let origin = clock.now
        @Sendable func nanos() -> UInt64 {
            let elapsed = (clock.now - origin).components
            return UInt64(elapsed.seconds) * 1_000_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000)
        }
        // The receiver records when each trigger (by delivery id) arrived.
        let arrivals = Arrivals()
        let receiver = try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: options.receiverPort,
                                                                             threadPoolSize: 4)) { request in
            let at = nanos()
            if let id = request.header("X-OMS-Delivery-Id") { arrivals.record(id, at: at) }
            return HTTPResponse(status: 204)
        }
        let db = try await PostgresConnection.connect(PostgresConfiguration(url: options.databaseURL,
                                                                            schema: options.databaseSchema,
                                                                            applicationName: "oms-bench"))
        let previous = try await db.query("SELECT trigger_url FROM omses WHERE id = \(options.omsID)").first?
            .optionalString("trigger_url")
        try await db.query("UPDATE omses SET trigger_url = \("http://127.0.0.1:\(receiver.port)/trigger") WHERE id = \(options.omsID)")
        defer { Task { [db] in _ = try? await db.query("UPDATE omses SET trigger_url = \(previous) WHERE id = \(options.omsID)") } }

        let http = HTTPClient(workers: options.concurrency)
        let tmf = options.api == "tmf622"
        let headers: HTTPHeaders = tmf ? ["Authorization": "Bearer \(options.userToken)", "Content-Type": "application/json"]
                                       : ["X-User-Token": options.userToken, "Content-Type": "application/json"]
        let orderURL: String
        let body: String
        if tmf {
            orderURL = options.gatewayURL + "/tmf-api/productOrderingManagement/v4/productOrder"
            body = #"{"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"\#(options.resourceID)/\#(options.offerID)"},"product":{"productCharacteristic":[{"name":"cpu","value":2},{"name":"flavour","value":"small"}]}}]}"#
        } else {
            let project = try await http.send(OutgoingRequest(method: "POST", url: options.gatewayURL + "/api/v1/projects",
                                                              headers: headers, text: #"{"name":"oms-bench"}"#))
            guard project.status == 201, let projectID = try? WireFormat.decode(JSONValue.self, from: project.body)["id"]?.intValue else {
                throw BenchError("could not create a project: \(project.status) \(String(decoding: project.body, as: UTF8.self))")
            }
            orderURL = options.gatewayURL + "/api/v1/projects/\(projectID)/project_items"
            body = #"{"resource_id":"\#(options.resourceID)","offer_id":\#(options.offerID),"parameters":{"cpu":2,"flavour":"small"}}"#
        }

        func drive(_ count: Int) async -> [Sample] {
            let next = Ticket()
            return await withTaskGroup(of: [Sample].self) { group in
                for _ in 0..<options.concurrency {
                    group.addTask {
                        var mine: [Sample] = []
                        while next.take() <= count {
                            let start = nanos()
                            let response = try? await http.send(OutgoingRequest(method: "POST", url: orderURL, headers: headers, text: body))
                            let json = response.flatMap { try? WireFormat.decode(JSONValue.self, from: $0.body) }
                            let key = tmf ? json?["id"]?.stringValue
                                : json.flatMap { j in j["project_id"]?.intValue.flatMap { p in j["id"]?.intValue.map { "\(p)/\($0)" } } }
                            mine.append(Sample(started: start, answered: nanos(), status: response?.status ?? 0, key: key))
                        }
                        return mine
                    }
                }
                var all: [Sample] = []
                for await part in group { all += part }
                return all
            }
        }

        if options.warmup > 0 { _ = await drive(options.warmup) }
        arrivals.reset()
        let runStart = nanos()
        let samples = await drive(options.orders)
        let runEnd = nanos()
        let created = samples.filter { $0.status == 201 }

        // Wait (up to 60 s) until every created order's trigger arrived and is in the delivery log,
        // mapping delivery ids to items through the log.
        var firstArrival: [String: UInt64] = [:]  // order key -> first trigger
        var mapped: [String: String] = [:]  // delivery id -> order key
        let createdKeys = Set(created.compactMap(\.key))
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            let arrived = arrivals.all
            let unmapped = arrived.keys.filter { mapped[$0] == nil }.compactMap(UUID.init(uuidString:))
            if !unmapped.isEmpty {
                for row in try await db.query("""
                    SELECT d.id, CASE WHEN \(tmf) THEN o.public_id ELSE i.project_id || '/' || i.iid END AS key
                    FROM deliveries d JOIN project_items i ON i.id = (d.message->>'projectItemID')::int8
                    JOIN orders o ON o.id = i.order_id
                    WHERE d.id = ANY(\(unmapped)::uuid[])
                    """) {
                    mapped[try row.uuid("id").uuidString.lowercased()] = try row.string("key")
                }
            }
            firstArrival = [:]
            for (delivery, at) in arrived {
                guard let key = mapped[delivery.lowercased()] else { continue }
                firstArrival[key] = min(firstArrival[key] ?? .max, at)
            }
            if createdKeys.isSubset(of: firstArrival.keys) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        // A trigger can reach the OMS before the 201 reaches the client (the reply and the trigger
        // race); those count as 0 ms and are reported separately.
        var early = 0
        let triggerLatencies = created.compactMap { s -> Double? in
            guard let key = s.key, let at = firstArrival[key] else { return nil }
            if at < s.answered { early += 1; return 0 }
            return Double(at - s.answered) / 1e6
        }
        let createLatencies = created.map { Double($0.answered - $0.started) / 1e6 }
        let seconds = Double(runEnd - runStart) / 1e9
        report(options: options, samples: samples, created: created.count, seconds: seconds,
               create: createLatencies, trigger: triggerLatencies, early: early)
        await receiver.shutdown()
        await http.shutdown()
    }

    static func report(options: BenchOptions, samples: [Sample], created: Int, seconds: Double, create: [Double],
                       trigger: [Double], early: Int) {
        func pct(_ values: [Double], _ p: Double) -> Double {
            guard !values.isEmpty else { return 0 }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)]
        }
        let accepted = samples.filter { $0.status == 202 }.count
        let failed = samples.count - created - accepted
        let rate = Double(samples.count) / seconds
        print("orders: \(samples.count) at concurrency \(options.concurrency) in \(String(format: "%.2f", seconds)) s")
        print("  201: \(created)  202: \(accepted)  failed: \(failed)")
        print(String(format: "  throughput:            %8.1f orders/s", rate))
        print(String(format: "  create latency:        p50 %7.2f ms   p99 %7.2f ms", pct(create, 50), pct(create, 99)))
        print(String(format: "  201 -> trigger:        p50 %7.2f ms   p99 %7.2f ms   (%d of %d matched, %d before the 201)",
                     pct(trigger, 50), pct(trigger, 99), trigger.count, created, early))
        let json: JSONValue = [
            "orders": .int(Int64(samples.count)), "concurrency": .int(Int64(options.concurrency)),
            "created": .int(Int64(created)), "accepted": .int(Int64(accepted)), "failed": .int(Int64(failed)),
            "orders_per_second": .double(rate.rounded()),
            "create_ms": ["p50": .double(pct(create, 50)), "p99": .double(pct(create, 99))],
            "trigger_ms": ["p50": .double(pct(trigger, 50)), "p99": .double(pct(trigger, 99)), "matched": .int(Int64(trigger.count)),
                           "before_201": .int(Int64(early))],
        ]
        if let line = try? WireFormat.encodeString(json) { print(line) }
    }
}

/// Hands out 1, 2, 3… to concurrent workers.
final class Ticket: Sendable {
    private let value = Mutex(0)

    func take() -> Int { value.withLock { v in v += 1; return v } }
}

/// When each trigger (by delivery id) first arrived.
final class Arrivals: Sendable {
    private let value = Mutex<[String: UInt64]>([:])

    func record(_ id: String, at: UInt64) { value.withLock { $0[id] = $0[id] ?? at } }
    func reset() { value.withLock { $0.removeAll() } }
    var all: [String: UInt64] { value.withLock { $0 } }
}
