public import HTTPCore
/// A plain-text email for ``SMTPClient``.
///
/// The client renders it as an RFC 5322 message (Date, Message-ID, MIME headers, RFC 2047
/// subject, CRLF lines); the caller only supplies the content.
public struct MailMessage: Sendable, Hashable {
    /// The sender, either `user@example.org` or `Display Name <user@example.org>`. The address
    /// is also the SMTP envelope sender (`MAIL FROM`), where bounces go.
    public var from: String
    /// The recipients, each in the same two forms as `from`. Every one is both in the `To`
    /// header and an SMTP envelope recipient (`RCPT TO`).
    public var to: [String]
    /// The subject line, any Unicode; encoded as RFC 2047 words when it is not plain ASCII.
    public var subject: String
    /// The plain-text body, UTF-8; line endings are normalised to CRLF.
    public var body: String
    /// Extra header fields, e.g. `X-OMS-Delivery-Id` so a bounce or a duplicate can be traced
    /// to the delivery that sent it. They may not replace the headers the client writes.
    public var headers: HTTPHeaders
    /// The `Message-ID` (with or without angle brackets). When `nil` the client makes a unique
    /// one; pass a stable one derived from the delivery id so that a resend after a lost
    /// reply is recognisably the same message.
    public var messageID: String?

    /// - Parameters:
    ///   - from: the sender address, optionally with a display name.
    ///   - to: at least one recipient address.
    ///   - subject: the subject line.
    ///   - body: the plain-text body.
    ///   - headers: extra header fields; none by default.
    ///   - messageID: a fixed Message-ID, or `nil` for a generated one.
    public init(
        from: String, to: [String], subject: String, body: String,
        headers: HTTPHeaders = [:], messageID: String? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.headers = headers
        self.messageID = messageID
    }
}
