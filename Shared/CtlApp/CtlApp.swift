public import ServiceRuntime

/// `omsctl`: the operator's command line (see ``Ctl`` for the commands and ``Usage`` for help).
public enum CtlApp {
    /// Runs the process's command line. - Returns: the exit status.
    public static func main(arguments: [String] = Array(CommandLine.arguments.dropFirst()),
                            environment: Environment = .process) async -> Int32 {
        await Ctl(environment: environment).run(arguments)
    }
}
