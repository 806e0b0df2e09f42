import EOSCSpecs
import GatewayApp
import Testing
import Wire

/// `/openapi.json` describes exactly what the gateway serves: every route with its method, and
/// nothing it does not serve.
@Suite("Gateway API description")
struct GatewayAPIDescriptionTests {
    static func document() throws -> JSONValue {
        try WireFormat.decode(JSONValue.self, from: APIDescription.document)
    }

    /// `/api/v1/oms/:oms_id` → `/api/v1/oms/{oms_id}`.
    static func openAPIPath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    @Test("every route is described, with its method, and every described operation is routed")
    func matchesRoutes() throws {
        let paths = try #require(try Self.document()["paths"]?.objectValue)
        var described: Set<String> = []
        for (path, operations) in paths {
            for method in try #require(operations.objectValue).keys { described.insert("\(method.uppercased()) \(path)") }
        }
        // The document's generic path for the EOSC files stands for the gateway's catch-all routes.
        let routed = Set(APIDescription.routes().map { "\($0.method) \(Self.openAPIPath($0.pattern))" })
        #expect(routed.count > 10)
        let undocumented = routed.subtracting(described).filter { !$0.contains("/api_docs/swagger/v1/") }
        let unrouted = described.subtracting(routed).filter { !$0.contains("/api_docs/swagger/v1/") }
        #expect(undocumented.isEmpty, "routes missing from openapi.json: \(undocumented.sorted())")
        #expect(unrouted.isEmpty, "operations in openapi.json that no route serves: \(unrouted.sorted())")
    }

    @Test("every operation has a summary, tags, a success response and a documented 401 unless public")
    func operationsAreComplete() throws {
        let document = try Self.document()
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)
        for (path, operations) in try #require(document["paths"]?.objectValue) {
            for (method, operation) in try #require(operations.objectValue) {
                let label = "\(method) \(path)"
                #expect(operation["summary"]?.stringValue?.isEmpty == false, "\(label)")
                #expect(operation["tags"]?.arrayValue?.isEmpty == false, "\(label)")
                let responses = try #require(operation["responses"]?.objectValue, "\(label)")
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(label)")
                let isPublic = operation["security"]?.arrayValue?.isEmpty == true
                #expect(isPublic || responses["401"] != nil, "\(label)")
                for parameter in operation["parameters"]?.arrayValue ?? [] where parameter["in"]?.stringValue == "path" {
                    let name = try #require(parameter["name"]?.stringValue)
                    #expect(path.contains("{\(name)}"), "\(label): path parameter \(name) is not in the path")
                }
            }
        }
    }

    @Test("every schema the document refers to is one of the EOSC documents the gateway serves")
    func referencesResolve() throws {
        func references(_ value: JSONValue) -> [String] {
            switch value {
            case .object(let o): return (o["$ref"]?.stringValue.map { [$0] } ?? []) + o.values.flatMap(references)
            case .array(let a): return a.flatMap(references)
            default: return []
            }
        }
        let all = references(try Self.document())
        let served = all.filter { $0.hasPrefix("/api_docs/swagger/v1/") }
        #expect(served.count > 10)
        for ref in served {
            #expect(EOSCSpecs.document(String(ref.dropFirst("/api_docs/swagger/v1/".count))) != nil, "\(ref)")
        }
        let components = try #require(try Self.document()["components"]?["schemas"]?.objectValue)
        for ref in all where ref.hasPrefix("#/") {
            let name = String(ref.dropFirst("#/components/schemas/".count))
            #expect(components[name] != nil, "\(ref)")
        }
    }
}
