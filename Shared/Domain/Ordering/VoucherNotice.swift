/// What the user is told when an OMS sets, changes or clears `user_secrets.voucher_id` of an
/// item: the EOSC marketplace posts these texts as a `user_direct` message from the provider.
public enum VoucherNotice {
    /// The message for a change of the voucher id, or `nil` when nothing the user must know
    /// changed. A blank id counts as none.
    public static func message(before: String?, after: String?) -> String? {
        let old = before.flatMap { MessageScope.isBlank($0) ? nil : $0 }
        let new = after.flatMap { MessageScope.isBlank($0) ? nil : $0 }
        switch (old, new) {
        case (nil, let granted?): return "Voucher has been granted to you, ID: \(granted)"
        case (_?, nil): return "Voucher has been revoked"
        case (let o?, let n?) where o != n: return "Voucher ID has been updated: \(n)"
        default: return nil
        }
    }
}
