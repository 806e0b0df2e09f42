// oms-bench: measures orders/s, create latency and 201-to-trigger latency against the running system.
import BenchApp
import ServiceRuntime

let code = await Bench.main(arguments: Array(CommandLine.arguments.dropFirst()))
ProcessEnvironment.exit(code)
