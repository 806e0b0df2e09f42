/// The help text, one entry per command, so a usage error can show just the command at fault.
enum Usage {
    struct Entry {
        let command: String
        let synopsis: String
        let summary: String
    }

    static let entries: [Entry] = [
        Entry(command: "migrate", synopsis: "",
              summary: #"Applies the schema migrations (safe to run concurrently). Prints {"applied":[…],"skipped":[…]}."#),
        Entry(command: "seed-demo",
              synopsis: "--trigger-url URL --provider-email EMAIL --user-email EMAIL [--trigger-user U --trigger-password P] [--operator-email EMAIL]",
              summary: """
                  Creates or updates the demo catalogue (provider, service, offer, the default OMS SOMBO, the provider's OMS
                        with its trigger URL) and their users; issues new tokens. Prints one JSON object with user_token, oms_token,
                        operator_token, oms_id, default_oms_id, provider_id, provider_pid, resource_id, offer_id, trigger_url.
                  """),
        Entry(command: "trigger-sink", synopsis: "[--host 127.0.0.1] --port N [--status 204]",
              summary: "Answers every HTTP request with the status and prints each as a JSON line, until SIGTERM/SIGINT."),
        Entry(command: "token issue", synopsis: "--user UID [--label TEXT]",
              summary: #"Issues a token (only its SHA-256 is stored). Prints {"token":…,"token_id":…,"user":…}."#),
        Entry(command: "token revoke", synopsis: "--user UID",
              summary: #"Revokes every token of the user. Prints {"revoked":N,"user":…}."#),
        Entry(command: "user create", synopsis: "--uid UID --email EMAIL [--first-name NAME] [--last-name NAME] [--role ROLE]...",
              summary: "Creates a user; roles: \(Ctl.knownRoles.joined(separator: ", ")) (default user). Prints {\"id\":…,\"uid\":…,\"roles\":[…]}."),
        Entry(command: "oms register",
              synopsis: "--name NAME --type global|provider_group|resource_dedicated [--default] [--trigger-url URL] [--trigger-method get|post|put] [--trigger-user U --trigger-password P] [--admin UID]... [--provider PID]... [--service SLUG] [--custom-params JSON]",
              summary: #"Registers an OMS. Prints {"id":…}."#),
        Entry(command: "oms list", synopsis: "",
              summary: "Prints one JSON line per OMS with its trigger and health (last trigger success and error, last events poll)."),
        Entry(command: "provider set-response-time", synopsis: "--provider PID --seconds N",
              summary: "Sets how long the provider has to answer a new order (governance)."),
        Entry(command: "dead-letters list", synopsis: "",
              summary: "Prints one JSON line per delivery that was given up (status dead)."),
        Entry(command: "dead-letters replay", synopsis: "(--id UUID... | --all)",
              summary: #"Moves parked deliveries back to the notifier with x-attempt 0. Prints {"replayed":N,"not_found":[…]}."#),
        Entry(command: "prune", synopsis: "[--older-than-days 30]",
              summary: #"Deletes inbox rows, delivered delivery-log rows and stored request outcomes older than that (an Idempotency-Key is honoured that long). Prints {"inbox":N,"deliveries":N,"requests":N}."#),
        Entry(command: "help", synopsis: "", summary: "Prints this text."),
    ]

    /// The text for one command or group (`oms`, `oms register`), or for all when `nil` or unknown.
    static func text(for command: String?) -> String {
        let chosen = entries.filter { entry in
            guard let command else { return false }
            return entry.command == command || entry.command.hasPrefix(command + " ")
        }
        let shown = chosen.isEmpty ? entries : chosen
        var lines = ["usage: omsctl <command> [options]", ""]
        for entry in shown {
            lines.append("  omsctl \(entry.command)" + (entry.synopsis.isEmpty ? "" : " \(entry.synopsis)"))
            lines.append("      \(entry.summary)")
        }
        if chosen.isEmpty {
            lines += ["",
                      "environment: OMS_DATABASE_URL (default postgresql://postgres@127.0.0.1:55432/oms), OMS_DATABASE_SCHEMA,",
                      "             OMS_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672/%2f)",
                      "exit status: 0 success, 1 failure, 2 bad usage or configuration"]
        }
        return lines.joined(separator: "\n")
    }
}
