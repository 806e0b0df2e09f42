import CtlApp
import ServiceRuntime

// omsctl: migrate, seed the demo, issue tokens, register OMSes, replay dead letters.
// Every command prints JSON on stdout and exits 0 (success), 1 (failure) or 2 (bad usage).
ProcessEnvironment.exit(await CtlApp.main())
