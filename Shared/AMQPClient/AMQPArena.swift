import CRabbitMQ
import Foundation

/// Owns C copies of strings and bytes for the duration of one rabbitmq-c call.
///
/// `amqp_bytes_t` only points at memory; `amqp_cstring_bytes(swiftString)` would point at a
/// temporary that Swift frees when that call returns (the trap in swift-interop.md §2.9).
/// Everything handed to rabbitmq-c here is malloc'd by the arena and freed when `with` returns.
final class AMQPArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    static func with<R>(_ body: (AMQPArena) throws -> R) rethrows -> R {
        let arena = AMQPArena()
        defer { arena.free() }
        return try body(arena)
    }

    func bytes(_ string: String) -> amqp_bytes_t { bytes(Array(string.utf8)) }

    func bytes(_ array: [UInt8]) -> amqp_bytes_t {
        guard !array.isEmpty, let p = malloc(array.count) else { return amqp_empty_bytes }
        allocations.append(p)
        array.withUnsafeBytes { src in p.copyMemory(from: src.baseAddress!, byteCount: array.count) }
        return amqp_bytes_t(len: array.count, bytes: p)
    }

    /// A header table whose entries live in the arena.
    func table(_ headers: [String: AMQPFieldValue]) -> amqp_table_t {
        guard !headers.isEmpty else { return amqp_empty_table }
        let count = headers.count
        let raw = malloc(MemoryLayout<amqp_table_entry_t>.stride * count)!
        allocations.append(raw)
        let entries = raw.bindMemory(to: amqp_table_entry_t.self, capacity: count)
        for (i, (key, value)) in headers.sorted(by: { $0.key < $1.key }).enumerated() {
            var entry = amqp_table_entry_t()
            entry.key = bytes(key)
            switch value {
            case .string(let s):
                entry.value.kind = UInt8(ascii: "S")
                entry.value.value.bytes = bytes(s)
            case .int(let v):
                entry.value.kind = UInt8(ascii: "l")
                entry.value.value.i64 = v
            case .bool(let b):
                entry.value.kind = UInt8(ascii: "t")
                entry.value.value.boolean = b ? 1 : 0
            case .double(let d):
                entry.value.kind = UInt8(ascii: "d")
                entry.value.value.f64 = d
            }
            (entries + i).initialize(to: entry)
        }
        return amqp_table_t(num_entries: Int32(count), entries: entries)
    }

    private func free() {
        for p in allocations { Foundation.free(p) }
        allocations.removeAll()
    }
}

/// Copies an `amqp_bytes_t` into a Swift string (the bytes belong to rabbitmq-c's buffers).
func string(_ bytes: amqp_bytes_t) -> String {
    guard bytes.len > 0, let p = bytes.bytes else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: p, count: bytes.len), as: UTF8.self)
}

/// Copies an `amqp_bytes_t` into a Swift array.
func array(_ bytes: amqp_bytes_t) -> [UInt8] {
    guard bytes.len > 0, let p = bytes.bytes else { return [] }
    return Array(UnsafeRawBufferPointer(start: p, count: bytes.len))
}

/// Reads the header kinds this system uses; nested tables and arrays (e.g. `x-death`) are skipped.
func headerValues(_ table: amqp_table_t) -> [String: AMQPFieldValue] {
    guard table.num_entries > 0, let entries = table.entries else { return [:] }
    var out: [String: AMQPFieldValue] = [:]
    for i in 0..<Int(table.num_entries) {
        let entry = entries[i]
        let key = string(entry.key)
        let v = entry.value.value
        switch entry.value.kind {
        case UInt8(ascii: "S"), UInt8(ascii: "x"): out[key] = .string(string(v.bytes))
        case UInt8(ascii: "t"): out[key] = .bool(v.boolean != 0)
        case UInt8(ascii: "b"): out[key] = .int(Int64(v.i8))
        case UInt8(ascii: "B"): out[key] = .int(Int64(v.u8))
        case UInt8(ascii: "s"): out[key] = .int(Int64(v.i16))
        case UInt8(ascii: "u"): out[key] = .int(Int64(v.u16))
        case UInt8(ascii: "I"): out[key] = .int(Int64(v.i32))
        case UInt8(ascii: "i"): out[key] = .int(Int64(v.u32))
        case UInt8(ascii: "l"): out[key] = .int(v.i64)
        case UInt8(ascii: "L"), UInt8(ascii: "T"): out[key] = .int(Int64(bitPattern: v.u64))
        case UInt8(ascii: "f"): out[key] = .double(Double(v.f32))
        case UInt8(ascii: "d"): out[key] = .double(v.f64)
        default: continue
        }
    }
    return out
}

extension AMQPProperties {
    /// Reads the properties of a received message (copies everything out of rabbitmq-c's buffers).
    init(_ p: amqp_basic_properties_t) {
        let flags = p._flags
        func has(_ flag: Int32) -> Bool { flags & amqp_flags_t(flag) != 0 }
        self.init(
            contentType: has(AMQP_BASIC_CONTENT_TYPE_FLAG) ? string(p.content_type) : nil,
            persistent: has(AMQP_BASIC_DELIVERY_MODE_FLAG) && p.delivery_mode == 2,
            messageID: has(AMQP_BASIC_MESSAGE_ID_FLAG) ? string(p.message_id) : nil,
            correlationID: has(AMQP_BASIC_CORRELATION_ID_FLAG) ? string(p.correlation_id) : nil,
            replyTo: has(AMQP_BASIC_REPLY_TO_FLAG) ? string(p.reply_to) : nil,
            type: has(AMQP_BASIC_TYPE_FLAG) ? string(p.type) : nil,
            timestamp: has(AMQP_BASIC_TIMESTAMP_FLAG) ? Int64(bitPattern: p.timestamp) : nil,
            expiration: has(AMQP_BASIC_EXPIRATION_FLAG) ? string(p.expiration) : nil,
            headers: has(AMQP_BASIC_HEADERS_FLAG) ? headerValues(p.headers) : [:])
    }

    /// Builds C properties whose strings live in `arena`.
    func cProperties(_ arena: AMQPArena) -> amqp_basic_properties_t {
        var p = amqp_basic_properties_t()
        var flags: Int32 = AMQP_BASIC_DELIVERY_MODE_FLAG
        p.delivery_mode = persistent ? 2 : 1
        if let contentType { flags |= AMQP_BASIC_CONTENT_TYPE_FLAG; p.content_type = arena.bytes(contentType) }
        if let messageID { flags |= AMQP_BASIC_MESSAGE_ID_FLAG; p.message_id = arena.bytes(messageID) }
        if let correlationID { flags |= AMQP_BASIC_CORRELATION_ID_FLAG; p.correlation_id = arena.bytes(correlationID) }
        if let replyTo { flags |= AMQP_BASIC_REPLY_TO_FLAG; p.reply_to = arena.bytes(replyTo) }
        if let type { flags |= AMQP_BASIC_TYPE_FLAG; p.type = arena.bytes(type) }
        if let timestamp { flags |= AMQP_BASIC_TIMESTAMP_FLAG; p.timestamp = UInt64(bitPattern: timestamp) }
        if let expiration { flags |= AMQP_BASIC_EXPIRATION_FLAG; p.expiration = arena.bytes(expiration) }
        if !headers.isEmpty { flags |= AMQP_BASIC_HEADERS_FLAG; p.headers = arena.table(headers) }
        p._flags = amqp_flags_t(flags)
        return p
    }
}
