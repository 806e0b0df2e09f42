import Domain
import Testing

/// The order state derived from its items (research/tmf622.md §2.3), one hand-computed row each.
@Suite("TMF622 order state derivation")
struct TMFDerivationTests {
    static let cases: [([TMFItemState], CancellationPhase?, TMFOrderState)] = [
        ([], nil, .acknowledged),
        ([.acknowledged], nil, .acknowledged),
        ([.acknowledged, .acknowledged], nil, .acknowledged),
        ([.inProgress], nil, .inProgress),
        ([.acknowledged, .inProgress], nil, .inProgress),
        ([.pending, .inProgress], nil, .inProgress),
        ([.held, .inProgress], nil, .inProgress),
        ([.held, .pending], nil, .held),
        ([.pending, .acknowledged], nil, .pending),
        ([.pending, .completed], nil, .pending),
        ([.completed, .acknowledged], nil, .inProgress),        // delivery has begun somewhere
        ([.failed, .acknowledged], nil, .acknowledged),
        ([.completed, .assessingCancellation], nil, .inProgress),
        ([.pendingCancellation], nil, .acknowledged),
        ([.completed], nil, .completed),
        ([.completed, .completed, .completed], nil, .completed),
        ([.cancelled, .cancelled], nil, .cancelled),
        ([.rejected, .rejected], nil, .rejected),
        ([.failed], nil, .failed),
        ([.completed, .failed], nil, .partial),
        ([.completed, .cancelled], nil, .partial),
        ([.completed, .rejected, .failed], nil, .partial),
        ([.failed, .rejected], nil, .failed),
        ([.failed, .cancelled], nil, .failed),
        ([.rejected, .cancelled], nil, .rejected),
        ([.completed, .inProgress, .failed], nil, .inProgress),
        ([.inProgress], .refused, .inProgress),
        ([.completed, .completed], .refused, .completed),
        ([], .refused, .acknowledged),
        ([.inProgress], .assessing, .assessingCancellation),
        ([.completed], .assessing, .assessingCancellation),
        ([.acknowledged], .pending, .pendingCancellation),
        ([.inProgress, .completed], .done, .cancelled),
        ([], .done, .cancelled),
    ]

    @Test("state(items:cancellation:) for hand-computed combinations", arguments: cases)
    func derive(items: [TMFItemState], cancellation: CancellationPhase?, expected: TMFOrderState) {
        #expect(TMFOrderDerivation.state(items: items, cancellation: cancellation) == expected)
        // The items are a set of lines: their order must not matter.
        #expect(TMFOrderDerivation.state(items: items.reversed(), cancellation: cancellation) == expected)
    }

    @Test("a single item makes the order what the item is (no partial from one item)", arguments: TMFItemState.allCases)
    func singleItem(item: TMFItemState) {
        let expected: String
        switch item.rawValue {
        case "assessingCancellation", "pendingCancellation": expected = "acknowledged"
        default: expected = item.rawValue
        }
        #expect(TMFOrderDerivation.state(items: [item], cancellation: nil).rawValue == expected)
    }

    @Test("the order is final exactly when every item is final (without a cancellation under way)",
          arguments: TMFItemState.allCases)
    func finalIffItemsFinal(other: TMFItemState) {
        for first in TMFItemState.allCases {
            let derived = TMFOrderDerivation.state(items: [first, other], cancellation: nil)
            #expect(derived.isFinal == (first.isFinal && other.isFinal), "\(first), \(other) → \(derived)")
        }
    }
}
