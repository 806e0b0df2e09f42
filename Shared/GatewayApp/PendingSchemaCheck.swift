import Wire

// temporary: replaced at merge
extension Gateway {
    static func checkSchema(_ body: JSONValue, _ schemaFile: String) throws {}
}
