import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// Fuzzing against the description: schemathesis (PyPI) generates valid and invalid requests for every
/// operation from `GET /openapi.yaml` and checks every answer — no 5xx, every status, content type,
/// header and body as described, invalid input refused, no route reachable without the token.
///
/// Bounded and reproducible: a fixed seed, `--max-examples` per operation, a time limit per run. One run
/// as a signed-in cashier over every operation but sign-out, which would end the run's session
/// (stateful phase included: carts, orders and payments linked through the description's links), one
/// with the admin token over the admin-only operations, one with a terminal's token over sign-in.
@Suite("Schemathesis fuzzing against the live back end", .serialized)
struct SchemathesisTests {
  static let seed = 20_261_125
  static let maxExamples = 75
  static let runTimeLimit: Duration = .seconds(150)

  @Test("cashier session: every operation but sign-out, every phase, all checks; no failures")
  func staff() async throws {
    let summary = try await Self.fuzz(as: .cashier, extraArguments: ["--exclude-operation-id", "signOut"])
    summary.print(label: "staff")
    #expect(summary.operationsTested >= 13, "only \(summary.operationsTested) operations tested")
    #expect(summary.generated >= 300, "only \(summary.generated) test cases generated")
    #expect(summary.failures.isEmpty, "\(summary.failureText)")
    #expect(summary.errors.isEmpty, "\(summary.errors)")
    #expect(summary.exitCode == 0, "\(summary.failureText)")
  }

  @Test(
    "admin token: stock adjustments, tax rates, staff and the audit trail, which refuse staff, fuzzed too")
  func admin() async throws {
    let operations = [
      "adjustStock", "addStaff", "listStaff", "disableStaff", "resetStaffPIN", "listAudit",
      "setCategoryTaxRate", "setProductTaxRate", "clearProductTaxRate",
    ]
    let summary = try await Self.fuzz(
      as: .admin,
      extraArguments: operations.flatMap { ["--include-operation-id", $0] } + [
        "--phases", "examples,coverage,fuzzing",
      ])
    summary.print(label: "admin")
    #expect(summary.operationsTested == operations.count)
    #expect(summary.generated >= 50, "only \(summary.generated) test cases generated")
    #expect(summary.failures.isEmpty, "\(summary.failureText)")
    #expect(summary.errors.isEmpty, "\(summary.errors)")
    #expect(summary.exitCode == 0, "\(summary.failureText)")
  }

  @Test("terminal token: sign-in, with every shape of code and PIN; no failures")
  func terminal() async throws {
    let summary = try await Self.fuzz(
      as: .terminal,
      extraArguments: ["--include-operation-id", "signIn", "--phases", "examples,coverage,fuzzing"])
    summary.print(label: "terminal")
    #expect(summary.operationsTested == 1)
    #expect(summary.failures.isEmpty, "\(summary.failureText)")
    #expect(summary.errors.isEmpty, "\(summary.errors)")
    #expect(summary.exitCode == 0, "\(summary.failureText)")
  }

  /// Starts a back end on the demo catalogue with the sandbox card provider and runs schemathesis on it
  /// as `caller`.
  static func fuzz(as caller: ServerHarness.Caller, extraArguments: [String]) async throws -> Summary {
    let version = try await FuzzTools.requireSchemathesis()
    let catalogue = try DemoCatalogue.load()
    let directory = try TemporaryDirectory.make("till-schemathesis")
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("report.json")
    let start = ContinuousClock.now
    // Lock-outs are tested on their own; here a schema-valid sign-in must be judged on its PIN alone.
    let lenient = AttemptPolicy(perCode: 1_000_000, perTerminal: 1_000_000)
    let result = try await withPaymentServer(products: catalogue, attemptPolicy: lenient) { harness, _ in
      let arguments =
        [
          "-m", "schemathesis.cli", "--config-file", FuzzTools.script("schemathesis.toml"), "run",
          "\(harness.baseURL)/openapi.yaml",
          "--header", "Authorization: Bearer \(harness.token(for: caller) ?? "")",
          "--checks", "all",
          // A 404 right after a create is read as "created resource gone"; an unknown SKU in an
          // increment is a correct 404 for the product (see schemathesis.toml).
          "--exclude-checks", "ensure_resource_availability",
          "--max-examples", String(maxExamples), "--seed", String(seed),
          "--workers", "1", "--request-timeout", "10", "--max-failures", "20",
          "--generation-database", "none", "--no-color",
          "--report", "json", "--report-json-path", report.path,
        ] + extraArguments
      // PYTHONHASHSEED keeps dictionary order, and so generation, the same from run to run.
      var environment = ProcessInfo.processInfo.environment
      environment["PYTHONHASHSEED"] = "0"
      environment["NO_COLOR"] = "1"
      return try await FuzzTools.python(
        arguments, timeout: runTimeLimit, directory: directory, environment: environment)
    }
    let elapsed = ContinuousClock.now - start
    guard let data = FileManager.default.contents(atPath: report.path) else {
      throw FuzzToolError(
        "schemathesis \(version) wrote no report (exit \(result.status)):\n\(result.output.suffix(4000))\n"
          + result.errors.suffix(2000))
    }
    var summary = try Summary(report: data, output: result.output, version: version)
    summary.exitCode = result.status
    summary.elapsed = elapsed
    return summary
  }

