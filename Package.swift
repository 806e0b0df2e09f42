// swift-tools-version: 6.2
// The EOSC Order Management System: one package, no package dependencies.
// C libraries come from Debian through the system-library targets in Shared/C*.
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]
/// Every target that is not a C wrapper: a pointer use here fails the build.
let safe: [SwiftSetting] = upcoming + [
    .strictMemorySafety(),
    .treatWarning("StrictMemorySafety", as: .error),
]

func system(_ name: String, _ pkg: String, _ apt: String) -> Target {
    .systemLibrary(name: name, path: "Shared/\(name)", pkgConfig: pkg, providers: [.apt([apt])])
}
func wrapper(_ name: String, _ deps: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: deps, path: "Shared/\(name)", swiftSettings: upcoming)
}
func library(_ name: String, _ deps: [Target.Dependency], resources: [Resource]? = nil) -> Target {
    .target(name: name, dependencies: deps, path: "Shared/\(name)", resources: resources, swiftSettings: safe)
}
func service(_ name: String, _ deps: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: deps, path: "Services/\(name)", swiftSettings: safe)
}
func tests(_ name: String, _ deps: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: deps, path: "Tests/\(name)", swiftSettings: upcoming)
}

let package = Package(
    name: "eosc-oms",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "oms-gateway", targets: ["oms-gateway"]),
        .executable(name: "oms-processor", targets: ["oms-processor"]),
        .executable(name: "oms-notifier", targets: ["oms-notifier"]),
        .executable(name: "oms-metrics", targets: ["oms-metrics"]),
        .executable(name: "omsctl", targets: ["omsctl"]),
        .executable(name: "oms-bench", targets: ["oms-bench"]),
    ],
    targets: [
        // C libraries (Debian packages).
        system("CLibPQ", "libpq", "libpq-dev"),
        system("CRabbitMQ", "librabbitmq", "librabbitmq-dev"),
        system("CMicroHTTPD", "libmicrohttpd", "libmicrohttpd-dev"),
        system("CCurl", "libcurl", "libcurl4-openssl-dev"),
        system("CCrypto", "libcrypto", "libssl-dev"),

        // The only targets allowed unsafe code: thin wrappers over the C libraries.
        wrapper("ThreadExecutor", []),
        wrapper("PostgresClient", ["CLibPQ", "ThreadExecutor"]),
        wrapper("AMQPClient", ["CRabbitMQ", "ThreadExecutor"]),
        wrapper("HTTPServer", ["CMicroHTTPD", "HTTPCore"]),
        wrapper("CurlClient", ["CCurl", "HTTPCore", "ThreadExecutor"]),
        wrapper("CryptoClient", ["CCrypto"]),

        // Safe libraries.
        library("Wire", []),
        library("HTTPCore", ["Wire"]),
        library("ServiceRuntime", ["Wire"]),
        library("Observability", ["HTTPCore", "HTTPServer", "ServiceRuntime", "Wire"]),
        library("Domain", ["Wire"]),
        library("JSONSchema", ["Wire"]),
        .target(name: "EOSCSpecs", dependencies: ["JSONSchema", "Wire"], path: "Shared/EOSCSpecs",
                resources: [.copy("eosc")], swiftSettings: safe),
        library("Contracts", ["Wire"]),
        library("Storage", ["Contracts", "PostgresClient", "Domain", "Wire"]),
        library("TMF622", ["Contracts", "Domain", "JSONSchema", "Wire"], resources: [.copy("Resources/tmf622-v4.swagger.json")]),
        library("Messaging", ["Contracts", "AMQPClient", "PostgresClient", "ServiceRuntime", "Observability", "Storage", "Wire"]),
        library("GatewayApp", ["Contracts", "HTTPCore", "HTTPServer", "Domain", "Storage", "Messaging", "Observability",
                               "ServiceRuntime", "PostgresClient", "AMQPClient", "CryptoClient", "EOSCSpecs", "TMF622", "Wire"],
                resources: [.copy("Resources/openapi.json")]),
        library("ProcessorApp", ["Contracts", "Domain", "Storage", "Messaging", "Observability", "ServiceRuntime",
                                 "PostgresClient", "AMQPClient", "HTTPCore", "HTTPServer", "TMF622", "Wire"]),
        library("NotifierApp", ["Contracts", "Domain", "Storage", "Messaging", "Observability", "ServiceRuntime",
                                "PostgresClient", "AMQPClient", "CurlClient", "CryptoClient", "HTTPCore",
                                "HTTPServer", "Wire"]),
        library("MetricsApp", ["Contracts", "Domain", "Storage", "Messaging", "Observability", "ServiceRuntime",
                               "PostgresClient", "AMQPClient", "HTTPCore", "HTTPServer", "Wire"]),
        library("CtlApp", ["Contracts", "Domain", "Storage", "Messaging", "ServiceRuntime", "PostgresClient", "AMQPClient",
                           "CryptoClient", "HTTPCore", "HTTPServer", "Wire"]),
        library("BenchApp", ["HTTPCore", "HTTPServer", "CurlClient", "PostgresClient", "ServiceRuntime", "Wire"]),

        // Executables: main.swift reads configuration and runs the services.
        service("oms-gateway", ["GatewayApp", "ServiceRuntime"]),
        service("oms-processor", ["ProcessorApp", "ServiceRuntime"]),
        service("oms-notifier", ["NotifierApp", "ServiceRuntime"]),
        service("oms-metrics", ["MetricsApp", "ServiceRuntime"]),
        service("omsctl", ["CtlApp", "ServiceRuntime"]),
        service("oms-bench", ["BenchApp", "ServiceRuntime"]),

        // Tests. Integration and end-to-end tests need the servers that deploy/test.sh starts.
        .target(name: "TestSupport", dependencies: ["PostgresClient", "AMQPClient", "CurlClient", "HTTPCore",
                                                    "HTTPServer", "ServiceRuntime", "Storage", "EOSCSpecs", "Wire"],
                path: "Tests/TestSupport", swiftSettings: upcoming),
        tests("DomainTests", ["Domain", "Wire"]),
        tests("SchemaTests", ["JSONSchema", "EOSCSpecs", "Wire"]),
        tests("WrapperTests", ["PostgresClient", "AMQPClient", "HTTPServer", "HTTPCore", "CurlClient",
                               "CryptoClient", "ThreadExecutor", "TestSupport"]),
        tests("ServiceTests", ["Contracts", "EOSCSpecs", "GatewayApp", "ProcessorApp", "NotifierApp", "MetricsApp", "CtlApp", "Messaging",
                               "Storage", "Observability", "ServiceRuntime", "HTTPCore", "Domain", "Wire",
                               "TestSupport", "PostgresClient", "AMQPClient"]),
        tests("EndToEndTests", ["TestSupport", "HTTPCore", "HTTPServer", "CurlClient", "CryptoClient", "PostgresClient", "EOSCSpecs",
                                 "Wire"]),
    ]
)
