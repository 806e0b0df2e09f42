import HTTPCore
internal import CCurl
import Synchronization

/// Set from any thread when the awaiting task is cancelled; read by the progress callback on
/// the worker thread, which then aborts the transfer.
final class CancelFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// The state one transfer's callbacks read and write.
///
/// It reaches the C callbacks only as the `void *` userdata (`Unmanaged.passUnretained`),
/// never through a capture. The worker keeps it alive with `withExtendedLifetime` for the
/// whole `curl_easy_perform`, and the callbacks run synchronously on that same thread, so
/// nothing here needs a lock.
final class TransferContext {
    let cancel: CancelFlag
    let maxResponseBytes: Int
    /// The response body so far.
    var body: [UInt8] = []
    /// The header fields of the latest response head (reset on every status line, so an
    /// interim `100 Continue` does not leak into the final response).
    var headers = HTTPHeaders()
    /// Set when the body went past `maxResponseBytes` and the write callback refused it.
    var exceededLimit = false
    /// The bytes libcurl uploads through the read callback (the SMTP message).
    let upload: [UInt8]
    var uploadOffset = 0

    init(cancel: CancelFlag, maxResponseBytes: Int = 0, upload: [UInt8] = []) {
        self.cancel = cancel
        self.maxResponseBytes = maxResponseBytes
        self.upload = upload
    }

    /// The pointer handed to libcurl as userdata. Valid only while the caller keeps `self`
    /// alive (see `withExtendedLifetime` at the call sites).
    var userdata: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ userdata: UnsafeMutableRawPointer?) -> TransferContext? {
        guard let userdata else { return nil }
        return Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    }
}

// The C callbacks. They are global functions, not closures: a closure that captured anything
// could not become a C function pointer (and crashes this compiler in Swift 6 mode).

/// CURLOPT_WRITEFUNCTION: `buffer` holds `size * count` body bytes owned by libcurl and valid
/// only during this call, so they are copied. Returning any other count aborts the transfer
/// with CURLE_WRITE_ERROR, which is how the size limit is enforced.
func ccurlWriteBody(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let context = TransferContext.from(userdata) else { return 0 }
    let length = size * count
    guard length > 0, let buffer else { return length }
    if context.body.count + length > context.maxResponseBytes {
        context.exceededLimit = true
        return 0
    }
    context.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}

/// CURLOPT_HEADERFUNCTION: called once per complete header line (CRLF included), buffer
/// owned by libcurl for the call only. Not NUL-terminated.
func ccurlWriteHeader(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let context = TransferContext.from(userdata) else { return 0 }
    let length = size * count
    guard length > 0, let buffer else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    context.takeHeaderLine(line)
    return length
}

/// CURLOPT_READFUNCTION: copy at most `size * count` bytes into libcurl's `buffer` (valid for
/// the call only) and return how many; 0 means the upload is complete.
func ccurlReadUpload(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let context = TransferContext.from(userdata), let buffer else { return Int(CURL_READFUNC_ABORT) }
    let length = min(size * count, context.upload.count - context.uploadOffset)
    guard length > 0 else { return 0 }
    context.upload.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(
            from: source.baseAddress! + context.uploadOffset, byteCount: length)
    }
    context.uploadOffset += length
    return length
}

/// CURLOPT_XFERINFOFUNCTION: called often during a transfer and about once a second while it
/// waits; a non-zero return aborts it with CURLE_ABORTED_BY_CALLBACK.
func ccurlProgress(
    _ userdata: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
    _ uploadTotal: curl_off_t, _ uploaded: curl_off_t
) -> Int32 {
    guard let context = TransferContext.from(userdata) else { return 0 }
    return context.cancel.isCancelled ? 1 : 0
}

extension TransferContext {
    /// Folds one raw header line into `headers`.
    func takeHeaderLine(_ raw: String) {
        var line = Substring(raw)
        while let last = line.last, last.isNewline { line.removeLast() }  // "\r\n" is one Character
        if line.isEmpty { return }  // the blank line that ends the head
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()  // a new response head: 1xx interim, then the final one
            return
        }
        if let first = line.first, first == " " || first == "\t", headers.count > 0 {
            headers.continueLastValue(line.trimmingSpaces())  // obsolete line folding
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        headers.add(String(line[..<colon]).trimmingSpaces(), line[line.index(after: colon)...].trimmingSpaces())
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
