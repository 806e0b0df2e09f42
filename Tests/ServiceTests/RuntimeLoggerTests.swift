import Testing
import ServiceRuntime
import Wire

@Suite("ServiceRuntime: Logger")
struct RuntimeLoggerTests {
    @Test("each line is one JSON object with time, level, service, msg and the fields")
    func jsonLines() throws {
        let sink = LogSink.memory()
        let logger = Logger(service: "oms-gateway", sink: sink).with(["instance": "a", "request_id": "r-0"])
        logger.info("request", ["status": 201, "request_id": "r-1", "msg": "cannot replace the message"])
        logger.error("broker down\nreconnecting", ["attempt": 3])

        let lines = sink.lines
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.contains("\n") })
        let first = try WireFormat.decode(JSONValue.self, from: lines[0])
        #expect(first["level"] == "info")
        #expect(first["service"] == "oms-gateway")
        #expect(first["msg"] == "request")
        #expect(first["status"] == 201)
        #expect(first["instance"] == "a")
        #expect(first["request_id"] == "r-1", "a line's own fields override the logger's")
        let time = try #require(first["time"]?.stringValue)
        #expect(time.count == 27 && time.hasSuffix("Z"))
        #expect(Timestamp(parsing: time) != nil)
        let second = try WireFormat.decode(JSONValue.self, from: lines[1])
        #expect(second["level"] == "error")
        #expect(second["msg"] == "broker down\nreconnecting")
        #expect(second["attempt"] == 3)
    }

    @Test("lines below the minimum level are dropped", arguments: Logger.Level.allCases)
    func minimumLevel(minimum: Logger.Level) throws {
        let sink = LogSink.memory()
        let logger = Logger(service: "s", minimumLevel: minimum, sink: sink)
        logger.debug("d")
        logger.info("i")
        logger.warning("w")
        logger.error("e")
        let levels = try sink.lines.map { try WireFormat.decode(JSONValue.self, from: $0)["level"]?.stringValue }
        #expect(levels == Logger.Level.allCases.filter { $0 >= minimum }.map(\.name))
    }

    @Test("lines from many tasks never interleave")
    func concurrentLines() async throws {
        let sink = LogSink.memory()
        let logger = Logger(service: "s", sink: sink)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask { for i in 0..<50 { logger.info("line", ["task": .int(Int64(task)), "i": .int(Int64(i))]) } }
            }
        }
        #expect(sink.lines.count == 800)
        for line in sink.lines { _ = try WireFormat.decode(JSONValue.self, from: line) }
    }

    @Test("level names parse, including warn")
    func levelNames() {
        #expect(Logger.Level(name: "DEBUG") == .debug)
        #expect(Logger.Level(name: "warn") == .warning)
        #expect(Logger.Level(name: "fatal") == nil)
        #expect(Logger.Level.debug < .error)
    }
}
