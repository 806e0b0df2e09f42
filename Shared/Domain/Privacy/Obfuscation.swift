/// How secrets are hidden on reads: one placeholder everywhere, so clients can recognise it.
public enum Obfuscation {
    /// What a hidden value reads as: `<OBFUSCATED>`, exactly as the EOSC marketplace writes it.
    public static let placeholder = "<OBFUSCATED>"
}

extension MessageScope {
    /// The content a reader sees: `user_direct` content is hidden in every read, including the
    /// author's and the default OMS's, and shown in clear only in the response to the request
    /// that wrote it (`isWriteResponse`), so credentials for the user never flow back out.
    public func visibleContent(_ content: String, isWriteResponse: Bool = false) -> String {
        self == .userDirect && !isWriteResponse ? Obfuscation.placeholder : content
    }

    /// The event `changes` entry for a content edit, with `user_direct` content hidden on both
    /// sides; `nil` when the content did not change (no event is due).
    public func contentChange(before: String, after: String) -> FieldChange? {
        guard before != after else { return nil }
        return FieldChange(field: "content", before: visibleContent(before), after: visibleContent(after))
    }
}
