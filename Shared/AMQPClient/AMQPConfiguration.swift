import Foundation

/// Where and how to connect to the broker.
public struct AMQPConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String
    /// 0 disables heartbeats: rabbitmq-c services them only inside library calls, so an idle
    /// publisher would be dropped by the broker. TCP keepalive notices dead peers instead.
    public var heartbeatSeconds: Int
    public var connectTimeout: Duration
    /// Names the connection in the broker's management UI.
    public var connectionName: String

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest", password: String = "guest",
                vhost: String = "/", heartbeatSeconds: Int = 0, connectTimeout: Duration = .seconds(5),
                connectionName: String = "oms") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.vhost = vhost
        self.heartbeatSeconds = heartbeatSeconds
        self.connectTimeout = connectTimeout
        self.connectionName = connectionName
    }

    /// Parses `amqp://user:password@host:port/vhost`. The vhost is the percent-decoded path
    /// without its leading slash (`%2f` is the default vhost `/`); an empty path also means `/`.
    public init(url: String, connectionName: String = "oms") throws {
        guard let components = URLComponents(string: url), components.scheme == "amqp",
              let host = components.host, !host.isEmpty else {
            throw AMQPError(code: .invalidConfiguration, message: "not an amqp:// URL: \(url)")
        }
        let rawPath = components.percentEncodedPath
        let vhostEncoded = rawPath.hasPrefix("/") ? String(rawPath.dropFirst()) : rawPath
        let vhost = vhostEncoded.isEmpty ? "/" : (vhostEncoded.removingPercentEncoding ?? vhostEncoded)
        self.init(host: host, port: components.port ?? 5672,
                  user: components.user?.removingPercentEncoding ?? "guest",
                  password: components.password?.removingPercentEncoding ?? "guest",
                  vhost: vhost, connectionName: connectionName)
    }
}
