// oms-notifier: delivers OMS triggers, e-mails and TMF622 callbacks, at least once.
// Configuration: environment variables (README, "Configuration").
import NotifierApp
import ServiceRuntime

let code = await NotifierApp.main()
ProcessEnvironment.exit(code)
