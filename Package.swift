// swift-tools-version: 6.2
// Till: a point-of-sale storefront in a terminal. See README.md for the module map.
import PackageDescription

let package = Package(
  name: "Till",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "till", targets: ["till"]),
    .executable(name: "till-server", targets: ["till-server"]),
    .executable(name: "till-payments-sandbox", targets: ["till-payments-sandbox"]),
    .executable(name: "till-bench", targets: ["till-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
    .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", exact: "0.2.0"),
    // Already resolved through Hummingbird and postgres-nio; declared because TillServer imports them.
    .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
    .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
    .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
    // bcrypt for staff PINs.
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", exact: "2.5.0"),
    .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
    .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
  ],
  targets: [
    // Domain and wire types. Imports Foundation only.
    .target(name: "TillCore"),
    // The version every executable's --version prints, with the commit BuildInfoPlugin stamps from the
    // local git checkout before each build (no network).
    .target(name: "TillVersion", plugins: ["BuildInfoPlugin"]),
    .plugin(name: "BuildInfoPlugin", capability: .buildTool(), path: "Sources/BuildInfoPlugin"),
    // Receipt layout: plain text and ESC/POS bytes for thermal printers, from an order's stored figures.
    .target(name: "TillReceipt", dependencies: ["TillCore"]),
    // Data files (demo catalogue, OpenAPI description) and the one accessor that finds them; the systemd
    // files are for installing till-server, not part of any build.
    .target(
      name: "TillResources",
      path: "Resources",
      exclude: ["systemd"],
      sources: ["TillResources.swift"],
      resources: [.copy("catalogue.json"), .copy("openapi.yaml")]
    ),
    // Store protocol and its engines.
    .target(
      name: "TillStore",
      dependencies: [
        "TillCore", "TillResources",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ]
    ),
    // Tiny C shims for APIs Swift cannot call directly (variadic functions, macros, globals).
    .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("curl")]),
    .target(name: "CNCursesShim", linkerSettings: [.linkedLibrary("ncursesw")]),
    .target(name: "CSpawnShim"),
    // libcurl transport and the typed API client on top of it.
    .target(name: "TillHTTP", dependencies: ["CCurlShim"]),
    .target(name: "TillClient", dependencies: ["TillCore", "TillHTTP"]),
    // The sandbox card provider (YooKassa-v3-shaped), its own HTTP app and storage.
    .target(
      name: "TillPaymentSandbox",
      dependencies: [
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The back end's HTTP application.
    .target(
      name: "TillServer",
      dependencies: [
        "TillCore", "TillStore", "TillHTTP", "TillResources", "TillReceipt",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
      ]
    ),
    // The terminal front end: state, update, render, terminals, keystroke scripts.
    .target(name: "TillTUI", dependencies: ["TillCore", "TillClient", "TillReceipt", "CNCursesShim"]),
    // Command-line value types the executables share: listen address, log level, data directory.
    .target(
      name: "TillCommandLine",
      dependencies: [
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Executables stay thin: parse flags, wire modules, run.
    .executableTarget(
      name: "till-server",
      dependencies: [
        "TillCore", "TillServer", "TillStore", "TillCommandLine", "TillReceipt", "TillVersion",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "till-payments-sandbox",
      dependencies: [
        "TillPaymentSandbox", "TillCommandLine", "TillVersion",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "till",
      dependencies: [
        "TillCore", "TillTUI", "TillClient", "TillServer", "TillStore", "TillPaymentSandbox",
        "TillCommandLine", "TillVersion",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Load generator and performance report: starts or targets back ends, drives them through TillHTTP.
    .target(
      name: "TillBench",
      dependencies: [
        "TillCore", "TillStore", "TillServer", "TillHTTP", "TillClient", "TillPaymentSandbox", "TillTUI",
        "TillLocalServices", "TillVersion",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
      ]
    ),
    .executableTarget(name: "till-bench", dependencies: ["TillBench"]),
    // Throwaway back-end parts for the tests and the bench only (never the shipped executables): a local
    // PostgreSQL cluster, child processes.
    .target(name: "TillLocalServices", dependencies: ["CSpawnShim"]),
    // Shared test helpers: temp dirs, raw sockets, free ports, polling, starting real servers and processes.
    .target(
      name: "TillTestSupport",
      dependencies: [
        "TillCore", "TillStore", "TillServer", "TillHTTP", "TillPaymentSandbox", "TillLocalServices",
        "TillFuzzing",
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Tests/TillTestSupport"
    ),
    // Seeded random inputs for fuzz and property tests; depends on nothing, so the core's tests can use it.
    .target(name: "TillFuzzing", path: "Tests/TillFuzzing"),
    .testTarget(name: "TillCoreTests", dependencies: ["TillCore", "TillFuzzing"]),
    .testTarget(
      name: "TillReceiptTests", dependencies: ["TillCore", "TillReceipt"],
      exclude: ["Golden", "escpos_reference.py"]),
    .testTarget(
      name: "TillStoreTests",
      dependencies: [
        "TillCore", "TillStore", "TillTestSupport", "TillFuzzing",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(
      name: "TillServerTests",
      dependencies: [
        "TillCore", "TillServer", "TillStore", "TillResources", "TillPaymentSandbox", "TillLocalServices",
        "TillTestSupport", "TillHTTP", "TillVersion", "TillClient",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["Fuzz"]
    ),
    .testTarget(
      name: "TillClientTests", dependencies: ["TillCore", "TillClient", "TillHTTP", "TillTestSupport"]),
    .testTarget(
      name: "TillPaymentSandboxTests",
      dependencies: [
        "TillPaymentSandbox", "TillHTTP", "TillTestSupport", .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "TillBenchTests",
      dependencies: ["TillBench", "TillTestSupport", "TillCore", "TillStore", "TillLocalServices"]),
    .testTarget(name: "TillTestSupportTests", dependencies: ["TillTestSupport"]),
    .testTarget(
      name: "TillTUITests",
      dependencies: [
        "TillCore", "TillTUI", "TillClient", "CNCursesShim", "TillServer", "TillStore", "TillPaymentSandbox",
        "TillTestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["Golden", "Scripts"]),
  ]
)
