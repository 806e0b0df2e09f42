public import Foundation

/// The one place that owns JSON settings for every body, message and log line.
///
/// Keys are sorted so output is deterministic (tests and signatures compare bytes), slashes are
/// not escaped (URLs stay readable), and `Date` is RFC 3339 UTC with six fractional digits, the
/// same text as ``Timestamp``. A `Date` holds every microsecond only until 2106 and goes through a
/// `Double`; values that must survive a round trip exactly (the events cursor) use ``Timestamp``.
public enum WireFormat {
    /// A new encoder with the project's settings. `JSONEncoder` is a class; make one per use site
    /// or share one that is never reconfigured.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp(date).rfc3339)
        }
        return encoder
    }

    /// A new decoder with the project's settings (dates as RFC 3339 with or without a fraction).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let t = Timestamp(parsing: text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an RFC 3339 date-time: \(text)")
            }
            return t.date
        }
        return decoder
    }

    private static let sharedEncoder = makeEncoder()
    private static let sharedDecoder = makeDecoder()

    /// Encodes `value` with the shared settings.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try sharedEncoder.encode(value))
    }

    /// Encodes `value` as a UTF-8 string.
    public static func encodeString(_ value: some Encodable) throws -> String {
        String(decoding: try sharedEncoder.encode(value), as: UTF8.self)
    }

    /// Decodes a `T` from JSON bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try sharedDecoder.decode(type, from: Data(bytes))
    }

    /// Decodes a `T` from a JSON string.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try sharedDecoder.decode(type, from: Data(text.utf8))
    }
}
