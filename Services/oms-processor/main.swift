// oms-processor: consumes commands, commits the order lifecycle, writes events and the outbox.
// Configuration: environment variables (README, "Configuration").
import ProcessorApp
import ServiceRuntime

let code = await ProcessorApp.main()
ProcessEnvironment.exit(code)
