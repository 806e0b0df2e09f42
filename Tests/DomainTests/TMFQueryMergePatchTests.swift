import Domain
import Testing
import Wire

struct TMFPatchCase: Sendable, CustomTestStringConvertible {
    let name: String
    let target: String
    let patch: String
    let result: String
    var testDescription: String { name }
}

@Suite struct TMFQueryMergePatchTests {
    /// RFC 7386 Appendix A, every row, plus the §3 example and a TMF order.
    static let rfc7386: [TMFPatchCase] = [
        .init(name: "A1 replace a member", target: #"{"a":"b"}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        .init(name: "A2 add a member", target: #"{"a":"b"}"#, patch: #"{"b":"c"}"#, result: #"{"a":"b","b":"c"}"#),
        .init(name: "A3 null removes", target: #"{"a":"b"}"#, patch: #"{"a":null}"#, result: #"{}"#),
        .init(name: "A4 null removes one of two", target: #"{"a":"b","b":"c"}"#, patch: #"{"a":null}"#, result: #"{"b":"c"}"#),
        .init(name: "A5 array replaced by string", target: #"{"a":["b"]}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        .init(name: "A6 string replaced by array", target: #"{"a":"c"}"#, patch: #"{"a":["b"]}"#, result: #"{"a":["b"]}"#),
        .init(name: "A7 objects merge recursively", target: #"{"a":{"b":"c"}}"#, patch: #"{"a":{"b":"d","c":null}}"#, result: #"{"a":{"b":"d"}}"#),
        .init(name: "A8 arrays are replaced whole", target: #"{"a":[{"b":"c"}]}"#, patch: #"{"a":[1]}"#, result: #"{"a":[1]}"#),
        .init(name: "A9 array patch replaces array", target: #"["a","b"]"#, patch: #"["c","d"]"#, result: #"["c","d"]"#),
        .init(name: "A10 array patch replaces object", target: #"{"a":"b"}"#, patch: #"["c"]"#, result: #"["c"]"#),
        .init(name: "A11 null patch replaces all", target: #"{"a":"foo"}"#, patch: "null", result: "null"),
        .init(name: "A12 string patch replaces all", target: #"{"a":"foo"}"#, patch: #""bar""#, result: #""bar""#),
        .init(name: "A13 target nulls are kept", target: #"{"e":null}"#, patch: #"{"a":1}"#, result: #"{"e":null,"a":1}"#),
        .init(name: "A14 object patch on array target", target: "[1,2]", patch: #"{"a":"b","c":null}"#, result: #"{"a":"b"}"#),
        .init(name: "A15 nested nulls vanish", target: "{}", patch: #"{"a":{"bb":{"ccc":null}}}"#, result: #"{"a":{"bb":{}}}"#),
        .init(name: "section 3 example",
              target: #"{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}"#,
              patch: #"{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}"#,
              result: #"{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}"#),
        .init(name: "TMF order: description, note replaced, externalId removed",
              target: #"{"id":"42","description":"old","externalId":"x","note":[{"text":"a"}],"billingAccount":{"id":"b1","name":"n"}}"#,
              patch: #"{"description":"new","externalId":null,"note":[{"text":"b"}],"billingAccount":{"name":"m"}}"#,
              result: #"{"id":"42","description":"new","note":[{"text":"b"}],"billingAccount":{"id":"b1","name":"m"}}"#),
        .init(name: "empty patch changes nothing", target: #"{"a":[1,{"b":null}]}"#, patch: "{}", result: #"{"a":[1,{"b":null}]}"#),
    ]

    @Test("merge patches apply as RFC 7386 Appendix A says", arguments: rfc7386)
    func applies(_ row: TMFPatchCase) throws {
        let result = JSONMergePatch.apply(try json(row.patch), to: try json(row.target))
        #expect(result == (try json(row.result)))
    }
}
