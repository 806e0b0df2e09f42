internal import Foundation
internal import CCrypto

/// Hashes, MACs and randomness from OpenSSL's libcrypto, behind byte-array functions.
///
/// Nothing here is hand-written cryptography: SHA-256 is `EVP_Digest`, HMAC is `HMAC`, the
/// random bytes come from `RAND_bytes` and the comparison is `CRYPTO_memcmp`. Every call is
/// one short, non-blocking C call, so it is fine on any thread, the cooperative pool included.
public enum Crypto {
    /// The SHA-256 digest (32 bytes) of `bytes`, e.g. to store an API token's hash rather than
    /// the token.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        withBytes(bytes) { input in
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            // EVP_Digest reads `input` for the call only and writes at most EVP_MAX_MD_SIZE
            // bytes into `digest`; NULL engine means the default provider.
            let ok = EVP_Digest(input.baseAddress!, input.count, &digest, &length, EVP_sha256(), nil)
            precondition(ok == 1, "EVP_Digest(SHA-256) failed")
            return Array(digest.prefix(Int(length)))
        }
    }

    /// The lowercase hex SHA-256 of the UTF-8 text.
    public static func sha256Hex(_ text: String) -> String {
        hex(sha256(Array(text.utf8)))
    }

    /// HMAC-SHA-256 (32 bytes) of `message` under `key`, e.g. to sign a webhook body.
    public static func hmacSHA256(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
        withBytes(message) { input in
            withBytes(key) { keyBytes in
                var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
                var length: UInt32 = 0
                // HMAC reads `key` and `input` for the call only and writes the MAC into `mac`
                // (at most EVP_MAX_MD_SIZE bytes). It returns NULL on failure.
                let result = HMAC(EVP_sha256(), keyBytes.baseAddress!, Int32(keyBytes.count),
                                  input.baseAddress!.assumingMemoryBound(to: UInt8.self), input.count,
                                  &mac, &length)
                precondition(result != nil, "HMAC(SHA-256) failed")
                return Array(mac.prefix(Int(length)))
            }
        }
    }

    /// Lowercase hexadecimal, two digits per byte.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` bytes from OpenSSL's CSPRNG, for tokens, ids and nonces.
    ///
    /// - Important: stops the process if the generator fails: carrying on with predictable
    ///   "random" tokens would be worse than crashing.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "randomBytes needs a non-negative count")
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        // RAND_bytes fills exactly `count` bytes of our buffer and returns 1 on success.
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { fatalError("RAND_bytes failed: the CSPRNG is not available") }
        return bytes
    }

    /// A random token: `prefix` followed by `bytes` random bytes in unpadded base64url
    /// (`A-Z a-z 0-9 - _`), safe in URLs, headers and file names. The default 30 bytes
    /// (240 bits) give 40 characters.
    public static func randomToken(prefix: String = "", bytes: Int = 30) -> String {
        prefix + base64URL(randomBytes(bytes))
    }

    /// Whether `a` and `b` are equal, in time that does not depend on where they differ, for
    /// comparing MACs and token hashes. Different lengths return `false` at once (the length
    /// of a MAC or hash is not a secret).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        // CRYPTO_memcmp reads `count` bytes of each buffer during the call; 0 means equal.
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, a.count) == 0
            }
        }
    }

    /// Unpadded base64url (RFC 4648 §5) of `bytes`, via Foundation's base64.
    public static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Runs `body` with the bytes of `collection` contiguous in memory, copying only when the
    /// collection is not already contiguous. `baseAddress` is never nil, even for no bytes,
    /// because OpenSSL may reject a NULL pointer whatever the length.
    private static func withBytes<R>(
        _ collection: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        if collection.isEmpty {
            let placeholder: [UInt8] = [0]
            return placeholder.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<0])) }
        }
        if let result = collection.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(collection).withUnsafeBytes(body)
    }
}
