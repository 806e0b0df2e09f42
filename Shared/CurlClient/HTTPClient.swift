import HTTPCore
/// Outgoing HTTP over libcurl, for webhooks and calls to other systems.
///
/// Each of the `workers` owns an OS thread and one easy handle, so up to `workers` requests
/// run at once without blocking Swift's cooperative pool, and each worker keeps its
/// connections alive between requests. Redirects are never followed (a webhook that answers
/// 3xx gets that status back), and an HTTP error status is a response, not a thrown error.
///
/// ```swift
/// let client = HTTPClient(workers: 4)
/// let response = try await client.send(OutgoingRequest(method: "POST", url: hookURL,
///     headers: ["Content-Type": "application/json"], body: payload))
/// await client.shutdown()
/// ```
public final class HTTPClient: Sendable {
    private let pool: CurlWorkerPool

    /// Starts `workers` threads, each with its own keep-alive easy handle.
    /// - Parameter workers: how many requests may be in flight at once (at least 1).
    public init(workers: Int = 4) {
        pool = CurlWorkerPool(count: workers, label: "http-client")
    }

    /// Sends `request` and returns the server's response, whatever its status.
    ///
    /// - Throws: ``HTTPClientError`` when no response arrived (see its codes), or
    ///   `CancellationError` if the task was cancelled; an in-flight transfer is aborted
    ///   within about a second of the cancellation.
    public func send(_ request: OutgoingRequest) async throws -> OutgoingResponse {
        let label = "\(request.method) \(request.url)"
        try Self.validate(request, label: label)
        do {
            let response = try await pool.withWorker { worker, cancel in
                try await worker.performHTTP(request, cancel: cancel)
            }
            guard let response else {
                throw HTTPClientError(code: .shutdown, message: "the HTTP client was shut down", request: label)
            }
            return response
        } catch is CurlWorker.Closed {
            throw HTTPClientError(code: .shutdown, message: "the HTTP client was shut down", request: label)
        } catch let failure as CurlFailure {
            throw Self.error(for: failure, exceededLimit: false, request: label)
        } catch let failure as HTTPTransferFailure {
            if failure.cancelled { throw CancellationError() }
            throw Self.error(for: failure.curl, exceededLimit: failure.exceededLimit, request: label)
        }
    }

    /// Refuses new requests, lets those in flight finish (each is bounded by its timeout) and
    /// closes every connection.
    public func shutdown() async {
        await pool.shutdown()
    }

    private static func validate(_ request: OutgoingRequest, label: String) throws {
        func invalid(_ message: String) -> HTTPClientError {
            HTTPClientError(code: .invalidRequest, message: message, request: label)
        }
        guard HTTPHeaders.isValidName(request.method) else {
            throw invalid("the method is not an HTTP token")
        }
        guard HTTPHeaders.isValidValue(request.url), !request.url.contains(" ") else {
            throw HTTPClientError(code: .invalidURL, message: "the URL contains a space or a line break",
                                  request: label)
        }
        for (name, value) in request.headers {
            guard HTTPHeaders.isValidName(name) else { throw invalid("header name \"\(name)\" is not a token") }
            guard HTTPHeaders.isValidValue(value) else { throw invalid("header \(name) contains CR, LF or NUL") }
        }
        guard request.maxResponseBytes >= 0 else { throw invalid("maxResponseBytes is negative") }
    }

    private static func error(for failure: CurlFailure, exceededLimit: Bool, request: String) -> HTTPClientError {
        let code: HTTPClientError.Code =
            if exceededLimit { .responseTooLarge }
            else if failure.isTimeout { .timedOut }
            else if failure.isConnectFailure { .couldNotConnect }
            else if failure.isResolveFailure { .couldNotResolveHost }
            else if failure.isInvalidURL { .invalidURL }
            else if failure.isTLSFailure { .tls }
            else { .transport }
        return HTTPClientError(code: code, curlCode: failure.number, message: failure.message,
                               request: request)
    }
}
