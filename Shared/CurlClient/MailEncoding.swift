import HTTPCore
internal import Foundation

/// The pieces of RFC 5322, RFC 2045 and RFC 2047 that a plain-text message needs.
enum MailEncoding {
    /// Splits `Display Name <user@host>` or `user@host` into its parts, or `nil` when the
    /// address has no `@`, contains spaces, controls, brackets or commas (which could smuggle
    /// a second recipient or header).
    static func parseAddress(_ text: String) -> (displayName: String?, address: String)? {
        let trimmed = text.trimmingSpaces()
        var displayName: String?
        var address = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = String(trimmed[..<open]).trimmingSpaces()
            displayName = name.isEmpty ? nil : name
        }
        let forbidden = Set("<>,;\"\\()[] \t".unicodeScalars)
        guard let at = address.firstIndex(of: "@"), at != address.startIndex,
              address.index(after: at) != address.endIndex,
              !address.unicodeScalars.contains(where: { forbidden.contains($0) || $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        if let displayName, !HTTPHeaders.isValidValue(displayName) { return nil }
        return (displayName, address)
    }

    /// An address for a `From` or `To` header: the display name quoted or RFC 2047 encoded
    /// as needed, then the address in angle brackets.
    static func headerAddress(displayName: String?, address: String) -> String {
        guard let displayName else { return address }
        if !isPlainASCII(displayName) {
            return encodedWords(displayName).joined(separator: " ") + " <\(address)>"
        }
        let escaped = displayName.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\" <\(address)>"
    }

    /// An unstructured header value (Subject, extra fields): as is when it is short printable
    /// ASCII, otherwise RFC 2047 `=?UTF-8?B?...?=` words folded onto continuation lines.
    static func unstructuredValue(_ value: String) -> String {
        if isPlainASCII(value), !value.contains("=?"), value.utf8.count <= 900 { return value }
        return encodedWords(value).joined(separator: "\r\n ")
    }

    /// RFC 2047 B-encoded words of at most 75 characters (45 UTF-8 bytes each), split only
    /// between Unicode scalars so no word holds half a character.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
            chunk.removeAll()
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 45 { flush() }
            chunk += bytes
        }
        flush()
        return words.isEmpty ? ["=?UTF-8?B??="] : words
    }

    /// Printable ASCII and spaces only, so the text can go into a header unencoded.
    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x09 || (0x20...0x7E).contains($0) }
    }

    /// `text` as lines without their terminators; CRLF, LF and lone CR all end a line.
    static func lines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var previousWasCR = false
        for byte in text.utf8 {
            switch byte {
            case 0x0D:
                lines.append([])
                previousWasCR = true
                continue
            case 0x0A:
                if !previousWasCR { lines.append([]) }
            default:
                lines[lines.count - 1].append(byte)
            }
            previousWasCR = false
        }
        if lines.count > 1, lines.last!.isEmpty { lines.removeLast() }  // the text's final newline
        return lines
    }

    /// Quoted-printable (RFC 2045 §6.7) for one line: `=XX` for non-ASCII, `=` and trailing
    /// whitespace, and soft breaks (`=` CRLF) to keep encoded lines within 76 characters.
    static func quotedPrintable(_ line: [UInt8]) -> [UInt8] {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        var width = 0
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            let literal = (byte == 0x20 || byte == 0x09) ? !isLast : (0x21...0x7E).contains(byte) && byte != 0x3D
            let piece: [UInt8] = literal ? [byte] : [0x3D, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            if width + piece.count > 75 {
                out += [0x3D, 0x0D, 0x0A]
                width = 0
            }
            out += piece
            width += piece.count
        }
        return out
    }

    /// An RFC 5322 date in UTC, e.g. `Tue, 25 Nov 2025 14:45:00 +0000`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
