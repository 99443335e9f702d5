import Foundation
import Testing
import TillCore
import TillLocalServices
import TillTestSupport

/// The systemd files in `Resources/systemd`: systemd's own checker accepts the unit, and its command line
/// with the example environment file starts a real `till-server` that is ready and admits the tokens.
@Suite("till-server's systemd unit", .serialized)
struct ServiceUnitTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Resources/systemd")

  static func unit() throws -> String {
    try String(contentsOf: directory.appendingPathComponent("till-server.service"), encoding: .utf8)
  }

  /// `KEY=value` lines of the example environment file, as systemd reads them (comments skipped).
  static func exampleEnvironment() throws -> [String: String] {
    let text = try String(
      contentsOf: directory.appendingPathComponent("till-server.env.example"), encoding: .utf8)
    var environment: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      guard let equals = line.firstIndex(of: "=") else { continue }
      environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    return environment
  }

  /// Runs `systemd-analyze verify` on `unit` (with the built till-server in place of the installed
  /// path): its exit status and everything it printed.
  static func verify(_ unit: String) async throws -> (status: Int32?, output: String) {
    let analyze = try #require(
      ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
      },
      "systemd-analyze is missing: apt-get install systemd (.ci/deps test installs it)")
    let executable = try #require(ServerProcess.executable, "till-server is not built next to the tests")
    let scratch = try TemporaryDirectory.make("till-unit")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let file = scratch.appendingPathComponent("till-server.service")
    try Data(unit.replacingOccurrences(of: "/usr/local/bin/till-server", with: executable.path).utf8)
      .write(to: file)
    let child = try ChildProcess(executable: analyze, arguments: ["verify", file.path])
    let status = await child.waitForExit(timeout: .seconds(60))
    return (status, child.standardOutput + child.standardError)
  }

  @Test("systemd-analyze verify accepts the unit without a warning, and names a misspelt key")
  func verifies() async throws {
    let unit = try Self.unit()
    let accepted = try await Self.verify(unit)
    #expect(accepted.status == 0, "\(accepted.output)")
    #expect(accepted.output.isEmpty, "\(accepted.output)")

    let misspelt = unit.replacingOccurrences(of: "RestartSec=", with: "RestartSecs=")
    #expect(misspelt != unit)
    let refused = try await Self.verify(misspelt)
    #expect(refused.output.contains("Unknown key 'RestartSecs'"), "\(refused.output)")
  }

  @Test("the unit's command line with the example environment starts a ready till-server")
  func exampleEnvironmentStarts() async throws {
    let scratch = try TemporaryDirectory.make("till-unit")
    defer { try? FileManager.default.removeItem(at: scratch) }
    var environment = try Self.exampleEnvironment()
    #expect(environment["TILL_TERMINALS"] != nil && environment["TILL_ADMIN_TOKEN"] != nil)
    environment["TILL_DATABASE"] = scratch.appendingPathComponent("till.sqlite").path
    environment["TILL_LISTEN"] = "127.0.0.1:0"
    let execStart = try #require(
      try Self.unit().split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
    // The words after the executable, with ${NAME} taken from the environment as systemd does.
    let arguments = execStart.split(separator: " ").dropFirst().map { word in
      environment.reduce(String(word)) { $0.replacingOccurrences(of: "${\($1.key)}", with: $1.value) }
    }
    #expect(!arguments.contains { $0.contains("${") }, "\(arguments)")
    let server = try ServerProcess(arguments: arguments, environment: environment)
    defer { server.terminate() }
    let port = try #require(try await server.port(), "no listening line in: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"
    #expect(try await APITestClient(baseURL: baseURL, token: nil).get("/v1/ready").status == 200)
    let admin = try #require(environment["TILL_ADMIN_TOKEN"])
    #expect(try await APITestClient(baseURL: baseURL, token: admin).get("/v1/staff").status == 200)
  }
}
