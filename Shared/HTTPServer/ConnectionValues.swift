import CMicroHTTPD
import HTTPCore

/// Reads what libmicrohttpd parsed from a request head into Swift values.
///
/// Only valid during an access-handler call for `connection`: MHD owns the strings in the
/// connection's memory pool and reuses it for the next request.
enum ConnectionValues {
    /// Every header in arrival order, repeats included. `MHD_lookup_connection_value` would
    /// return only the first of a repeated header, which hides a duplicate `Content-Length`.
    static func headers(of connection: OpaquePointer) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in pairs(of: connection, kind: .HEADER_KIND) { headers.add(name, value) }
        return headers
    }

    /// The query parameters in order, repeats included, as MHD decoded them (`%XX` and `+`).
    /// A name without `=` has an empty value.
    static func arguments(of connection: OpaquePointer) -> [QueryItem] {
        pairs(of: connection, kind: .GET_ARGUMENT_KIND).map { QueryItem(name: $0.0, value: $0.1) }
    }

    /// The peer's IP address as text, or `nil` if MHD does not know it.
    static func clientAddress(of connection: OpaquePointer) -> String? {
        // 64 bytes hold the longest IPv6 text (INET6_ADDRSTRLEN is 46). The buffer is ours and
        // only written during the call.
        var buffer = [CChar](repeating: 0, count: 64)
        let found = buffer.withUnsafeMutableBufferPointer { cmhd_client_address(connection, $0.baseAddress, $0.count) }
        guard found == 1 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Gathers key/value pairs during `MHD_get_connection_values_n`; reaches the C iterator
    /// through its `cls` because a C function pointer cannot capture.
    private final class Collector {
        var pairs: [(String, String)] = []
    }

    private static func pairs(of connection: OpaquePointer, kind: MHD_ValueKind) -> [(String, String)] {
        let collector = Collector()
        // The iterator runs synchronously inside this call, so an unretained reference is enough
        // while `withExtendedLifetime` keeps the collector alive.
        withExtendedLifetime(collector) {
            _ = MHD_get_connection_values_n(connection, kind, collectPair,
                                            Unmanaged.passUnretained(collector).toOpaque())
        }
        return collector.pairs
    }

    /// The `MHD_KeyValueIteratorN`: key and value are MHD's buffers with explicit lengths (so a
    /// decoded `%00` does not cut them short), valid during the call only; copy them. The value
    /// is NULL for a query parameter written without `=`.
    private static let collectPair: MHD_KeyValueIteratorN = { cls, _, key, keySize, value, valueSize in
        guard let cls else { return .NO }
        let collector = Unmanaged<Collector>.fromOpaque(cls).takeUnretainedValue()
        collector.pairs.append((text(key, keySize), text(value, valueSize)))
        return .YES
    }

    private static func text(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}
