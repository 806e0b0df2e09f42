/// The breadth-first search behind every TMF `path(to:)`, written once so the order, item and
/// task machines cannot disagree on what "shortest" means.
///
/// Neighbours are visited in the enum's declaration order (`allCases`), so among several shortest
/// paths the same one always wins and the events a caller emits are reproducible.
/// Returns the states after `start` up to and including `target`, `[]` when they are equal,
/// `nil` when no sequence of allowed edges leads there.
func tmfShortestPath<State: CaseIterable & Hashable>(
    from start: State, to target: State, edges: [State: Set<State>]
) -> [State]? {
    if start == target { return [] }
    let order: [State] = Array(State.allCases)
    var cameFrom: [State: State] = [start: start]
    var frontier: [State] = [start]
    while !frontier.isEmpty {
        var next: [State] = []
        for state in frontier {
            let outgoing: Set<State> = edges[state] ?? []
            for neighbour in order where outgoing.contains(neighbour) && cameFrom[neighbour] == nil {
                cameFrom[neighbour] = state
                if neighbour == target { return unwind(to: target, from: start, cameFrom: cameFrom) }
                next.append(neighbour)
            }
        }
        frontier = next
    }
    return nil
}

/// Walks the predecessor links back from `target`, leaving `start` out of the result.
private func unwind<State: Hashable>(to target: State, from start: State, cameFrom: [State: State]) -> [State] {
    var path: [State] = [target]
    var current: State = target
    while let previous = cameFrom[current], previous != start {
        path.append(previous)
        current = previous
    }
    return path.reversed()
}
