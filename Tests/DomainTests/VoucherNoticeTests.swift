import Domain
import Testing

@Suite("Voucher notices")
struct VoucherNoticeTests {
    @Test("granted, updated, revoked, or nothing to tell", arguments: [
        (nil, "V-1", "Voucher has been granted to you, ID: V-1"),
        ("", "V-1", "Voucher has been granted to you, ID: V-1"),
        ("V-1", "V-2", "Voucher ID has been updated: V-2"),
        ("V-1", "", "Voucher has been revoked"),
        ("V-1", " ", "Voucher has been revoked"),
        ("V-1", nil, "Voucher has been revoked"),
        ("V-1", "V-1", nil),
        (nil, nil, nil),
        (nil, "", nil),
    ] as [(String?, String?, String?)])
    func notice(before: String?, after: String?, expected: String?) {
        #expect(VoucherNotice.message(before: before, after: after) == expected)
    }
}
