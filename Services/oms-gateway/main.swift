// oms-gateway: every HTTP API (EOSC Offering and Ordering, user ordering, health, metrics).
// Configuration: environment variables (README, "Configuration").
import GatewayApp
import ServiceRuntime

let code = await GatewayApp.main()
ProcessEnvironment.exit(code)
