import EOSCSpecs
import Foundation
import JSONSchema
import Testing
import Wire

/// The shipped copy of `specs/eosc` and the response check the end-to-end tests run on every answer.
@Suite("EOSC specs: shipped files and response conformance")
struct EOSCSpecsTests {
    /// `../shared/specs/eosc` beside the repository, where the originals live on a development machine.
    static let originals: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/specs/eosc").standardizedFileURL

    @Test("the shipped files are byte-identical to specs/eosc, none missing, none added",
          .enabled(if: FileManager.default.fileExists(atPath: originals.path)))
    func copiesAreIdentical() throws {
        var originals: [String: [UInt8]] = [:]
        let prefix = Self.originals.path + "/"
        let walker = FileManager.default.enumerator(at: Self.originals, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let path = url.standardizedFileURL.path
            originals[String(path.dropFirst(prefix.count))] = Array(try Data(contentsOf: url))
        }
        #expect(originals.count > 40)
        #expect(EOSCSpecs.paths == originals.keys.sorted())
        for (path, bytes) in originals {
            #expect(EOSCSpecs.document(path) == bytes, "\(path) differs")
        }
        #expect(EOSCSpecs.document("SOURCE.md") != nil)
        #expect(EOSCSpecs.document("../specs/eosc/error.json") == nil)
    }

    @Test("every $ref of every shipped document resolves, and a broken one is reported")
    func referencesResolve() throws {
        #expect(EOSCSpecs.schemas.documents.count == EOSCSpecs.paths.count - 1)  // all but SOURCE.md
        #expect(EOSCSpecs.schemas.unresolvedReferences() == [])
        var documents = EOSCSpecs.schemas.documents
        documents["offer/offer_write.json"] = try OrderedJSON.parse(#"{"allOf": [{"$ref": "offer_definitions.json#ofer"}]}"#)
        #expect(SchemaStore(documents: documents).unresolvedReferences() == ["offer/offer_write.json: offer_definitions.json#ofer"])
    }

    static let oms: JSONValue = ["id": 1, "name": "SOMBO", "type": "global", "default": true]

    static func body(_ value: JSONValue) -> [UInt8] { Array(try! WireFormat.encode(value)) }

    @Test("a conforming OMS passes; one missing a required field fails with the gem's message")
    func missingRequiredField() {
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/oms/1", status: 200, body: Self.body(Self.oms)) == nil)
        var missing = Self.oms.objectValue!
        missing["default"] = nil
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/oms/1", status: 200, body: Self.body(.object(missing)))
                == "GET /api/v1/oms/{oms_id} 200: The property '#/' did not contain a required property of 'default'")
        let listed = Self.body(["omses": [.object(missing)]])
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/oms", status: 200, body: listed)
                == "GET /api/v1/oms 200: The property '#/omses/0' did not contain a required property of 'default'")
    }

    @Test("a trigger authorization without type basic breaks oms_read.json (const)")
    func triggerAuthorization() {
        var oms = Self.oms.objectValue!
        oms["trigger"] = ["url": "http://x", "method": "post", "authorization": ["type": "digest", "user": "u", "password": "p"]]
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/oms/7", status: 200, body: Self.body(.object(oms)))
                == "GET /api/v1/oms/{oms_id} 200: The property '#/trigger/authorization/type' value \"digest\" did not match constant 'basic'")
    }

    @Test("statuses: documented errors and undocumented 4xx/5xx must be the error shape; 202 is not judged")
    func statuses() {
        let path = "/api/v1/oms/1/projects/2/project_items/3?x=1"
        let error = Self.body(["error": "Project item not found"])
        #expect(EOSCSpecs.responseViolation(method: "PATCH", path: path, status: 404, body: error) == nil)
        #expect(EOSCSpecs.responseViolation(method: "PATCH", path: path, status: 401, body: error) == nil)
        #expect(EOSCSpecs.responseViolation(method: "PATCH", path: path, status: 503, body: error) == nil)
        #expect(EOSCSpecs.responseViolation(method: "PATCH", path: path, status: 400, body: Self.body(["message": "x"]))
                == "PATCH /api/v1/oms/{oms_id}/projects/{p_id}/project_items/{pi_id} 400: The property '#/' did not contain a required property of 'error'")
        #expect(EOSCSpecs.responseViolation(method: "PATCH", path: path, status: 202, body: Self.body(["request_id": "r"])) == nil)
        #expect(EOSCSpecs.responseViolation(method: "PATCH", path: path, status: 204, body: [])
                == "PATCH /api/v1/oms/{oms_id}/projects/{p_id}/project_items/{pi_id} 204: status 204 is not documented for PATCH /api/v1/oms/{oms_id}/projects/{p_id}/project_items/{pi_id}")
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/oms/1/events", status: 200, body: Array("{".utf8))?
                .hasPrefix("GET /api/v1/oms/{oms_id}/events 200: the body is not JSON") == true)
    }

    @Test("DELETE of an offer documents 200 without content: the body must be empty")
    func emptyBody() {
        let path = "/api/v1/resources/a-service/offers/2"
        #expect(EOSCSpecs.responseViolation(method: "DELETE", path: path, status: 200, body: []) == nil)
        #expect(EOSCSpecs.responseViolation(method: "DELETE", path: path, status: 200, body: Array("{}".utf8)) != nil)
    }

    @Test("requests the documents do not describe are not judged")
    func undocumented() {
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/projects/1", status: 200, body: Array("[]".utf8)) == nil)
        #expect(EOSCSpecs.responseViolation(method: "PATCH", path: "/api/v1/oms/1", status: 200, body: Array("[]".utf8)) == nil)
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/oms/1/nothing", status: 200, body: []) == nil)
    }

    @Test("resources: status and eid may be null (oneOf with null), offers nested by $ref across folders")
    func resource() {
        let resource: JSONValue = ["id": "a-service", "name": "A", "description": "d", "status": nil, "eid": nil,
                                   "available_omses": [["id": 1, "name": "SOMBO", "type": "global", "custom_params": [:]]]]
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/resources/a-service", status: 200, body: Self.body(resource)) == nil)
        var broken = resource.objectValue!
        broken["available_omses"] = [["id": 1, "name": "SOMBO", "type": "global", "default": true]]
        #expect(EOSCSpecs.responseViolation(method: "GET", path: "/api/v1/resources/a-service", status: 200, body: Self.body(.object(broken)))
                == "GET /api/v1/resources/{id} 200: The property '#/available_omses/0' contains additional properties [\"default\"] outside of the schema when none are allowed")
    }
}
