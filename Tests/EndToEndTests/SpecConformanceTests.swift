import Testing
import TestSupport

/// The compatibility check that every end-to-end request runs (``SpecConformance``), proved on a
/// stub server that answers `200 {"ok":true}` to everything: not an OMS, not a resource.
@Suite("Response conformance check of the test HTTP helpers")
struct SpecConformanceTests {
    static func mentions(_ text: String) -> @Sendable (Issue) -> Bool {
        { issue in issue.comments.contains { $0.rawValue.contains(text) } }
    }

    /// (`oms_read.json` lists `additionalProperties` before `required`, so that is the first failure.)
    @Test("a non-conforming response fails the test that received it, through TestHTTP and RawHTTP")
    func violationFailsTheTest() async throws {
        let stub = try await HTTPStubServer()
        defer { stub.stop() }
        try await withKnownIssue("the stub's body is not an OMS") {
            _ = try await TestHTTP.send("GET", stub.baseURL + "/api/v1/oms/1")
        } matching: { issue in
            Self.mentions(#"GET /api/v1/oms/{oms_id} 200: The property '#/' contains additional properties ["ok"]"#)(issue)
        }
        try withKnownIssue("the stub's body is not a resource list") {
            _ = try RawHTTP.send(port: stub.port, "GET", "/api/v1/resources?from=1")
        } matching: { issue in
            Self.mentions(#"GET /api/v1/resources 200: The property '#/' contains additional properties ["ok"]"#)(issue)
        }
    }

    @Test("paths the EOSC specs do not describe are not judged")
    func otherPathsPass() async throws {
        let stub = try await HTTPStubServer()
        defer { stub.stop() }
        let response = try await TestHTTP.send("GET", stub.baseURL + "/api/v1/projects/1")
        #expect(response.status == 200)
        #expect(!SpecConformance.isSpecified("/api/v1/omsx/1") && SpecConformance.isSpecified("/api/v1/oms?x=1"))
    }
}
