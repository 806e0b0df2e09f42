/// URL percent-encoding (RFC 3986), kept here so no module hand-rolls it twice.
public enum PercentEncoding {
    /// Decodes `%XX` escapes (and `+` as a space in query strings). `nil` for a malformed escape
    /// or bytes that are not UTF-8.
    public static func decode(_ text: String, plusIsSpace: Bool) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var it = Array(text.utf8)[...]
        while let c = it.popFirst() {
            if c == 37 {
                guard let h = it.popFirst(), let l = it.popFirst(), let hv = hex(h), let lv = hex(l) else { return nil }
                out.append(hv << 4 | lv)
            } else if c == 43 && plusIsSpace {
                out.append(32)
            } else {
                out.append(c)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Encodes everything but RFC 3986 unreserved characters, for a query value or path segment.
    public static func encode(_ text: String) -> String {
        var out = ""
        for c in text.utf8 {
            switch c {
            case 48...57, 65...90, 97...122, 45, 46, 95, 126: out.unicodeScalars.append(Unicode.Scalar(c))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [digits[Int(c >> 4)], digits[Int(c & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 65...70: return c - 55
        case 97...102: return c - 87
        default: return nil
        }
    }
}
