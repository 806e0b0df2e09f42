import Domain
import Testing
import Wire

struct TMFJSONPatchErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let target: String
    let patch: String
    let error: JSONPatchError
    var testDescription: String { name }
}

@Suite struct TMFQueryJSONPatchTests {
    /// RFC 6902 Appendix A, the examples that succeed (A.13 is about duplicate members, which a
    /// JSON parser resolves before a patch exists, so it has no counterpart here).
    static let rfc6902: [TMFPatchCase] = [
        .init(name: "A.1 adding an object member", target: #"{"foo":"bar"}"#,
              patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#, result: #"{"baz":"qux","foo":"bar"}"#),
        .init(name: "A.2 adding an array element", target: #"{"foo":["bar","baz"]}"#,
              patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, result: #"{"foo":["bar","qux","baz"]}"#),
        .init(name: "A.3 removing an object member", target: #"{"baz":"qux","foo":"bar"}"#,
              patch: #"[{"op":"remove","path":"/baz"}]"#, result: #"{"foo":"bar"}"#),
        .init(name: "A.4 removing an array element", target: #"{"foo":["bar","qux","baz"]}"#,
              patch: #"[{"op":"remove","path":"/foo/1"}]"#, result: #"{"foo":["bar","baz"]}"#),
        .init(name: "A.5 replacing a value", target: #"{"baz":"qux","foo":"bar"}"#,
              patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#, result: #"{"baz":"boo","foo":"bar"}"#),
        .init(name: "A.6 moving a value", target: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
              patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
              result: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        .init(name: "A.7 moving an array element", target: #"{"foo":["all","grass","cows","eat"]}"#,
              patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, result: #"{"foo":["all","cows","eat","grass"]}"#),
        .init(name: "A.8 testing a value: success", target: #"{"baz":"qux","foo":["a",2,"c"]}"#,
              patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
              result: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        .init(name: "A.10 adding a nested member object", target: #"{"foo":"bar"}"#,
              patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#, result: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        .init(name: "A.11 ignoring unrecognized elements", target: #"{"foo":"bar"}"#,
              patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, result: #"{"foo":"bar","baz":"qux"}"#),
        .init(name: "A.14 ~ escape ordering", target: #"{"/":9,"~1":10}"#,
              patch: #"[{"op":"test","path":"/~01","value":10}]"#, result: #"{"/":9,"~1":10}"#),
        .init(name: "A.16 adding an array value", target: #"{"foo":["bar"]}"#,
              patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, result: #"{"foo":["bar",["abc","def"]]}"#),
        // Beyond the appendix.
        .init(name: "add at the end index appends", target: #"{"a":[1]}"#,
              patch: #"[{"op":"add","path":"/a/1","value":2}]"#, result: #"{"a":[1,2]}"#),
        .init(name: "add replaces an existing member", target: #"{"a":1}"#,
              patch: #"[{"op":"add","path":"/a","value":null}]"#, result: #"{"a":null}"#),
        .init(name: "add or replace at the root replaces the document", target: #"{"a":1}"#,
              patch: #"[{"op":"add","path":"","value":[1]},{"op":"replace","path":"","value":{"b":2}}]"#, result: #"{"b":2}"#),
        .init(name: "~1 and ~0 name members with / and ~", target: #"{"a/b":1,"m~n":2}"#,
              patch: #"[{"op":"remove","path":"/a~1b"},{"op":"replace","path":"/m~0n","value":3}]"#, result: #"{"m~n":3}"#),
        .init(name: "an empty token names the empty member", target: #"{"":1}"#,
              patch: #"[{"op":"replace","path":"/","value":2}]"#, result: #"{"":2}"#),
        .init(name: "copy duplicates a subtree", target: #"{"a":{"b":[1]}}"#,
              patch: #"[{"op":"copy","from":"/a","path":"/c"},{"op":"add","path":"/c/b/-","value":2}]"#,
              result: #"{"a":{"b":[1]},"c":{"b":[1,2]}}"#),
        .init(name: "move to the end of an array", target: #"{"a":[1,2,3]}"#,
              patch: #"[{"op":"move","from":"/a/0","path":"/a/-"}]"#, result: #"{"a":[2,3,1]}"#),
        .init(name: "move onto itself changes nothing", target: #"{"a":{"b":1}}"#,
              patch: #"[{"op":"move","from":"/a","path":"/a"}]"#, result: #"{"a":{"b":1}}"#),
        .init(name: "test compares numbers by value and objects by members", target: #"{"a":1,"o":{"x":[1.5,true],"y":null}}"#,
              patch: #"[{"op":"test","path":"/a","value":1.0},{"op":"test","path":"/o","value":{"y":null,"x":[1.5,true]}}]"#,
              result: #"{"a":1,"o":{"x":[1.5,true],"y":null}}"#),
        .init(name: "TMF: one item's quantity changed after a test of its id",
              target: #"{"id":"42","productOrderItem":[{"id":"1","quantity":1},{"id":"2","quantity":3}]}"#,
              patch: #"[{"op":"test","path":"/productOrderItem/1/id","value":"2"},{"op":"replace","path":"/productOrderItem/1/quantity","value":5}]"#,
              result: #"{"id":"42","productOrderItem":[{"id":"1","quantity":1},{"id":"2","quantity":5}]}"#),
        .init(name: "an empty patch changes nothing", target: #"{"a":1}"#, patch: "[]", result: #"{"a":1}"#),
    ]

    @Test("JSON patches apply as RFC 6902 Appendix A says", arguments: rfc6902)
    func applies(_ row: TMFPatchCase) throws {
        let result = try JSONPatch.apply(try json(row.patch), to: try json(row.target))
        #expect(result == (try json(row.result)))
    }

    static let failures: [TMFJSONPatchErrorCase] = [
        .init(name: "A.9 testing a value: error", target: #"{"baz":"qux"}"#, patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#,
              error: .init(index: 0, path: "/baz", reason: "test failed: /baz is not equal to the given value")),
        .init(name: "A.12 adding to a nonexistent target", target: #"{"foo":"bar"}"#, patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#,
              error: .init(index: 0, path: "/baz/bat", reason: "the path /baz/bat does not exist")),
        .init(name: "A.15 comparing strings and numbers", target: #"{"/":9,"~1":10}"#, patch: #"[{"op":"test","path":"/~01","value":"10"}]"#,
              error: .init(index: 0, path: "/~01", reason: "test failed: /~01 is not equal to the given value")),
        .init(name: "not an array", target: "{}", patch: #"{"op":"add","path":"/a","value":1}"#,
              error: .init(index: -1, path: "", reason: "a JSON Patch document must be an array of operations")),
        .init(name: "operation not an object", target: "{}", patch: "[1]",
              error: .init(index: 0, path: "", reason: "an operation must be a JSON object")),
        .init(name: "op missing", target: "{}", patch: #"[{"path":"/a","value":1}]"#,
              error: .init(index: 0, path: "", reason: "op must be one of add, remove, replace, move, copy, test")),
        .init(name: "op unknown", target: "{}", patch: #"[{"op":"delete","path":"/a"}]"#,
              error: .init(index: 0, path: "", reason: "op must be one of add, remove, replace, move, copy, test")),
        .init(name: "path missing", target: "{}", patch: #"[{"op":"add","value":1}]"#,
              error: .init(index: 0, path: "", reason: "path is required")),
        .init(name: "path not a string", target: "{}", patch: #"[{"op":"remove","path":3}]"#,
              error: .init(index: 0, path: "", reason: "path must be a string holding a JSON Pointer")),
        .init(name: "path without a leading slash", target: #"{"a":1}"#, patch: #"[{"op":"remove","path":"a"}]"#,
              error: .init(index: 0, path: "a", reason: "path a is not a JSON Pointer (it must be empty or start with /, and ~ must be followed by 0 or 1)")),
        .init(name: "bad ~ escape", target: #"{"a":1}"#, patch: #"[{"op":"remove","path":"/a~2"}]"#,
              error: .init(index: 0, path: "/a~2", reason: "path /a~2 is not a JSON Pointer (it must be empty or start with /, and ~ must be followed by 0 or 1)")),
        .init(name: "value missing for add", target: "{}", patch: #"[{"op":"add","path":"/a"}]"#,
              error: .init(index: 0, path: "/a", reason: "value is required")),
        .init(name: "value missing for replace", target: #"{"a":1}"#, patch: #"[{"op":"replace","path":"/a"}]"#,
              error: .init(index: 0, path: "/a", reason: "value is required")),
        .init(name: "value missing for test", target: #"{"a":1}"#, patch: #"[{"op":"test","path":"/a"}]"#,
              error: .init(index: 0, path: "/a", reason: "value is required")),
        .init(name: "from missing for move", target: #"{"a":1}"#, patch: #"[{"op":"move","path":"/b"}]"#,
              error: .init(index: 0, path: "", reason: "from is required")),
        .init(name: "from missing for copy", target: #"{"a":1}"#, patch: #"[{"op":"copy","path":"/b"}]"#,
              error: .init(index: 0, path: "", reason: "from is required")),
        .init(name: "from does not exist", target: "{}", patch: #"[{"op":"copy","from":"/x","path":"/a"}]"#,
              error: .init(index: 0, path: "/x", reason: "the path /x does not exist")),
        .init(name: "remove a missing member", target: "{}", patch: #"[{"op":"remove","path":"/x"}]"#,
              error: .init(index: 0, path: "/x", reason: "the path /x does not exist")),
        .init(name: "replace a missing member", target: "{}", patch: #"[{"op":"replace","path":"/x","value":1}]"#,
              error: .init(index: 0, path: "/x", reason: "the path /x does not exist")),
        .init(name: "test a missing member", target: "{}", patch: #"[{"op":"test","path":"/x","value":null}]"#,
              error: .init(index: 0, path: "/x", reason: "the path /x does not exist")),
        .init(name: "add below a scalar", target: #"{"a":1}"#, patch: #"[{"op":"add","path":"/a/b","value":1}]"#,
              error: .init(index: 0, path: "/a/b", reason: "the path /a/b does not exist")),
        .init(name: "move into a child", target: #"{"a":{"b":{}}}"#, patch: #"[{"op":"move","from":"/a","path":"/a/b/c"}]"#,
              error: .init(index: 0, path: "/a/b/c", reason: "a location cannot be moved into one of its children")),
        .init(name: "add past the end of an array", target: #"{"foo":[1,2]}"#, patch: #"[{"op":"add","path":"/foo/3","value":3}]"#,
              error: .init(index: 0, path: "/foo/3", reason: "the path /foo/3 is past the end of the array")),
        .init(name: "index with a leading zero", target: #"{"foo":[1,2]}"#, patch: #"[{"op":"add","path":"/foo/01","value":3}]"#,
              error: .init(index: 0, path: "/foo/01", reason: "the path /foo/01 has 01 where an array index is expected (digits without a leading zero)")),
        .init(name: "index not a number", target: #"{"foo":[1,2]}"#, patch: #"[{"op":"replace","path":"/foo/x","value":3}]"#,
              error: .init(index: 0, path: "/foo/x", reason: "the path /foo/x does not exist")),
        .init(name: "remove at the count", target: #"{"foo":[1,2]}"#, patch: #"[{"op":"remove","path":"/foo/2"}]"#,
              error: .init(index: 0, path: "/foo/2", reason: "the path /foo/2 does not exist")),
        .init(name: "remove -", target: #"{"foo":[1,2]}"#, patch: #"[{"op":"remove","path":"/foo/-"}]"#,
              error: .init(index: 0, path: "/foo/-", reason: "the path /foo/- has - where an array index is expected (digits without a leading zero)")),
        .init(name: "replace at the count", target: #"{"foo":[1,2]}"#, patch: #"[{"op":"replace","path":"/foo/2","value":0}]"#,
              error: .init(index: 0, path: "/foo/2", reason: "the path /foo/2 does not exist")),
        .init(name: "remove the whole document", target: #"{"a":1}"#, patch: #"[{"op":"remove","path":""}]"#,
              error: .init(index: 0, path: "", reason: "the whole document cannot be removed")),
        .init(name: "the failing operation is numbered", target: #"{"a":1}"#,
              patch: #"[{"op":"add","path":"/b","value":2},{"op":"test","path":"/b","value":2},{"op":"remove","path":"/c"}]"#,
              error: .init(index: 2, path: "/c", reason: "the path /c does not exist")),
        .init(name: "test 1 against true", target: #"{"a":1}"#, patch: #"[{"op":"test","path":"/a","value":true}]"#,
              error: .init(index: 0, path: "/a", reason: "test failed: /a is not equal to the given value")),
        .init(name: "test an array of other length", target: #"{"a":[1,2]}"#, patch: #"[{"op":"test","path":"/a","value":[1]}]"#,
              error: .init(index: 0, path: "/a", reason: "test failed: /a is not equal to the given value")),
        .init(name: "test 1 against 1.5", target: #"{"a":1}"#, patch: #"[{"op":"test","path":"/a","value":1.5}]"#,
              error: .init(index: 0, path: "/a", reason: "test failed: /a is not equal to the given value")),
    ]

    @Test("bad patches name the operation, the pointer and the reason", arguments: failures)
    func refuses(_ row: TMFJSONPatchErrorCase) throws {
        let patch = try json(row.patch)
        let target = try json(row.target)
        #expect(throws: row.error) { try JSONPatch.apply(patch, to: target) }
    }

    @Test func theErrorDescriptionNamesTheOperation() {
        #expect(JSONPatchError(index: 2, path: "/c", reason: "the path /c does not exist").description == "operation 2: the path /c does not exist")
        #expect(TMFQueryError(field: "limit", reason: "must not be more than 5").description == "limit must not be more than 5")
    }
}
