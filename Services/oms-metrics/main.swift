// oms-metrics: consumes every domain event into daily roll-ups; serves /metrics and the daily JSON API.
// Configuration: environment variables (README, "Configuration").
import MetricsApp
import ServiceRuntime

let code = await MetricsApp.main()
ProcessEnvironment.exit(code)
