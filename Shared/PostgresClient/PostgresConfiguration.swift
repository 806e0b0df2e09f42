/// Where and how to connect to PostgreSQL.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string: a URL (`postgresql://user:pass@host:port/db`) or `key=value` pairs.
    public var url: String
    /// The schema to put first on `search_path` (tests give each test its own), or `nil`.
    public var schema: String?
    /// Shown in `pg_stat_activity`, which makes a stuck connection easy to attribute.
    public var applicationName: String
    /// How long to wait for the server when connecting, in seconds.
    public var connectTimeoutSeconds: Int

    public init(url: String, schema: String? = nil, applicationName: String = "oms", connectTimeoutSeconds: Int = 5) {
        self.url = url
        self.schema = schema
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }
}

/// A notification received on a channel the connection listens to (`LISTEN`/`NOTIFY`).
public struct PostgresNotification: Sendable, Hashable {
    public let channel: String
    public let payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}
