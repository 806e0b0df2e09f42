import CtlApp
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ServiceRuntime
import Testing
import Wire

@Suite("omsctl: trigger-sink")
struct CtlTriggerSinkTests {
    @Test("the trigger sink answers with the configured status and logs the request it received")
    func logsRequest() async throws {
        let output = CtlOutput.memory(), errors = CtlOutput.memory(), log = LogSink.memory()
        let shutdown = ShutdownSignal()
        let ctl = Ctl(environment: Environment([:]), output: output, errors: errors, shutdown: shutdown, logSink: log)
        let running = Task { await ctl.run(["trigger-sink", "--port", "0", "--status", "202"]) }
        defer { shutdown.trigger() }

        var port: Int64?
        for _ in 0..<200 where port == nil {
            port = log.lines.compactMap { try? WireFormat.decode(JSONValue.self, from: $0) }
                .first { $0["msg"] == "trigger-sink listening" }?["port"]?.intValue
            if port == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        let bound = try #require(port, "the sink logged its port: \(errors.lines)")

        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(bound)/trigger?source=test")))
        request.httpMethod = "POST"
        request.setValue("3f0c8a2e-0000-4000-8000-000000000001", forHTTPHeaderField: "X-OMS-Delivery-Id")
        request.setValue("sha256=abc", forHTTPHeaderField: "X-OMS-Signature")
        request.setValue("1700000000", forHTTPHeaderField: "X-OMS-Timestamp")
        request.setValue("Basic " + Data("demo:demo-secret".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        request.httpBody = Data("{}".utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 202)

        let line = try #require(output.jsonLines.first, "one line per request")
        #expect(line["method"] == "POST")
        #expect(line["path"] == "/trigger")
        #expect(line["query"] == "source=test")
        #expect(line["delivery_id"] == "3f0c8a2e-0000-4000-8000-000000000001")
        #expect(line["signature"] == "sha256=abc")
        #expect(line["oms_timestamp"] == "1700000000")
        #expect(line["authorization"] == .bool(true))
        #expect(line["basic_user"] == "demo")
        #expect(line["body_bytes"] == .int(2))
        #expect(line["time"]?.stringValue.flatMap { Timestamp(parsing: $0) } != nil)

        shutdown.trigger()
        #expect(await running.value == 0)
    }

    @Test("a port already in use is a failure (exit 1) naming the address")
    func portTaken() async throws {
        let shutdown = ShutdownSignal(), log = LogSink.memory()
        let first = Ctl(environment: Environment([:]), output: .memory(), errors: .memory(), shutdown: shutdown, logSink: log)
        let running = Task { await first.run(["trigger-sink", "--port", "0"]) }
        defer { shutdown.trigger() }
        var port: Int64?
        for _ in 0..<200 where port == nil {
            port = log.lines.compactMap { try? WireFormat.decode(JSONValue.self, from: $0) }
                .first { $0["msg"] == "trigger-sink listening" }?["port"]?.intValue
            if port == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        let bound = try #require(port)
        let errors = CtlOutput.memory()
        let second = Ctl(environment: Environment([:]), output: .memory(), errors: errors, logSink: .memory())
        #expect(await second.run(["trigger-sink", "--port", String(bound)]) == 1)
        #expect(errors.lines.first?.contains("cannot listen on 127.0.0.1:\(bound)") == true)
        shutdown.trigger()
        #expect(await running.value == 0)
    }
}
