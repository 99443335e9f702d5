import Foundation
import Logging
import TillStore
import TillTestSupport

@testable import TillServer

/// Runs `Fuzz/check_openapi.py` on a description (and optionally recorded answers).
enum OpenAPICheck {
  struct Report: Decodable {
    var operations: [[String]]
    var examples: Int
    var exchanges: Int
    var errors: [String]
  }

  /// The description as the server serves it (no token needed).
  static func download(from harness: ServerHarness) async throws -> String {
    let response = try await harness.client(token: nil).get("/openapi.yaml")
    guard response.status == 200 else {
      throw FuzzToolError("GET /openapi.yaml answered \(response.status)")
    }
    return response.text
  }

  static func run(specFrom harness: ServerHarness) async throws -> Report {
    try await run(spec: try await download(from: harness))
  }

  static func run(spec: String, exchanges: [Exchange]? = nil) async throws -> Report {
    let directory = try TemporaryDirectory.make("till-openapi-check")
    defer { try? FileManager.default.removeItem(at: directory) }
    let specFile = directory.appendingPathComponent("openapi.yaml")
    try Data(spec.utf8).write(to: specFile)
    var arguments = [FuzzTools.script("check_openapi.py"), specFile.path]
    if let exchanges {
      let exchangesFile = directory.appendingPathComponent("exchanges.json")
      try JSONEncoder().encode(exchanges).write(to: exchangesFile)
      arguments.append(exchangesFile.path)
    }
    let result = try await FuzzTools.python(arguments, timeout: .seconds(60))
    guard result.status == 0,
      let report = try? JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
    else {
      throw FuzzToolError("check_openapi.py failed (\(result.status)): \(result.output)\n\(result.errors)")
    }
    return report
  }
}

/// The routes the real router has, built exactly as the server builds it, as "METHOD /path/{param}".
enum RouterListing {
  static func routes(store: any Store & PaymentStore & StaffStore & RegisterStore & RefundStore) -> Set<
    String
  > {
    let router = TillApplication.makeRouter(
      store: store, configuration: configuration, authenticator: authenticator,
      payments: payments(store: store), metrics: ServerMetrics())
    return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
  }

  static let configuration = ServerConfiguration(port: 0, staffTokens: ["route-listing-3c8f0a1e6d2b9f47"])
  static let authenticator = TokenAuthenticator(
    staffTokens: configuration.staffTokens, adminToken: nil, secret: OwnerSecrets.first)

  static func payments(store: any Store & PaymentStore) -> PaymentCoordinator {
    let logger = Logger(label: "till.test.routes", factory: { _ in SwiftLogNoOpLogHandler() })
    return PaymentCoordinator(store: store, provider: nil, logger: logger)
  }
}

/// What differs between the router and the description.
struct RouteComparison: Equatable {
  /// Routed but missing from the description.
  var undescribed: [String]
  /// Described but not routed.
  var unrouted: [String]

  init(routed: Set<String>, described: Set<String>) {
    undescribed = routed.subtracting(described).sorted()
    unrouted = described.subtracting(routed).sorted()
  }
}

/// The Python side of the API tests: PyYAML and jsonschema-rs for the description checks, schemathesis
/// for fuzzing. All three come with `pip install schemathesis` (`sh .ci/deps test` installs it).
enum FuzzTools {
  static let installHint =
    "schemathesis is missing: run `sh .ci/deps test` (or `python3 -m pip install schemathesis`)"

  /// `Tests/TillServerTests/Fuzz/<name>`.
  static func script(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fuzz")
      .appendingPathComponent(name).path
  }

  /// The first `python3` on PATH.
  static func pythonExecutable() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/python3"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw FuzzToolError("python3 is not on PATH; \(installHint)")
  }

  /// Fails loudly, saying how to install, when schemathesis (and with it PyYAML, jsonschema-rs) is missing.
  static func requireSchemathesis() async throws -> String {
    let result = try await python(
      ["-c", "import schemathesis, yaml, jsonschema_rs; print(schemathesis.__version__)"],
      timeout: .seconds(60))
    guard result.status == 0 else { throw FuzzToolError("\(installHint)\n\(result.errors)") }
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  struct Result {
    var status: Int32
    var output: String
    var errors: String
  }

  /// Runs python3 with `arguments` in `directory` (a fresh temporary one by default); killed after
  /// `timeout`, which is an error.
  static func python(
    _ arguments: [String], timeout: Duration, directory: URL? = nil, environment: [String: String]? = nil
  ) async throws -> Result {
    let workingDirectory = try directory ?? TemporaryDirectory.make("till-python")
    defer { if directory == nil { try? FileManager.default.removeItem(at: workingDirectory) } }
    let child = try ChildProcess(
      executable: try pythonExecutable(), arguments: arguments, environment: environment,
      workingDirectory: workingDirectory.path)
    guard let status = await child.waitForExit(timeout: timeout) else {
      child.terminate()
      throw FuzzToolError(
        "python3 \(arguments.prefix(2).joined(separator: " ")) did not finish within \(timeout); output:\n"
          + child.standardOutput.suffix(4000) + "\n" + child.standardError.suffix(2000))
    }
    return Result(status: status, output: child.standardOutput, errors: child.standardError)
  }
}

struct FuzzToolError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
