/// Where and how ``SMTPClient`` delivers mail.
public struct SMTPConfiguration: Sendable, Hashable {
    /// `smtp://host:port` (STARTTLS when offered, or required with ``requireTLS``) or
    /// `smtps://host:port` (TLS from the first byte). A path, as in `smtp://host/oms.example`,
    /// sets the name sent with EHLO.
    public var url: String
    /// The login name for SMTP AUTH, or `nil` to send without authenticating.
    public var username: String?
    /// The password for SMTP AUTH.
    public var password: String?
    /// Whether mail may go only over TLS (`CURLUSESSL_ALL`: fail if the server does not offer
    /// STARTTLS) rather than opportunistically (`CURLUSESSL_TRY`). Keep it `true` whenever a
    /// password is sent to a server that is not on loopback.
    public var requireTLS: Bool
    /// The limit for one whole message, from connect to the server's final reply.
    public var timeout: Duration
    /// The limit for the TCP (and implicit TLS) connect alone.
    public var connectTimeout: Duration

    /// - Parameters:
    ///   - url: the server, e.g. `smtp://127.0.0.1:2525`.
    ///   - username: the AUTH login name; `nil` by default.
    ///   - password: the AUTH password; `nil` by default.
    ///   - requireTLS: refuse to send in the clear; `true` by default.
    ///   - timeout: limit per message; 30 seconds by default.
    ///   - connectTimeout: limit for connecting; 5 seconds by default.
    public init(
        url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = true,
        timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}
