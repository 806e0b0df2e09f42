import PostgresClient

extension Ctl {
    /// `provider set-response-time`: governance sets how long a provider has to answer a new
    /// order. Items already ordered keep their deadline; new items get the new one.
    func providerSetResponseTime(_ arguments: [String]) async throws {
        let args = try Arguments(arguments, command: "provider set-response-time", options: ["provider", "seconds"])
        let provider = try args.required("provider")
        guard let seconds = try args.int("seconds", in: 1...Int(Int32.max)) else {
            throw args.usageError("--seconds is required")
        }
        let row = try await withDatabase { conn in
            try await conn.query("""
                UPDATE providers SET response_time_seconds = \(seconds), updated_at = now()
                WHERE id = (SELECT id FROM providers WHERE pid = \(provider) OR id::text = \(provider)
                            ORDER BY (pid IS NOT DISTINCT FROM \(provider)) DESC LIMIT 1)
                RETURNING id, pid, response_time_seconds
                """).first
        }
        guard let row else { throw CtlError.invalid("no provider '\(provider)'") }
        output.json(ProviderResponseTime(providerID: try row.int("id"), pid: try row.optionalString("pid"),
                                         responseTimeSeconds: try row.int("response_time_seconds")))
    }
}

struct ProviderResponseTime: Encodable {
    let providerID: Int64
    let pid: String?
    let responseTimeSeconds: Int64

    enum CodingKeys: String, CodingKey { case providerID = "provider_id", pid, responseTimeSeconds = "response_time_seconds" }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(providerID, forKey: .providerID)
        try c.encode(pid, forKey: .pid)
        try c.encode(responseTimeSeconds, forKey: .responseTimeSeconds)
    }
}
