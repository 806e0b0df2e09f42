public import Foundation

extension Crypto {
    /// A deterministic UUID for `name` within `namespace`: the first 16 bytes of
    /// SHA-256(namespace ‖ 0x00 ‖ name) with the RFC 9562 version 8 and variant bits set.
    ///
    /// The same client `Idempotency-Key` always maps to the same request id, so a retried
    /// request finds the row the first attempt created. The 0x00 separator keeps
    /// ("ab", "c") and ("a", "bc") apart.
    public static func uuid(namespace: String, name: String) -> UUID {
        var input = Array(namespace.utf8)
        input.append(0)
        input += name.utf8
        var bytes = Array(sha256(input).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8: custom, hash-based
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 0b10: RFC 9562
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
