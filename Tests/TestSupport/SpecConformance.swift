import EOSCSpecs
import Testing

/// The compatibility check of issue 3: every response a test receives from a path the EOSC
/// specs describe (`/api/v1/oms…`, `/api/v1/resources…`, `/api/v1/users…`) is validated against
/// the response schema `specs/eosc` gives for that operation and status. A response that does
/// not conform fails the test that received it, at the line that sent the request.
///
/// The rules for statuses the specs do not list are those of ``EOSCSpecs/responseViolation(method:path:status:body:)``.
public enum SpecConformance {
    static let prefixes = ["/api/v1/oms", "/api/v1/resources", "/api/v1/users"]

    /// Whether `path` (a request target, query allowed) is one the specs describe.
    public static func isSpecified(_ path: String) -> Bool {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        return prefixes.contains { bare == $0 || bare.hasPrefix($0 + "/") }
    }

    /// Records an issue on the current test when the response breaks the specs; returns the violation.
    @discardableResult
    public static func check(method: String, path: String, status: Int, body: [UInt8],
                             fileID: String = #fileID, filePath: String = #filePath,
                             line: Int = #line, column: Int = #column) -> String? {
        guard isSpecified(path),
              let violation = EOSCSpecs.responseViolation(method: method, path: path, status: status, body: body) else {
            return nil
        }
        Issue.record("response does not conform to specs/eosc: \(violation)\nbody: \(String(decoding: body.prefix(2000), as: UTF8.self))",
                     sourceLocation: SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column))
        return violation
    }
}
