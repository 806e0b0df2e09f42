import Testing
import HTTPCore

@Suite("HTTPCore: Router")
struct HTTPCoreRouterTests {
    struct Conflict: HTTPResponseError {
        var response: HTTPResponse { .json(409, ["error": "item is closed"]) }
    }

    struct Secret: Error {}

    private var router: Router {
        var router = Router()
        router.add("GET", "/api/v1/oms/:oms_id/events") { _, params in
            .text(200, "events of \(params["oms_id"] ?? "?")")
        }
        router.add("get", "/api/v1/projects/:project_id/project_items/:id") { _, params in
            .text(200, "\(params["project_id"] ?? "?")/\(params["id"] ?? "?")")
        }
        router.add("POST", "/api/v1/projects/:project_id/project_items/:id") { _, _ in .text(201, "created") }
        router.add("PATCH", "/api/v1/projects/:project_id/project_items/:id") { _, _ in throw Conflict() }
        router.add("DELETE", "/api/v1/projects/:project_id/project_items/:id") { _, _ in throw Secret() }
        router.add("GET", "/api/v1/oms/:oms_id/events") { _, _ in .text(200, "second route, never reached") }
        return router
    }

    @Test("captures named segments")
    func captures() async {
        let items = await router.handle(HTTPRequest(method: "GET", target: "/api/v1/projects/12/project_items/3"))
        #expect(items.status == 200)
        #expect(items.bodyText == "12/3")
        let events = await router.handle(HTTPRequest(method: "GET", target: "/api/v1/oms/7/events?from_timestamp=x"))
        #expect(events.bodyText == "events of 7", "the first matching route wins")
    }

    @Test("an unknown path is 404", arguments: ["/api/v1/oms/7", "/api/v1/oms/7/events/1", "/", "/api/v2/oms/7/events"])
    func notFound(target: String) async {
        let response = await router.handle(HTTPRequest(method: "GET", target: target))
        #expect(response.status == 404)
        #expect(response.bodyText == #"{"error":"Not found"}"#)
    }

    @Test("a known path with another method is 405 naming the allowed methods")
    func methodNotAllowed() async {
        let response = await router.handle(HTTPRequest(method: "PUT", target: "/api/v1/projects/1/project_items/2"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, POST, PATCH, DELETE")
    }

    @Test("HEAD is answered by the GET route")
    func headUsesGet() async {
        let response = await router.handle(HTTPRequest(method: "HEAD", target: "/api/v1/oms/9/events"))
        #expect(response.status == 200)
        #expect(response.bodyText == "events of 9")
    }

    @Test("a thrown HTTPResponseError becomes its response")
    func responseError() async {
        let response = await router.handle(HTTPRequest(method: "PATCH", target: "/api/v1/projects/1/project_items/2"))
        #expect(response.status == 409)
        #expect(response.bodyText == #"{"error":"item is closed"}"#)
    }

    @Test("any other error becomes the internal-error response, which names nothing internal")
    func otherError() async {
        let response = await router.handle(HTTPRequest(method: "DELETE", target: "/api/v1/projects/1/project_items/2"))
        #expect(response.status == 500)
        #expect(response.bodyText == #"{"error":"Internal server error"}"#)
        #expect(!response.bodyText.contains("Secret"))
    }

    @Test("custom not-found and internal-error responses are used, and the handler closure routes")
    func customResponses() async {
        var router = Router(notFound: { request in .text(404, "no \(request.path)") },
                            internalError: { _, error in .text(500, "logged \(type(of: error))") })
        router.add("GET", "/boom") { _, _ in throw Secret() }
        let handler = router.handler
        #expect(await handler(HTTPRequest(method: "GET", target: "/nope")).bodyText == "no /nope")
        #expect(await handler(HTTPRequest(method: "GET", target: "/boom")).bodyText == "logged Secret")
    }
}
