import Testing
import Foundation
import Wire

@Suite("Wire: WireFormat")
struct WireFormatTests {
    struct Body: Codable, Equatable {
        var zebra: String
        var alpha: Int
        var middle: Date
    }

    @Test("keys are sorted, slashes are not escaped, dates are RFC 3339 UTC with microseconds")
    func encoding() throws {
        let body = Body(zebra: "https://example.org/a/b", alpha: 1, middle: Date(timeIntervalSince1970: 1_795_617_441.5))
        let text = try WireFormat.encodeString(body)
        #expect(text == #"{"alpha":1,"middle":"2026-11-25T14:37:21.500000Z","zebra":"https://example.org/a/b"}"#)
        #expect(try WireFormat.encode(body) == Array(text.utf8))
        #expect(try WireFormat.decode(Body.self, from: text) == body)
    }

    @Test("dates decode with or without a fraction and with an offset", arguments: [
        ("2026-11-25T14:37:21Z", 1_795_617_441.0),
        ("2026-11-25T14:37:21.250Z", 1_795_617_441.25),
        ("2026-11-25T16:37:21+02:00", 1_795_617_441.0),
    ])
    func dateDecoding(text: String, seconds: Double) throws {
        let decoded = try WireFormat.decode([Date].self, from: "[\"\(text)\"]")
        #expect(decoded == [Date(timeIntervalSince1970: seconds)])
    }

    @Test("a date that is not RFC 3339 fails to decode")
    func dateRejected() {
        #expect(throws: DecodingError.self) { try WireFormat.decode([Date].self, from: #"["25/11/2026"]"#) }
        #expect(throws: DecodingError.self) { try WireFormat.decode([Date].self, from: #"["2026-11-25T14:37:21"]"#) }
    }

    @Test("decoding from bytes and from text agree")
    func bytesAndText() throws {
        let text = #"{"b":[1,2],"a":"x"}"#
        let fromText = try WireFormat.decode([String: JSONValue].self, from: text)
        let fromBytes = try WireFormat.decode([String: JSONValue].self, from: Array(text.utf8))
        #expect(fromText == fromBytes)
        #expect(fromText == ["a": "x", "b": [1, 2]])
    }
}
