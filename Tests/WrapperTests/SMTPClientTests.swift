import CurlClient
import HTTPCore
import Foundation
import Testing
import TestSupport

/// `SMTPClient` against a real SMTP server (aiosmtpd, see `SMTPCatcher`).
@Suite("SMTPClient over libcurl")
struct SMTPClientTests {
    static func plainConfiguration(_ url: String, timeout: Duration = .seconds(10)) -> SMTPConfiguration {
        SMTPConfiguration(url: url, requireTLS: false, timeout: timeout, connectTimeout: .seconds(2))
    }

    @Test("a UTF-8 subject, lines starting with dots and an extra header arrive intact, with the envelope")
    func deliversMessageIntact() async throws {
        let catcher = try await SMTPCatcher()
        defer { catcher.stop() }
        let client = SMTPClient(configuration: Self.plainConfiguration(catcher.url), workers: 1)
        let subject = "Bestellung bestätigt – Über 20 Zeichen lang, damit das Encoded-Word umbricht ✓ 注文"
        // "." alone would end DATA early unless the sender dot-stuffs it; ".." and ".x" would
        // lose a dot.
        let body = "Hello,\n.\n..two dots\n.leading dot\nbare CR\rCRLF\r\nlast line"
        try await client.send(MailMessage(
            from: "OMS Notifier <noreply@oms.example>",
            to: ["alice@example.org", "Bob \"the\" Builder <bob@example.net>"],
            subject: subject, body: body,
            headers: ["X-OMS-Delivery-Id": "dlv-123"], messageID: "dlv-123@oms.example"))
        await client.shutdown()

        let mail = try #require(try await catcher.waitForMessages(count: 1).only)
        #expect(mail.envelopeFrom == "noreply@oms.example")
        #expect(mail.envelopeRecipients == ["alice@example.org", "bob@example.net"])
        #expect(mail.subject == subject)
        #expect(mail.header("Subject")?.hasPrefix("=?UTF-8?B?") == true)
        #expect(mail.body == "Hello,\n.\n..two dots\n.leading dot\nbare CR\nCRLF\nlast line\n")
        #expect(mail.header("Content-Transfer-Encoding") == "7bit")
        #expect(mail.header("X-OMS-Delivery-Id") == "dlv-123")
        #expect(mail.header("Message-ID") == "<dlv-123@oms.example>")
        #expect(mail.header("MIME-Version") == "1.0")
        #expect(mail.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(mail.from == "\"OMS Notifier\" <noreply@oms.example>")
        #expect(mail.to == "alice@example.org, \"Bob \\\"the\\\" Builder\" <bob@example.net>")
        #expect(mail.count(of: "Subject") == 1 && mail.count(of: "Date") == 1)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let date = try #require(formatter.date(from: mail.header("Date") ?? ""))
        #expect(abs(date.timeIntervalSinceNow) < 120)
    }

    @Test("a UTF-8 body goes as quoted-printable and decodes to the original, long lines included")
    func utf8BodyIsQuotedPrintable() async throws {
        let catcher = try await SMTPCatcher()
        defer { catcher.stop() }
        let client = SMTPClient(configuration: Self.plainConfiguration(catcher.url), workers: 1)
        let longLine = String(repeating: "Grüße aus dem Auftragssystem = ok. ", count: 40)
        let body = "Grüße,\n.\nIhre Bestellung ist bestätigt.  \n\(longLine)\nEnde"
        try await client.send(MailMessage(from: "noreply@oms.example", to: ["Zoë Ünal <zoe@example.org>"],
                                          subject: "ASCII subject", body: body))
        await client.shutdown()

        let mail = try #require(try await catcher.waitForMessages(count: 1).only)
        #expect(mail.header("Content-Transfer-Encoding") == "quoted-printable")
        #expect(mail.body == body + "\n")
        #expect(mail.subject == "ASCII subject")
        #expect(mail.header("Subject") == "ASCII subject")
        #expect(mail.to.hasSuffix("<zoe@example.org>") && mail.to.hasPrefix("=?UTF-8?B?"))
        #expect(mail.rawBody.split(separator: "\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(mail.rawBody.utf8.allSatisfy { $0 < 0x80 })
        #expect(mail.header("Message-ID")?.hasSuffix("@oms.example>") == true)
    }

