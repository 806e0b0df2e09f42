import Testing
import ServiceRuntime

@Suite("ServiceRuntime: Environment")
struct RuntimeEnvironmentTests {
    @Test("durations parse with ms, s, m, h or as bare milliseconds", arguments: [
        ("250ms", Duration.milliseconds(250)), ("5s", .seconds(5)), ("2m", .seconds(120)), ("1h", .seconds(3600)),
        ("1500", .milliseconds(1500)), ("0", .zero), ("0s", .zero),
    ])
    func durations(text: String, expected: Duration) throws {
        #expect(try Environment(["T": text]).duration("T", default: .seconds(99)) == expected)
    }

    @Test("an invalid duration throws a ConfigurationError naming the variable", arguments: [
        "5x", "1.5s", "-5s", "ms", "s", "5 s", "five", "9223372036854775807h", "9223372036854775807s",
    ])
    func invalidDuration(text: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try Environment(["OMS_REPLY_TIMEOUT": text]).duration("OMS_REPLY_TIMEOUT", default: .seconds(1))
        }
        #expect(error?.variable == "OMS_REPLY_TIMEOUT")
        #expect(error?.value == text)
        #expect(error?.description.hasPrefix("OMS_REPLY_TIMEOUT=") == true)
    }

    @Test("unset or empty values take the default")
    func defaults() throws {
        let env = Environment(["EMPTY": ""])
        #expect(try env.duration("EMPTY", default: .seconds(7)) == .seconds(7))
        #expect(try env.duration("UNSET", default: .seconds(7)) == .seconds(7))
        #expect(try env.int("EMPTY", default: 4) == 4)
        #expect(env.string("EMPTY", default: "d") == "d")
        #expect(env.optionalString("EMPTY") == nil)
        #expect(try env.bool("UNSET", default: true))
        #expect(try env.durations("UNSET", default: [.seconds(1)]) == [.seconds(1)])
    }

    @Test("integers must be in range, and the error says which range")
    func intRange() throws {
        #expect(try Environment(["N": "8"]).int("N", default: 1, in: 1...64) == 8)
        #expect(try Environment(["N": "64"]).int("N", default: 1, in: 1...64) == 64)
        for bad in ["0", "65", "x", "8.0", " 8"] {
            let error = #expect(throws: ConfigurationError.self) {
                try Environment(["OMS_DB_POOL": bad]).int("OMS_DB_POOL", default: 1, in: 1...64)
            }
            #expect(error?.variable == "OMS_DB_POOL")
            #expect(error?.reason.contains("1 to 64") == true)
        }
    }

    @Test("booleans, duration lists and log levels")
    func otherKinds() throws {
        #expect(try Environment(["B": "Yes"]).bool("B", default: false))
        #expect(try !Environment(["B": "off"]).bool("B", default: true))
        #expect(throws: ConfigurationError.self) { try Environment(["B": "maybe"]).bool("B", default: true) }
        #expect(try Environment(["R": "1s, 5s,30s"]).durations("R", default: []) == [.seconds(1), .seconds(5), .seconds(30)])
        #expect(throws: ConfigurationError.self) { try Environment(["R": "1s,x"]).durations("R", default: []) }
        #expect(try Environment(["OMS_LOG_LEVEL": "WARN"]).logLevel() == .warning)
        #expect(throws: ConfigurationError.self) { try Environment(["OMS_LOG_LEVEL": "verbose"]).logLevel() }
    }
}
