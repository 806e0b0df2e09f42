import Domain
import Testing
import Wire

@Suite("Secrets and user_direct obfuscation")
struct PrivacyTests {
    static let stored = UserSecrets(["password": "s3cret", "key": "k1"])

    @Test("every read shows all keys with hidden values")
    func reads() {
        #expect(Self.stored.obfuscated() == ["password": "<OBFUSCATED>", "key": "<OBFUSCATED>"])
        #expect(UserSecrets().obfuscated().isEmpty)
    }

    @Test("a merge adds and overwrites keys, never removes, and reveals only the written keys")
    func merge() throws {
        let merge = try Self.stored.merging(["key": "k2", "token": "t"])
        #expect(merge.secrets.values == ["password": "s3cret", "key": "k2", "token": "t"])
        #expect(merge.writtenKeys == ["key", "token"])
        #expect(merge.changed)
        #expect(merge.responseView == ["password": "<OBFUSCATED>", "key": "k2", "token": "t"])
        #expect(merge.change == FieldChange(field: "user_secrets", before: "<OBFUSCATED>", after: "<OBFUSCATED>"))
    }

    @Test("writing the same values changes nothing and needs no event, but still echoes the written key")
    func sameValues() throws {
        let merge = try Self.stored.merging(["password": "s3cret"])
        #expect(!merge.changed)
        #expect(merge.change == nil)
        #expect(merge.responseView["password"] == "s3cret")
        #expect(try Self.stored.merging([:]).changed == false)
    }

    @Test("a non-string value refuses the whole update with the marketplace's message", arguments: [
        JSONValue.int(1), .bool(true), .null, .array(["x"]), .object(["a": "b"]), .double(1.5),
    ])
    func nonStringValue(value: JSONValue) {
        #expect(throws: UserSecretsError.valuesMustBeStrings) {
            _ = try Self.stored.merging(["ok": "fine", "bad": value])
        }
        #expect(UserSecretsError.valuesMustBeStrings.description == "user_secrets: values must be strings")
    }

    @Test("user_secrets that is not an object is refused", arguments: [JSONValue.string("x"), .array([]), .null])
    func notAnObject(value: JSONValue) {
        do {
            _ = try Self.stored.merging(value)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == .notAnObject)
            #expect(error.message == "must be an object (got \(value.typeName))")
        }
    }

    @Test("user_direct content is hidden on reads and clear only in the writing response", arguments: MessageScope.allCases)
    func messageContent(scope: MessageScope) {
        let hidden = scope == .userDirect
        #expect(scope.visibleContent("pw: 123") == (hidden ? "<OBFUSCATED>" : "pw: 123"))
        #expect(scope.visibleContent("pw: 123", isWriteResponse: true) == "pw: 123")
        #expect(scope.contentChange(before: "a", after: "b")
                == FieldChange(field: "content", before: hidden ? "<OBFUSCATED>" : "a", after: hidden ? "<OBFUSCATED>" : "b"))
        #expect(scope.contentChange(before: "a", after: "a") == nil)
    }
}
