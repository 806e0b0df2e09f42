import HTTPCore
internal import Foundation

/// A message ready for libcurl: the SMTP envelope and the RFC 5322 bytes.
struct RenderedMail: Sendable {
    var envelopeFrom: String
    var recipients: [String]
    var data: [UInt8]
}

extension MailMessage {
    /// Header names the client writes itself; an extra header may not repeat them.
    static let reservedHeaders: Set<String> = [
        "date", "from", "to", "cc", "bcc", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    /// The message as CRLF-terminated RFC 5322 text plus its envelope.
    ///
    /// The body goes out as `7bit` when it is short-lined ASCII and as `quoted-printable`
    /// otherwise, never as raw `8bit`: libcurl does not send `BODY=8BITMIME`, so 8-bit bytes
    /// could be mangled by a relay that only speaks 7-bit SMTP.
    func rendered(date: Date = Date()) throws(SMTPError) -> RenderedMail {
        func invalid(_ message: String) -> SMTPError { SMTPError(code: .invalidMessage, message: message) }

        guard let sender = MailEncoding.parseAddress(from) else { throw invalid("invalid sender address \"\(from)\"") }
        guard !to.isEmpty else { throw invalid("a message needs at least one recipient") }
        var recipients: [(displayName: String?, address: String)] = []
        for recipient in to {
            guard let parsed = MailEncoding.parseAddress(recipient) else {
                throw invalid("invalid recipient address \"\(recipient)\"")
            }
            recipients.append(parsed)
        }
        guard HTTPHeaders.isValidValue(subject) else { throw invalid("the subject contains CR, LF or NUL") }
        for (name, value) in headers {
            guard HTTPHeaders.isValidName(name), !name.contains(":") else { throw invalid("header name \"\(name)\" is not a token") }
            guard HTTPHeaders.isValidValue(value) else { throw invalid("header \(name) contains CR, LF or NUL") }
            guard !Self.reservedHeaders.contains(name.lowercased()) else {
                throw invalid("header \(name) is written by the client and cannot be set")
            }
        }

        let domain = sender.address[sender.address.index(after: sender.address.lastIndex(of: "@")!)...]
        var id = messageID ?? "\(UUID().uuidString.lowercased())@\(domain)"
        guard HTTPHeaders.isValidValue(id), !id.contains(" ") else { throw invalid("the Message-ID contains a space or line break") }
        if !id.hasPrefix("<") { id = "<\(id)>" }

        let lines = MailEncoding.lines(body)
        let isSevenBit = lines.allSatisfy { line in line.count <= 998 && line.allSatisfy { $0 < 0x80 && $0 != 0 } }
        var head: [String] = [
            "Date: \(MailEncoding.date(date))",
            "From: \(MailEncoding.headerAddress(displayName: sender.displayName, address: sender.address))",
            "To: " + recipients.map { MailEncoding.headerAddress(displayName: $0.displayName, address: $0.address) }
                .joined(separator: ",\r\n "),
            "Subject: \(MailEncoding.unstructuredValue(subject))",
            "Message-ID: \(id)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(isSevenBit ? "7bit" : "quoted-printable")",
        ]
        head += headers.map { "\($0.name): \(MailEncoding.unstructuredValue($0.value))" }

        var data: [UInt8] = []
        for line in head { data += Array(line.utf8) + [0x0D, 0x0A] }
        data += [0x0D, 0x0A]
        // Lines starting with "." are left as they are: libcurl dot-stuffs the upload itself
        // (checked by a test), so doubling them here would send ".." to the reader.
        for line in lines {
            data += isSevenBit ? line : MailEncoding.quotedPrintable(line)
            data += [0x0D, 0x0A]
        }
        return RenderedMail(envelopeFrom: sender.address, recipients: recipients.map(\.address), data: data)
    }
}
