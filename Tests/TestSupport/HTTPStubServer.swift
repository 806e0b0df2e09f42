import Foundation

/// A real HTTP/1.1 server (Python's `ThreadingHTTPServer`) for testing HTTP clients without
/// the project's own server code.
///
/// Every request is recorded (method, target, headers, body, client port) before it is
/// answered, so once a client has its response, ``requests()`` already shows the request.
/// Answers by path:
/// - `/status/<code>`: that status, body `{"status":<code>}`;
/// - `/sleep/<seconds>`: waits, then `200 {"ok":true}`;
/// - `/echo`: the request body with its `Content-Type`;
/// - `/redirect`: `302` to `/echo`;
/// - `/headers?Name=value&Name=other`: `200` with those response headers added;
/// - `/bytes/<n>`: `200` with `n` bytes of `x`;
/// - anything else: `200 {"ok":true}`.
public final class HTTPStubServer: Sendable {
    /// The port the server listens on, on 127.0.0.1.
    public let port: Int
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let directory: URL
    private let process: ChildServer

    /// Starts the server and returns once it accepts connections. Waiting does not block a
    /// thread, so many tests can start servers at once on the small cooperative pool.
    public init() async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-http-stub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let portFile = directory.appendingPathComponent("port")
        // The server binds port 0 itself and writes the port it got, so no other process can
        // take the port between choosing and binding it.
        process = try ChildServer(
            arguments: ["-c", Self.script, directory.appendingPathComponent("requests.jsonl").path, portFile.path],
            logFile: directory.appendingPathComponent("server.log"))
        var port: Int?
        let deadline = ContinuousClock.now + .seconds(15)
        while port == nil, ContinuousClock.now < deadline, process.isRunning {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard let port, LoopbackPort.isAccepting(port) else {
            let log = process.log
            process.stop()
            throw ChildServerError(message: "the HTTP stub server did not start: \(log)")
        }
        self.port = port
    }

    deinit {
        stop()
    }

    /// Every request received so far, oldest first.
    public func requests() -> [RecordedRequest] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("requests.jsonl"), encoding: .utf8)
        else { return [] }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(RecordedRequest.self, from: Data($0.utf8)) }
    }

    /// Stops the server and removes its files; safe to call twice.
    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    private static let script = #"""
import base64, http.server, json, os, sys, threading, time, urllib.parse
log_path, port_path = sys.argv[1], sys.argv[2]
lock = threading.Lock()
in_flight = [0]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""): pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))
    def answer(self):
        with lock:
            in_flight[0] += 1
            concurrent = in_flight[0]
        try:
            self.respond(concurrent)
        finally:
            with lock: in_flight[0] -= 1
    def respond(self, concurrent):
        body = self.read_body()
        record = {"method": self.command, "target": self.path, "clientPort": self.client_address[1],
                  "concurrent": concurrent,
                  "headers": [[k, v] for k, v in self.headers.items()],
                  "body": base64.b64encode(body).decode()}
        with lock, open(log_path, "a") as log:
            log.write(json.dumps(record) + "\n")
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        status, ctype, payload, extra = 200, "application/json", b'{"ok":true}', []
        if parts[0] == "status" and len(parts) > 1:
            status = int(parts[1]); payload = json.dumps({"status": status}).encode()
        elif parts[0] == "sleep" and len(parts) > 1:
            time.sleep(float(parts[1]))
        elif parts[0] == "echo":
            payload, ctype = body, self.headers.get("Content-Type", "application/octet-stream")
        elif parts[0] == "redirect":
            status = 302; extra.append(("Location", "/echo"))
        elif parts[0] == "headers":
            extra += urllib.parse.parse_qsl(url.query)
        elif parts[0] == "bytes" and len(parts) > 1:
            payload = b"x" * int(parts[1])
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in extra: self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD": self.wfile.write(payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = answer

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

server = Server(("127.0.0.1", 0), Handler)
with open(port_path + ".tmp", "w") as f: f.write(str(server.server_address[1]))
os.rename(port_path + ".tmp", port_path)
server.serve_forever()
"""#
}

/// One request as the ``HTTPStubServer`` received it.
public struct RecordedRequest: Sendable, Decodable {
    /// The method, e.g. `PUT`.
    public let method: String
    /// The request target: path and query, e.g. `/echo?x=1`.
    public let target: String
    /// The header fields in arrival order, names as sent.
    public let headers: [(name: String, value: String)]
    /// The body bytes (de-chunked).
    public let body: [UInt8]
    /// The client's source port: equal for two requests when they shared a connection.
    public let clientPort: Int
    /// How many requests the server was handling when this one arrived, itself included.
    public let concurrent: Int

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The first value of `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    private enum CodingKeys: String, CodingKey { case method, target, headers, body, clientPort, concurrent }

    /// Decodes one line of the stub's log (headers as pairs, body as base64).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(String.self, forKey: .method)
        target = try container.decode(String.self, forKey: .target)
        clientPort = try container.decode(Int.self, forKey: .clientPort)
        concurrent = try container.decode(Int.self, forKey: .concurrent)
        headers = try container.decode([[String]].self, forKey: .headers).map { (name: $0[0], value: $0[1]) }
        let encoded = try container.decode(String.self, forKey: .body)
        body = Array(Data(base64Encoded: encoded) ?? Data())
    }
}
