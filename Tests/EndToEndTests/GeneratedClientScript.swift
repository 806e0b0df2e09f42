import Foundation

/// Runs one of the `Tests/GeneratedClient` scripts with the venv's python (prepared by
/// `deploy/generated-client.sh`) and only the given environment. - Returns: its exit status
/// and its standard output and error together.
func runGeneratedClientScript(_ name: String, python: String, environment: [String: String]) throws
    -> (status: Int32, output: String) {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GeneratedClient/\(name)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script.path]
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}
