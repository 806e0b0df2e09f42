import Testing

/// Every end-to-end suite runs a whole system: four services as processes, with their
/// connections and a dozen quorum queues. They run one after another, so the machine and the
/// broker serve one system at a time; the lighter test targets still run beside them.
@Suite(.serialized)
struct EndToEnd {}
