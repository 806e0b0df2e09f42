import PostgresClient

extension Ctl {
    /// `prune [--older-than-days N]`: removes bookkeeping that only guards against duplicates and
    /// has outlived its use, in chunks so no lock is held long. What goes, older than N days
    /// (default 30): inbox rows (a redelivery that late no longer happens), delivered rows of the
    /// delivery log (dead and retrying ones stay for operators), and stored request outcomes (an
    /// `Idempotency-Key` is honoured for N days). Orders, items, messages and events are never
    /// touched: OMSes page through events by time.
    func prune(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "prune", options: ["older-than-days"])
        let days = try args.int("older-than-days", in: 1...36_500) ?? 30
        let counts = try await withDatabase { conn -> PruneCounts in
            let cutoff = try await conn.query("SELECT (now() - make_interval(days => \(days)))::text AS t")[0].string("t")
            func chunks(_ delete: (String) -> PostgresQuery) async throws -> Int64 {
                var total: Int64 = 0
                while true {
                    let n = try await conn.query(delete(cutoff))[0].int("n")
                    total += n
                    if n < Self.pruneChunk { return total }
                }
            }
            return PruneCounts(
                inbox: try await chunks { cutoff in """
                    WITH d AS (DELETE FROM inbox WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM inbox WHERE processed_at < \(cutoff)::timestamptz LIMIT \(Self.pruneChunk)))
                        RETURNING 1)
                    SELECT count(*) AS n FROM d
                    """ },
                deliveries: try await chunks { cutoff in """
                    WITH d AS (DELETE FROM deliveries WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM deliveries WHERE status = 'delivered' AND delivered_at < \(cutoff)::timestamptz
                        LIMIT \(Self.pruneChunk)))
                        RETURNING 1)
                    SELECT count(*) AS n FROM d
                    """ },
                requests: try await chunks { cutoff in """
                    WITH d AS (DELETE FROM requests WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM requests WHERE created_at < \(cutoff)::timestamptz LIMIT \(Self.pruneChunk)))
                        RETURNING 1)
                    SELECT count(*) AS n FROM d
                    """ })
        }
        output.json(counts)
    }

    /// Rows deleted per statement.
    static let pruneChunk: Int64 = 5_000
}

struct PruneCounts: Encodable {
    let inbox: Int64
    let deliveries: Int64
    let requests: Int64
}
