import CryptoClient
import Foundation
import Testing

/// `Crypto` against published test vectors and its own contracts.
@Suite("Crypto over libcrypto")
struct CryptoTests {
    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    @Test("SHA-256 matches the FIPS 180-2 vectors", arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256Vectors(input: String, expected: String) {
        #expect(Crypto.sha256Hex(input) == expected)
        #expect(Crypto.sha256(Array(input.utf8)) == Self.bytes(hex: expected))
        // A collection without contiguous storage takes the copying path.
        #expect(Crypto.sha256(input.utf8.lazy.map { $0 }) == Self.bytes(hex: expected))
    }

    @Test("SHA-256 of a slice hashes only the slice")
    func sha256OfSlice() {
        let bytes = Array("xxabcxx".utf8)
        #expect(Crypto.hex(Crypto.sha256(bytes[2..<5]))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("HMAC-SHA-256 matches RFC 4231 test cases 1, 2 and 6, and the empty key and message", arguments: [
        (String(repeating: "0b", count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ("", [], "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
    ])
    func hmacVectors(keyHex: String, message: [UInt8], expected: String) {
        #expect(Crypto.hex(Crypto.hmacSHA256(key: Self.bytes(hex: keyHex), message: message)) == expected)
    }

    @Test("hex is lowercase, two digits per byte")
    func hex() {
        #expect(Crypto.hex([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
        #expect(Crypto.hex([UInt8]()) == "")
    }

    @Test("random bytes have the asked length and differ between calls")
    func randomBytes() {
        #expect(Crypto.randomBytes(0) == [])
        let first = Crypto.randomBytes(32)
        let second = Crypto.randomBytes(32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(first != [UInt8](repeating: 0, count: 32))
    }

    @Test("random tokens are URL-safe, unpadded, prefixed and unique")
    func randomTokens() {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let tokens = (0..<2000).map { _ in Crypto.randomToken(prefix: "oms_") }
        #expect(Set(tokens).count == tokens.count)
        for token in tokens.prefix(200) {
            #expect(token.hasPrefix("oms_"))
            #expect(token.count == 4 + 40)  // 30 bytes = 240 bits = 40 base64 characters
            #expect(token.dropFirst(4).allSatisfy { allowed.contains($0) })
        }
        // 32 bytes need padding in standard base64 ("...="); the token has none.
        let odd = Crypto.randomToken(bytes: 32)
        #expect(odd.count == 43)
        #expect(odd.allSatisfy { allowed.contains($0) })
        // Across many tokens the URL-safe alphabet's "-" and "_" do appear (not "+" or "/").
        let joined = tokens.joined()
        #expect(joined.contains("-") && joined.contains("_"))
    }

    @Test("base64url replaces + and / and drops padding")
    func base64URL() {
        #expect(Crypto.base64URL([0xFB, 0xFF]) == "-_8")
        #expect(Crypto.base64URL(Array("abcd".utf8)) == "YWJjZA")
    }

    @Test("constant-time comparison tells equal from different, including length")
    func constantTimeEqual() {
        let mac = Crypto.hmacSHA256(key: [1, 2, 3], message: Array("body".utf8))
        var tampered = mac
        tampered[31] ^= 0x01
        #expect(Crypto.constantTimeEqual(mac, mac))
        #expect(!Crypto.constantTimeEqual(mac, tampered))
        #expect(!Crypto.constantTimeEqual(mac, Array(mac.prefix(31))))
        #expect(Crypto.constantTimeEqual([], []))
        #expect(!Crypto.constantTimeEqual([], [0]))
    }

    @Test("uuid(namespace:name:) is deterministic, differs per name and namespace, and is version 8")
    func deterministicUUID() {
        let first = Crypto.uuid(namespace: "oms.request", name: "idem-key-1")
        #expect(first == Crypto.uuid(namespace: "oms.request", name: "idem-key-1"))
        // The first 16 bytes of SHA-256("oms.request\0idem-key-1"), computed independently.
        #expect(first.uuidString.lowercased() == "e4c9c24f-bf75-82fb-afba-28e9e02cd5c4")
        #expect(first != Crypto.uuid(namespace: "oms.request", name: "idem-key-2"))
        #expect(first != Crypto.uuid(namespace: "oms.other", name: "idem-key-1"))
        // The separator keeps the boundary between namespace and name.
        #expect(Crypto.uuid(namespace: "ab", name: "c") != Crypto.uuid(namespace: "a", name: "bc"))
        for name in (0..<200).map({ "key-\($0)" }) {
            let bytes = Crypto.uuid(namespace: "ns", name: name).uuid
            #expect(bytes.6 >> 4 == 8, "version nibble")
            #expect(bytes.8 >> 6 == 0b10, "RFC 9562 variant")
        }
    }
}
