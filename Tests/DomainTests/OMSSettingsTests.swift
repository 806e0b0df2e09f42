import Domain
import Testing
import Wire

@Suite("OMS custom params, triggers and bundle composition")
struct OMSSettingsTests {
    static let invalid = FieldErrors(["custom_params": [OMSCustomParams.invalidMessage]])

    @Test("custom_params accept exactly {mandatory: false} or {mandatory: true, default: text}", arguments: [
        (#"{}"#, true), (#"{"a": {"mandatory": false}}"#, true), (#"{"a": {"mandatory": true, "default": "x"}}"#, true),
        (#"{"a": {"mandatory": true, "default": ""}, "b": {"mandatory": false}}"#, true),
        (#"{"a": {"mandatory": true}}"#, false), (#"{"a": {"mandatory": false, "default": "x"}}"#, false),
        (#"{"a": {"mandatory": "true", "default": "x"}}"#, false), (#"{"a": {"mandatory": true, "default": 3}}"#, false),
        (#"{"a": {}}"#, false), (#"{"a": true}"#, false), (#"{"a": {"mandatory": false, "colour": 1}}"#, false),
        (#"{" ": {"mandatory": false}}"#, false),
    ])
    func customParams(text: String, valid: Bool) throws {
        let json = try WireFormat.decode(JSONValue.self, from: text)
        do throws(FieldErrors) {
            let params = try OMSCustomParams(json: json)
            #expect(valid, "accepted \(text)")
            #expect(params.json == json, "round trip of \(text)")
        } catch {
            #expect(!valid, "refused \(text)")
            #expect(error == Self.invalid)
        }
    }

    @Test("custom_params must be an object")
    func customParamsNotObject() {
        #expect(throws: FieldErrors(["custom_params": ["must be an object"]])) { try OMSCustomParams(json: ["a"]) }
    }

    @Test("the Offering API shows custom params without defaults; stored rows are read leniently")
    func reducedAndStored() throws {
        let params = OMSCustomParams(["a": .optional, "b": .mandatory(default: "secret-default")])
        #expect(params.reduced == ["a": ["mandatory": false], "b": ["mandatory": true]])
        #expect(params.mandatoryNames == ["b"])
        let stored = OMSCustomParams(stored: ["x": ["mandatory": true], "y": ["mandatory": "yes"], "z": 5])
        #expect(stored.params == ["x": .mandatory(default: ""), "y": .optional, "z": .optional])
        #expect(OMSCustomParams(stored: "garbage").isEmpty)
    }

    struct TriggerCase: Sendable, CustomTestStringConvertible {
        let json: String
        let expected: Result<OMSTriggerSettings, FieldErrors>
        var testDescription: String { json }
    }

    static let triggerCases: [TriggerCase] = [
        TriggerCase(json: #"{"url": "https://oms.example/t"}"#, expected: .success(OMSTriggerSettings(url: "https://oms.example/t"))),
        TriggerCase(json: #"{"url": "http://oms.example/t", "method": "PUT"}"#,
                    expected: .success(OMSTriggerSettings(url: "http://oms.example/t", method: "put"))),
        TriggerCase(json: #"{"url": "https://o.example", "method": "get", "authorization": {"type": "basic", "user": "u", "password": "p"}}"#,
                    expected: .success(OMSTriggerSettings(url: "https://o.example", method: "get", user: "u", password: "p"))),
        TriggerCase(json: #"{"url": "https://o.example", "authorization": {"user": "u", "password": "p"}}"#,
                    expected: .success(OMSTriggerSettings(url: "https://o.example", user: "u", password: "p"))),
        TriggerCase(json: #"{}"#, expected: .failure(FieldErrors(["trigger.url": ["can't be blank"]]))),
        TriggerCase(json: #"{"url": "ftp://x"}"#, expected: .failure(FieldErrors(["trigger.url": ["must be an http:// or https:// URL"]]))),
        TriggerCase(json: #"{"url": "https://o.example", "method": "delete"}"#,
                    expected: .failure(FieldErrors(["trigger.method": ["must be one of: get, post, put"]]))),
        TriggerCase(json: #"{"url": "https://o.example", "authorization": {"type": "bearer", "user": "u"}}"#,
                    expected: .failure(FieldErrors(["trigger.authorization.type": ["must be basic"],
                                                    "trigger.authorization.password": ["can't be blank"]]))),
        TriggerCase(json: #"{"url": "https://o.example", "authorization": {"user": "a:b", "password": "p"}}"#,
                    expected: .failure(FieldErrors(["trigger.authorization.user": ["must not contain ':' (HTTP Basic)"]]))),
        TriggerCase(json: #"{"url": "https://o.example", "headers": {}}"#,
                    expected: .failure(FieldErrors(["trigger.headers": ["is not a known property"]]))),
        TriggerCase(json: #""https://o.example""#, expected: .failure(FieldErrors(["trigger": ["must be an object"]]))),
    ]

    @Test("triggers: url required and http(s), method get/post/put (default post), only HTTP Basic", arguments: triggerCases)
    func trigger(row: TriggerCase) throws {
        let json = try WireFormat.decode(JSONValue.self, from: row.json)
        let got: Result<OMSTriggerSettings, FieldErrors>
        do throws(FieldErrors) { got = .success(try OMSTriggerSettings(json: json)) } catch { got = .failure(error) }
        #expect(got == row.expected)
    }

    @Test("offer references are <resource>/<positive id>", arguments: [
        ("svc/1", OfferReference(resource: "svc", iid: 1)), ("12/30", OfferReference(resource: "12", iid: 30)),
        ("svc", nil), ("svc/0", nil), ("svc/-1", nil), ("/1", nil), ("svc/1/2", nil), ("svc/x", nil), ("", nil),
    ])
    func references(text: String, expected: OfferReference?) {
        #expect(OfferReference(parsing: text) == expected)
        if let expected { #expect(expected.description == text) }
    }

    @Test("bundled offers: at least one, well formed, not the main offer, each once", arguments: [
        (["a/2", "b/1"], ["a/2", "b/1"], [String: [String]]()),
        ([], [], ["offers": ["are required. Please add at least one"]]),
        (["a/1", "a/2"], ["a/2"], ["offers": ["\"a/1\" is the main offer; list only the offers bundled with it"]]),
        (["a/2", "a/2", "b/3"], ["a/2", "b/3"], ["offers": ["\"a/2\" is listed more than once"]]),
        (["a", "b/x", "c/4"], ["c/4"], ["offers": ["\"a\" must be written \"<resource id>/<offer id>\"",
                                                    "\"b/x\" must be written \"<resource id>/<offer id>\""]]),
    ])
    func bundleOffers(entries: [String], parsed: [String], expected: [String: [String]]) {
        let (references, errors) = BundleRules.parseOffers(entries, main: OfferReference(resource: "a", iid: 1))
        #expect(references.map(\.description) == parsed)
        #expect(errors == FieldErrors(expected))
    }
}
