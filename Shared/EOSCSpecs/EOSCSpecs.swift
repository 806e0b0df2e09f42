import Foundation
public import JSONSchema
public import Wire

/// The EOSC marketplace's OpenAPI documents and JSON schemas (`specs/eosc`), shipped unmodified
/// as this target's resources, and the checks built on them.
///
/// The files keep their relative layout because they refer to each other by relative `$ref`
/// (`offer_definitions.json#offer`, `../oms/offering/oms_read.json`). An executable finds them in
/// the `eosc-oms_EOSCSpecs.resources` folder next to it (the image copies it beside the binaries).
public enum EOSCSpecs {
    /// Every file by its path relative to `specs/eosc`, e.g. `offer/offer_definitions.json`
    /// (including `SOURCE.md`, the provenance note).
    public static let files: [String: [UInt8]] = loadFiles()

    /// The relative paths of all files, sorted.
    public static var paths: [String] { files.keys.sorted() }

    /// The bytes of one file as shipped, or `nil` for a path that is not one of them (so a
    /// caller can serve exactly these files and nothing else).
    public static func document(_ relativePath: String) -> [UInt8]? { files[relativePath] }

    /// Every `.json` file parsed, for validation. The files are part of the build, so a parse
    /// failure is a packaging error.
    public static let schemas: SchemaStore = {
        do {
            return try SchemaStore(parsing: files)
        } catch {
            fatalError("the shipped EOSC specs do not parse: \(error)")
        }
    }()

    /// Validates a request body as the marketplace does (the gem's rules, `nullable` ignored) and
    /// returns the gem's message for the first violation, or `nil`. `relativePath` names a schema
    /// file such as `project_item/project_item_update.json` (optionally with a `#fragment`).
    public static func validate(_ value: JSONValue, against relativePath: String) -> String? {
        schemas.validate(value, against: relativePath, options: .gem)?.message
    }

    static func loadFiles() -> [String: [UInt8]] {
        guard let root = Bundle.module.url(forResource: "eosc", withExtension: nil) else {
            fatalError("the EOSC specs are missing from the resource bundle \(Bundle.module.bundlePath)")
        }
        var files: [String: [UInt8]] = [:]
        let prefix = root.standardizedFileURL.path + "/"
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            files[String(path.dropFirst(prefix.count))] = Array(data)
        }
        return files
    }
}