    @Test("messages on one worker share one SMTP session; concurrent sends all arrive")
    func sessionReuseAndConcurrency() async throws {
        let catcher = try await SMTPCatcher()
        defer { catcher.stop() }
        let single = SMTPClient(configuration: Self.plainConfiguration(catcher.url), workers: 1)
        for index in 0..<3 {
            try await single.send(MailMessage(from: "a@oms.example", to: ["b@example.org"],
                                              subject: "seq \(index)", body: "body \(index)"))
        }
        await single.shutdown()
        let sequential = try await catcher.waitForMessages(count: 3)
        let peers = Set(sequential.compactMap { $0.header("X-Peer") })
        #expect(peers.count == 1, "peers: \(peers)")

        let pool = SMTPClient(configuration: Self.plainConfiguration(catcher.url), workers: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await pool.send(MailMessage(from: "a@oms.example", to: ["c\(index)@example.org"],
                                                    subject: "par \(index)", body: "body"))
                }
            }
            try await group.waitForAll()
        }
        await pool.shutdown()
        let all = try await catcher.waitForMessages(count: 9)
        #expect(Set(all.map(\.subject)) == Set((0..<3).map { "seq \($0)" } + (0..<6).map { "par \($0)" }))
    }

    @Test("a closed port gives couldNotConnect, worth a retry")
    func closedPort() async throws {
        let port = try LoopbackPort.unused()
        let client = SMTPClient(configuration: Self.plainConfiguration("smtp://127.0.0.1:\(port)"))
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(MailMessage(from: "a@oms.example", to: ["b@example.org"], subject: "s", body: "b"))
        }
        await client.shutdown()
        #expect(error?.code == .couldNotConnect)
        #expect(error?.isPermanent == false)
        #expect(error.map { !$0.message.isEmpty && $0.description.contains("couldNotConnect") } == true)
    }

    @Test("a server that accepts and never greets gives timedOut at the timeout")
    func silentServer() async throws {
        let listener = try SilentListener()
        let client = SMTPClient(configuration: Self.plainConfiguration("smtp://127.0.0.1:\(listener.port)",
                                                                       timeout: .milliseconds(700)))
        let start = ContinuousClock.now
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(MailMessage(from: "a@oms.example", to: ["b@example.org"], subject: "s", body: "b"))
        }
        let elapsed = ContinuousClock.now - start
        await client.shutdown()
        #expect(error?.code == .timedOut)
        #expect(elapsed < .seconds(20), "took \(elapsed)")  // without a timeout it would never end
    }

    @Test("requireTLS refuses a server without STARTTLS instead of sending in the clear")
    func requireTLSRefusesPlaintext() async throws {
        let catcher = try await SMTPCatcher()
        defer { catcher.stop() }
        let client = SMTPClient(configuration: SMTPConfiguration(url: catcher.url, username: "oms", password: "secret",
                                                                 requireTLS: true, timeout: .seconds(5)))
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(MailMessage(from: "a@oms.example", to: ["b@example.org"], subject: "s", body: "b"))
        }
        await client.shutdown()
        #expect(error?.code == .tls)
        #expect(catcher.messages().isEmpty)
    }

    @Test("a malformed message is refused before connecting", arguments: [
        MailMessage(from: "a@oms.example", to: [], subject: "s", body: "b"),
        MailMessage(from: "a@oms.example", to: ["b@example.org\r\nRCPT TO:<c@evil.example>"], subject: "s", body: "b"),
        MailMessage(from: "a@oms.example", to: ["b@example.org, c@example.org"], subject: "s", body: "b"),
        MailMessage(from: "not-an-address", to: ["b@example.org"], subject: "s", body: "b"),
        MailMessage(from: "a@oms.example", to: ["b@example.org"], subject: "s\r\nBcc: c@evil.example", body: "b"),
        MailMessage(from: "a@oms.example", to: ["b@example.org"], subject: "s", body: "b", headers: ["X-A": "1\n2"]),
        MailMessage(from: "a@oms.example", to: ["b@example.org"], subject: "s", body: "b", headers: ["Subject": "two"]),
    ])
    func malformedMessage(message: MailMessage) async throws {
        let catcher = try await SMTPCatcher()
        defer { catcher.stop() }
        let client = SMTPClient(configuration: Self.plainConfiguration(catcher.url))
        let error = await #expect(throws: SMTPError.self) { try await client.send(message) }
        await client.shutdown()
        #expect(error?.code == .invalidMessage)
        #expect(error?.isPermanent == true)
        #expect(catcher.messages().isEmpty)
    }

    @Test("after shutdown, send throws shutdown")
    func sendAfterShutdown() async throws {
        let client = SMTPClient(configuration: Self.plainConfiguration("smtp://127.0.0.1:1"))
        await client.shutdown()
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(MailMessage(from: "a@oms.example", to: ["b@example.org"], subject: "s", body: "b"))
        }
        #expect(error?.code == .shutdown)
    }
}

/// How `SMTPClient` reports a server's refusal.
@Suite("SMTPClient refusals")
struct SMTPClientRefusalTests {
    @Test("a 5xx reply to a recipient is a permanent rejection; a 4xx reply is worth a retry", arguments: [
        ("gone@example.org", 550, true),
        ("busy@example.org", 451, false),
    ])
    func recipientRefused(recipient: String, reply: Int, permanent: Bool) async throws {
        let catcher = try await SMTPCatcher(recipientReplies: [
            "gone@example.org": "550 5.1.1 No such user",
            "busy@example.org": "451 4.3.0 Try again later",
        ])
        defer { catcher.stop() }
        let client = SMTPClient(configuration: SMTPClientTests.plainConfiguration(catcher.url), workers: 1)
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(MailMessage(from: "a@oms.example", to: ["ok@example.org", recipient],
                                              subject: "s", body: "b"))
        }
        // The session stays usable for the next message.
        try await client.send(MailMessage(from: "a@oms.example", to: ["ok@example.org"], subject: "next", body: "b"))
        await client.shutdown()
        #expect(error?.code == .rejected)
        #expect(error?.replyCode == reply)
        #expect(error?.isPermanent == permanent)
        let delivered = try await catcher.waitForMessages(count: 1)
        #expect(delivered.map(\.subject) == ["next"])
    }
}
