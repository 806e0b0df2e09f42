import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPCore
import HTTPServer
import Synchronization
import Testing

/// The server end to end over real sockets: what reaches the handler, what reaches the client,
/// connection reuse, concurrency and shutdown.
@Suite(.serialized)
struct HTTPServerTests {
    @Test func requestReachesTheHandlerWithMethodPathQueryHeadersBodyAndPeer() async throws {
        let log = HandlerLog()
        try await withServer(handler: { request in
            log.record(request)
            return HTTPResponse(status: 201, headers: ["X-Echo": request.method, "Content-Type": "text/plain"],
                                body: Array("got ".utf8) + request.body)
        }) { server in
            let connection = try RawConnection(port: server.port)
            let body = #"{"k":"v"}"#
            try connection.send("POST /orders/a%20b?tag=x&tag=y%26z&name=hello+world&flag HTTP/1.1\r\n"
                                + "Host: test\r\nX-Trace: t-1\r\nX-Repeat: first\r\nX-Repeat: second\r\n"
                                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try await connection.readResponse()
            #expect(response.status == 201)
            #expect(response.header("X-Echo") == "POST")
            #expect(response.text == "got " + body)

            let request = try #require(log.requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/orders/a b")
            #expect(request.query == [QueryItem(name: "tag", value: "x"), QueryItem(name: "tag", value: "y&z"),
                                      QueryItem(name: "name", value: "hello world"), QueryItem(name: "flag", value: "")])
            #expect(request.headers.fields.map(\.name)
                    == ["Host", "X-Trace", "X-Repeat", "X-Repeat", "Content-Type", "Content-Length"])
            #expect(request.headers.values(for: "x-repeat") == ["first", "second"])
            #expect(request.header("X-Trace") == "t-1")
            #expect(request.body == Array(body.utf8))
            #expect(request.remoteAddress == "127.0.0.1")
        }
    }

    @Test func urlSessionRoundTrip() async throws {
        let log = HandlerLog()
        try await withServer(handler: { request in
            log.record(request)
            return .json(200, ["path": request.path, "q": request.queryValues("q").joined(separator: ","),
                               "body": String(decoding: request.body, as: UTF8.self)],
                         headers: ["X-Server": "oms"])
        }) { server in
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/items?q=1&q=two%20words")!)
            request.httpMethod = "PUT"
            request.httpBody = Data("payload".utf8)
            request.setValue("abc", forHTTPHeaderField: "X-Client")
            let session = URLSession(configuration: .ephemeral)
            let (data, urlResponse) = try await session.data(for: request)
            let http = try #require(urlResponse as? HTTPURLResponse)
            #expect(http.statusCode == 200)
            #expect(http.value(forHTTPHeaderField: "X-Server") == "oms")
            #expect(String(decoding: data, as: UTF8.self) == #"{"body":"payload","path":"/items","q":"1,two words"}"#)
            #expect(log.requests.first?.method == "PUT")
            #expect(log.requests.first?.header("x-client") == "abc")
        }
    }

    @Test func urlSessionUploadOverTheLimitGets413() async throws {
        let log = HandlerLog()
        try await withServer(HTTPServerConfiguration(maxBodyBytes: 1000), handler: { request in
            log.record(request)
            return .text(200, "read it all")
        }) { server in
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/upload")!)
            request.httpMethod = "POST"
            request.httpBody = Data(repeating: 65, count: 3_000_000)
            let (data, urlResponse) = try await URLSession(configuration: .ephemeral).data(for: request)
            #expect((urlResponse as? HTTPURLResponse)?.statusCode == 413)
            #expect(String(decoding: data, as: UTF8.self) == #"{"error":"request body too large"}"#)
            #expect(log.calls == 0)
        }
    }

    @Test func sequentialRequestsReuseOneKeepAliveConnection() async throws {
        try await withServer(handler: { request in
            .text(200, request.method + " " + request.path + " " + String(decoding: request.body, as: UTF8.self))
        }) { server in
            let connection = try RawConnection(port: server.port)
            try connection.send("GET /one HTTP/1.1\r\nHost: test\r\n\r\n")
            let first = try await connection.readResponse()
            try connection.send("POST /two HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nbody")
            let second = try await connection.readResponse()
            try connection.send("GET /three HTTP/1.1\r\nHost: test\r\n\r\n")
            let third = try await connection.readResponse()
            #expect([first.text, second.text, third.text] == ["GET /one ", "POST /two body", "GET /three "])
            // MHD 0.9.75 adds "Connection: close" to a response queued in the headers-only call.
            for response in [first, second, third] {
                #expect(response.status == 200)
                #expect(response.header("Connection")?.lowercased() != "close")
            }
        }
    }

    @Test func headRunsTheHandlerButSendsNoBody() async throws {
        let log = HandlerLog()
        try await withServer(handler: { request in
            log.record(request)
            return .text(200, "hello world")
        }) { server in
            let connection = try RawConnection(port: server.port)
            try connection.send("HEAD /thing HTTP/1.1\r\nHost: test\r\n\r\n")
            let head = try await connection.readResponse(bodyExpected: false)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "11")
            // If the body had been sent, it would be read here as the next response's status line.
            try connection.send("GET /thing HTTP/1.1\r\nHost: test\r\n\r\n")
            let get = try await connection.readResponse()
            #expect(get.status == 200)
            #expect(get.text == "hello world")
            #expect(connection.unread == 0)
            #expect(log.requests.map(\.method) == ["HEAD", "GET"])
        }
    }

    /// One MHD thread is enough: handlers run as tasks while their connections are suspended.
    @Test(arguments: [1, 4])
    func fiftyRequestsAreHandledConcurrently(threads: Int) async throws {
        let count = 50
        let log = HandlerLog()
        // Handlers await until every request is inside at once, or until this shared deadline
        // (then `maxInside` falls short and the test fails).
        let deadline = ContinuousClock.now + .seconds(5)
        try await withServer(HTTPServerConfiguration(threadPoolSize: threads), handler: { request in
            log.enter(request)
            while log.inside < count && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(5))
            }
            try? await Task.sleep(for: .milliseconds(50))
            log.leave()
            return .text(200, request.path)
        }) { server in
            let connections = try (0..<count).map { _ in try RawConnection(port: server.port, timeout: 15) }
            for (i, connection) in connections.enumerated() {
                try connection.send("GET /r/\(i) HTTP/1.1\r\nHost: test\r\n\r\n")
            }
            var bodies: [String] = []
            for connection in connections {
                let response = try await connection.readResponse()
                #expect(response.status == 200)
                bodies.append(response.text)
            }
            #expect(bodies == (0..<count).map { "/r/\($0)" })
            #expect(log.maxInside == count)
        }
    }

    @Test func shutdownAnswersTheRequestInFlightAndRefusesNewConnections() async throws {
        let log = HandlerLog()
        let release = Latch()
        defer { release.open() }  // never leave the handler (and so shutdown) waiting
        let server = try HTTPServer { request in
            log.enter(request)
            await release.wait()
            log.leave()
            return .text(200, "slow done")
        }
        let port = server.port
        let connection = try RawConnection(port: port)
        try connection.send("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(await eventually { log.inside == 1 })

        let stopped = Latch()
        let stopping = Task {
            await server.shutdown()
            stopped.open()
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(!stopped.isOpen, "shutdown must wait for the request in flight")
        #expect(!RawConnection.canConnect(port: port), "a draining server accepts nothing new")

        release.open()
        let response = try await connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "slow done")
        #expect(response.header("Connection")?.lowercased() == "close")
        await stopping.value
        #expect(stopped.isOpen)
        #expect(!RawConnection.canConnect(port: port))
    }

    @Test func shutdownIsIdempotentAndClosesIdleKeepAliveConnections() async throws {
        let server = try HTTPServer { _ in .text(200, "ok") }
        let connection = try RawConnection(port: server.port)
        try connection.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try await connection.readResponse().status == 200)
        async let first: Void = server.shutdown()
        async let second: Void = server.shutdown()
        _ = await (first, second)
        await server.shutdown()
        #expect(await connection.closedByServer())
        #expect(!RawConnection.canConnect(port: server.port))
    }

    @Test func droppedServerStopsInTheBackground() async throws {
        var server: HTTPServer? = try HTTPServer { _ in .text(200, "ok") }
        let port = try #require(server?.port)
        #expect(RawConnection.canConnect(port: port))
        server = nil
        #expect(await eventually { !RawConnection.canConnect(port: port) })
    }

    @Test(.enabled(if: ipv6LoopbackExists()))
    func listensOnIPv6Loopback() async throws {
        let log = HandlerLog()
        try await withServer(HTTPServerConfiguration(host: "::1"), handler: { request in
            log.record(request)
            return .text(200, "v6")
        }) { server in
            // Raw socket: FoundationNetworking rejects the bracketed literal as a bad URL (-1000).
            let connection = try RawConnection(port: server.port, host: "::1")
            try connection.send("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n")
            #expect(try await connection.readResponse().text == "v6")
            #expect(log.requests.first?.remoteAddress == "::1")
        }
    }

    @Test func startFailsWithACodeWhenThePortIsTaken() async throws {
        try await withServer(handler: { _ in .text(200, "ok") }) { server in
            let lines = Mutex<[String]>([])
            let configuration = HTTPServerConfiguration(port: server.port, libraryLog: { line in
                lines.withLock { $0.append(line) }
            })
            let error = try #require(throws: HTTPServerError.self) {
                _ = try HTTPServer(configuration: configuration) { _ in .text(200, "never") }
            }
            #expect(error.code == .startFailed)
            #expect(error.message.contains("\(server.port)"))
            // libmicrohttpd's own explanation is routed to the log sink, not to stderr.
            #expect(!lines.withLock { $0.isEmpty })
        }
    }

    @Test(arguments: [HTTPServerConfiguration(host: "localhost"), HTTPServerConfiguration(port: 70000),
                      HTTPServerConfiguration(threadPoolSize: 0), HTTPServerConfiguration(maxBodyBytes: -1),
                      HTTPServerConfiguration(threadPoolSize: 8, connectionLimit: 4)])
    func invalidConfigurationIsRejectedByName(configuration: HTTPServerConfiguration) throws {
        let error = try #require(throws: HTTPServerError.self) {
            _ = try HTTPServer(configuration: configuration) { _ in .text(200, "never") }
        }
        #expect(error.code == .invalidConfiguration)
    }
}

/// Whether this machine has an IPv6 loopback (containers often do not).
private func ipv6LoopbackExists() -> Bool {
    guard let table = try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8) else { return false }
    return table.split(separator: "\n").contains { $0.hasPrefix("00000000000000000000000000000001") }
}
