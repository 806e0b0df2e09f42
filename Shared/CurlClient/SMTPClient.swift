internal import CCurl

/// Sends plain-text mail through one SMTP server over libcurl.
///
/// Each of the `workers` owns an OS thread and one easy handle that keeps its SMTP session
/// open between messages. `send` returns once the server has accepted the message (its reply
/// to the end of DATA), which is the point where the notifier may mark a delivery as sent.
public final class SMTPClient: Sendable {
    private let configuration: SMTPConfiguration
    private let pool: CurlWorkerPool

    /// - Parameters:
    ///   - configuration: the server, credentials, TLS policy and timeouts.
    ///   - workers: how many messages may be in flight at once (at least 1).
    public init(configuration: SMTPConfiguration, workers: Int = 2) {
        self.configuration = configuration
        pool = CurlWorkerPool(count: workers, label: "smtp-client")
    }

    /// Renders `message` (RFC 5322, see ``MailMessage``) and delivers it to every recipient.
    ///
    /// - Throws: ``SMTPError``; ``SMTPError/isPermanent`` tells a retry apart from a bounce.
    ///   `CancellationError` if the task was cancelled.
    public func send(_ message: MailMessage) async throws {
        let mail = try message.rendered()
        let configuration = self.configuration
        do {
            let sent: Bool? = try await pool.withWorker { worker, cancel in
                try await worker.performSMTP(mail, configuration: configuration, cancel: cancel)
                return true
            }
            if sent == nil { throw SMTPError(code: .shutdown, message: "the SMTP client was shut down") }
        } catch is CurlWorker.Closed {
            throw SMTPError(code: .shutdown, message: "the SMTP client was shut down")
        } catch let failure as CurlFailure {
            throw Self.error(for: failure)
        } catch let failure as SMTPTransferFailure {
            if failure.cancelled { throw CancellationError() }
            throw Self.error(for: failure.curl)
        }
    }

    /// Refuses new messages, lets those in flight finish (each bounded by the timeout) and
    /// closes the SMTP sessions.
    public func shutdown() async {
        await pool.shutdown()
    }

    private static func error(for failure: CurlFailure) -> SMTPError {
        let code: SMTPError.Code =
            if failure.isTimeout { .timedOut }
            else if failure.isConnectFailure { .couldNotConnect }
            else if failure.isResolveFailure { .couldNotResolveHost }
            else if failure.isInvalidURL { .invalidURL }
            else if failure.isTLSFailure { .tls }
            else if failure.code == CURLE_LOGIN_DENIED { .loginDenied }
            else if failure.responseCode >= 400 { .rejected }
            else { .transport }
        return SMTPError(code: code, replyCode: failure.responseCode > 0 ? failure.responseCode : nil,
                         curlCode: failure.number, message: failure.message)
    }
}
