/// Ruby's `Regexp.new(pattern).match(text)`: an unanchored search. Swift's regex syntax covers
/// the Ruby features schemas use (classes, anchors, quantifiers, groups); a pattern Swift cannot
/// compile matches nothing.
enum RubyRegex {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return text.contains(regex)
    }
}

/// The `format` checks of the gem's draft-4 validator.
enum Formats {
    /// RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`, a real calendar date.
    static func isRFC3339DateTime(_ text: String) -> Bool {
        let c = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= c.count else { return nil }
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c[i]) else { return nil }
                value = value * 10 + Int(c[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard c.count >= 20, let year = digits(0..<4), c[4] == UInt8(ascii: "-"), let month = digits(5..<7),
              c[7] == UInt8(ascii: "-"), let day = digits(8..<10), c[10] == UInt8(ascii: "T") || c[10] == UInt8(ascii: "t"),
              let hour = digits(11..<13), c[13] == UInt8(ascii: ":"), let minute = digits(14..<16),
              c[16] == UInt8(ascii: ":"), let second = digits(17..<19) else { return false }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return false }
        var i = 19
        if c[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < c.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < c.count else { return false }
        if c[i] == UInt8(ascii: "Z") || c[i] == UInt8(ascii: "z") { return i + 1 == c.count }
        guard c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-"), i + 6 == c.count,
              let h = digits((i + 1)..<(i + 3)), c[i + 3] == UInt8(ascii: ":"), let m = digits((i + 4)..<(i + 6)) else {
            return false
        }
        return h <= 23 && m <= 59
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Dotted quad, each part 0–255.
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && (Int(part).map { $0 <= 255 } ?? false)
        }
    }

    /// Eight groups of one to four hex digits, or fewer around one `::`, optionally ending in an IPv4 quad.
    static func isIPv6(_ text: String) -> Bool {
        var body = Substring(text)
        var groupsNeeded = 8
        if let lastColon = body.lastIndex(of: ":"), body[body.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(body[body.index(after: lastColon)...])) else { return false }
            body = body[...lastColon]
            if !body.hasSuffix("::") { body = body.dropLast() }
            groupsNeeded = 6
        }
        let halves = body.components(separatedByDoubleColon: ())
        func groups(_ s: Substring) -> [Substring]? {
            if s.isEmpty { return [] }
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            let valid = parts.allSatisfy { p in (1...4).contains(p.count) && p.allSatisfy(\.isHexDigit) }
            return valid ? parts : nil
        }
        switch halves.count {
        case 1:
            guard let g = groups(halves[0]) else { return false }
            return g.count == groupsNeeded
        case 2:
            guard let a = groups(halves[0]), let b = groups(halves[1]) else { return false }
            return a.count + b.count < groupsNeeded
        default:
            return false
        }
    }
}

private extension Substring {
    /// Splits at every `::`.
    func components(separatedByDoubleColon _: Void) -> [Substring] {
        var out: [Substring] = []
        var start = startIndex
        var i = startIndex
        while i < endIndex {
            let next = index(after: i)
            if self[i] == ":", next < endIndex, self[next] == ":" {
                out.append(self[start..<i])
                i = index(after: next)
                start = i
            } else {
                i = next
            }
        }
        out.append(self[start..<endIndex])
        return out
    }
}
