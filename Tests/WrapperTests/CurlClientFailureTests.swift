import CurlClient
import HTTPCore
import Foundation
import Testing
import TestSupport

/// How `HTTPClient` fails: every failure is a typed error, and none hangs.
@Suite("HTTPClient failures")
struct CurlClientFailureTests {
    @Test("a refused connection gives couldNotConnect")
    func connectionRefused() async throws {
        let client = HTTPClient(workers: 1)
        let port = try LoopbackPort.unused()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "http://127.0.0.1:\(port)/"))
        }
        await client.shutdown()
        #expect(error?.code == .couldNotConnect)
        #expect(error?.curlCode == 7)
    }

    @Test("a server slower than the timeout gives timedOut at the timeout")
    func slowServerTimesOut() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let start = ContinuousClock.now
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "\(stub.baseURL)/sleep/30", timeout: .milliseconds(500)))
        }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .timedOut)
        // Not before the timeout, and nowhere near the server's 30 s (margin for a loaded machine).
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(20), "took \(elapsed)")
        // The worker is usable again at once.
        let next = try await client.send(OutgoingRequest(url: "\(stub.baseURL)/after"))
        #expect(next.status == 200)
        await client.shutdown()
    }

    @Test("a server that accepts and never answers gives timedOut")
    func silentServerTimesOut() async throws {
        let listener = try SilentListener()
        let client = HTTPClient(workers: 1)
        let start = ContinuousClock.now
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(method: "POST", url: "http://127.0.0.1:\(listener.port)/",
                                                  body: [1, 2, 3], timeout: .milliseconds(700)))
        }
        let elapsed = ContinuousClock.now - start
        await client.shutdown()
        #expect(error?.code == .timedOut)
        #expect(elapsed < .seconds(20), "took \(elapsed)")  // without a timeout it would never end
    }

    @Test("a connect that hangs gives timedOut at the connect timeout, not the total timeout")
    func connectTimeout() async throws {
        let listener = try SilentListener(backlog: 0)
        listener.fillBacklog()
        let client = HTTPClient(workers: 1)
        let start = ContinuousClock.now
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "http://127.0.0.1:\(listener.port)/",
                                                  timeout: .seconds(20), connectTimeout: .milliseconds(400)))
        }
        let elapsed = ContinuousClock.now - start
        await client.shutdown()
        #expect(error?.code == .timedOut)
        // Far below the 20 s total timeout (and the minutes of SYN retries without any timeout).
        #expect(elapsed < .seconds(15), "took \(elapsed)")
    }

    @Test("https to a server that does not speak TLS gives tls")
    func tlsHandshakeFails() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "https://127.0.0.1:\(stub.port)/", timeout: .seconds(5)))
        }
        await client.shutdown()
        #expect(error?.code == .tls)
    }

    @Test("malformed URLs and other schemes give invalidURL", arguments: [
        "not a url", "ftp://127.0.0.1/file", "file:///etc/passwd", "http://[::1/", "",
    ])
    func invalidURL(url: String) async throws {
        let client = HTTPClient(workers: 1)
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: url))
        }
        await client.shutdown()
        #expect(error?.code == .invalidURL)
    }

    @Test("a line break in a header or a bad method is refused before anything is sent")
    func headerInjectionIsRefused() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let injected = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "\(stub.baseURL)/", headers: ["X-A": "1\r\nX-Evil: 1"]))
        }
        let badName = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "\(stub.baseURL)/", headers: ["X A": "1"]))
        }
        let badMethod = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(method: "GET / HTTP/1.1\r\n", url: "\(stub.baseURL)/"))
        }
        await client.shutdown()
        #expect(injected?.code == .invalidRequest)
        #expect(badName?.code == .invalidRequest)
        #expect(badMethod?.code == .invalidRequest)
        #expect(stub.requests().isEmpty)
    }

    @Test("a body over maxResponseBytes gives responseTooLarge; one at the limit is fine")
    func responseTooLarge() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "\(stub.baseURL)/bytes/100000", maxResponseBytes: 1000))
        }
        let atLimit = try await client.send(OutgoingRequest(url: "\(stub.baseURL)/bytes/1000", maxResponseBytes: 1000))
        await client.shutdown()
        #expect(error?.code == .responseTooLarge)
        #expect(atLimit.body.count == 1000)
    }

    @Test("cancelling the task aborts a transfer in flight")
    func cancellation() async throws {
        let stub = try await HTTPStubServer()
        let client = HTTPClient(workers: 1)
        defer { stub.stop() }
        let task = Task {
            try await client.send(OutgoingRequest(url: "\(stub.baseURL)/sleep/30", timeout: .seconds(60)))
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        let elapsed = ContinuousClock.now - cancelled
        await client.shutdown()
        #expect(throws: CancellationError.self) { try result.get() }
        // libcurl calls the progress callback about once a second while it waits.
        #expect(elapsed < .seconds(20), "aborted \(elapsed) after the cancellation")
    }

    @Test("after shutdown, send throws shutdown")
    func sendAfterShutdown() async throws {
        let client = HTTPClient(workers: 2)
        await client.shutdown()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(OutgoingRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error?.code == .shutdown)
    }
}
