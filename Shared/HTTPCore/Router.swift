/// Matches a request's method and path to an endpoint.
///
/// Patterns are literal segments and `:name` captures, e.g. `/api/v1/oms/:oms_id/events`.
/// A path that matches no pattern gets `notFound`; a path that matches only with another method
/// gets `methodNotAllowed` (405 with `Allow`). Thrown ``HTTPResponseError``s become their
/// responses; anything else goes to `internalError`, which must not reveal details.
public struct Router: Sendable {
    /// Endpoint with its captured path parameters.
    public typealias Endpoint = @Sendable (HTTPRequest, PathParameters) async throws -> HTTPResponse

    struct Route: Sendable {
        var method: String
        var segments: [Segment]
        var endpoint: Endpoint

        var pattern: String {
            "/" + segments.map { s -> String in
                switch s {
                case .literal(let l): return l
                case .capture(let c): return ":" + c
                }
            }.joined(separator: "/")
        }
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case capture(String)
    }

    private var routes: [Route] = []
    /// Response for a path no route knows.
    public var notFound: @Sendable (HTTPRequest) -> HTTPResponse
    /// Response for a known path with the wrong method; receives the allowed methods.
    public var methodNotAllowed: @Sendable (HTTPRequest, [String]) -> HTTPResponse
    /// Response for an error that is not an ``HTTPResponseError``.
    public var internalError: @Sendable (HTTPRequest, any Error) -> HTTPResponse

    public init(
        notFound: @escaping @Sendable (HTTPRequest) -> HTTPResponse = { _ in
            .json(404, ["error": "Not found"])
        },
        methodNotAllowed: @escaping @Sendable (HTTPRequest, [String]) -> HTTPResponse = { _, allowed in
            .json(405, ["error": "Method not allowed"], headers: ["Allow": allowed.joined(separator: ", ")])
        },
        internalError: @escaping @Sendable (HTTPRequest, any Error) -> HTTPResponse = { _, _ in
            .json(500, ["error": "Internal server error"])
        }
    ) {
        self.notFound = notFound
        self.methodNotAllowed = methodNotAllowed
        self.internalError = internalError
    }

    /// Adds a route. Later routes do not override earlier ones for the same method and pattern.
    public mutating func add(_ method: String, _ pattern: String, _ endpoint: @escaping Endpoint) {
        let segments = pattern.split(separator: "/").map { s -> Segment in
            s.hasPrefix(":") ? .capture(String(s.dropFirst())) : .literal(String(s))
        }
        routes.append(Route(method: method.uppercased(), segments: segments, endpoint: endpoint))
    }

    /// Routes a request and always returns a response.
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var allowed: [String] = []
        for route in routes {
            guard let params = Self.match(route.segments, parts) else { continue }
            let method = request.method == "HEAD" && route.method == "GET" ? "GET" : request.method
            guard route.method == method else {
                if !allowed.contains(route.method) { allowed.append(route.method) }
                continue
            }
            do {
                return try await route.endpoint(request, params)
            } catch let error as any HTTPResponseError {
                return error.response
            } catch {
                return internalError(request, error)
            }
        }
        return allowed.isEmpty ? notFound(request) : methodNotAllowed(request, allowed)
    }

    /// Every route's pattern, e.g. for bounded metric labels.
    public var patterns: [String] {
        var seen: [String] = []
        for route in routes where !seen.contains(route.pattern) { seen.append(route.pattern) }
        return seen
    }

    /// Every route as method and pattern, in the order they were added (e.g. to check that an
    /// API description lists them all).
    public var routeList: [(method: String, pattern: String)] { routes.map { ($0.method, $0.pattern) } }

    /// The handler closure to give a transport.
    public var handler: HTTPHandler {
        let router = self
        return { request in await router.handle(request) }
    }

    static func match(_ segments: [Segment], _ parts: [String]) -> PathParameters? {
        guard segments.count == parts.count else { return nil }
        var params = PathParameters()
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let l): if l != part { return nil }
            case .capture(let name): params.values[name] = part
            }
        }
        return params
    }
}

/// Values captured from `:name` segments of a route pattern.
public struct PathParameters: Sendable {
    public var values: [String: String] = [:]

    public init() {}

    /// The captured text of `name`.
    public subscript(name: String) -> String? { values[name] }
}