  /// The figures of one schemathesis run, from its JSON report.
  struct Summary {
    var version: String
    var exitCode: Int32 = -1
    var elapsed: Duration = .zero
    var operationsTested: Int
    var generated: Int
    var withFailures: Int
    var failures: [String]
    var errors: [String]
    var phases: [String: String]
    var warnings: [String]
    /// The FAILURES section of the console output, for the assertion message.
    var failureText: String

    init(report data: Data, output: String, version: String) throws {
      struct Report: Decodable {
        struct Operations: Decodable { var tested: Int }
        struct Phase: Decodable { var status: String? }
        struct Cases: Decodable {
          var generated: Int
          var withFailures: Int

          enum CodingKeys: String, CodingKey {
            case generated
            case withFailures = "with_failures"
          }
        }
        struct Failure: Decodable {
          var code: String
          var title: String
          var count: Int
          var operations: [String]
        }
        var operations: Operations
        var phases: [String: Phase]
        var testCases: Cases
        var failures: [Failure]
        var errors: [JSONValue]
        var warnings: [String: [JSONValue]]?

        enum CodingKeys: String, CodingKey {
          case operations, phases, failures, errors, warnings
          case testCases = "test_cases"
        }
      }
      let report = try JSONDecoder().decode(Report.self, from: data)
      self.version = version
      operationsTested = report.operations.tested
      generated = report.testCases.generated
      withFailures = report.testCases.withFailures
      failures = report.failures.map {
        "\($0.code) \($0.title) ×\($0.count): \($0.operations.joined(separator: ", "))"
      }
      errors = report.errors.map { "\($0)" }
      phases = report.phases.mapValues { $0.status ?? "-" }
      warnings = (report.warnings ?? [:]).filter { !$0.value.isEmpty }
        .map { "\($0.key): \($0.value.map(\.description).joined(separator: ", "))" }.sorted()
      if let range = output.range(of: "FAILURES") {
        failureText = String(output[range.lowerBound...].prefix(6000))
      } else {
        failureText = String(output.suffix(3000))
      }
    }

    func print(label: String) {
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      let phaseText = phases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
      var parts: [String] = []
      parts.append("schemathesis \(version), \(operationsTested) operations")
      parts.append("\(generated) test cases, \(withFailures) with failures")
      parts.append("\(failures.count) unique failures, \(errors.count) errors, exit \(exitCode)")
      parts.append(String(format: "%.1f s", seconds))
      parts.append("phases " + phaseText)
      if !warnings.isEmpty { parts.append("warnings: " + warnings.joined(separator: "; ")) }
      Swift.print("SchemathesisTests[\(label)]: " + parts.joined(separator: "; "))
    }
  }
}

/// Any JSON value (schemathesis' error entries vary in shape).
enum JSONValue: Decodable, CustomStringConvertible {
  case text(String)
  case other(String)

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self) {
      self = .text(text)
    } else if let object = try? container.decode([String: JSONValue].self) {
      self = .other(object.map { "\($0.key): \($0.value)" }.sorted().joined(separator: ", "))
    } else if let array = try? container.decode([JSONValue].self) {
      self = .other(array.map(\.description).joined(separator: "; "))
    } else if let number = try? container.decode(Double.self) {
      self = .other(String(number))
    } else if let flag = try? container.decode(Bool.self) {
      self = .other(String(flag))
    } else {
      self = .other("null")
    }
  }

  var description: String {
    switch self {
    case .text(let text), .other(let text): text
    }
  }
}
