import Foundation
import Testing
import TillCore
import TillServer
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `till-server --session-idle`, `--pin-cost` and `--demo-staff`: what they change for the people at
/// the tills, and their one-line refusals.
@Suite("till-server --session-idle, --pin-cost, --demo-staff")
struct SessionFlagTests {
  static let till = "idle-till-token-3e9b1d7a5c0f"

  @Test(
    "--session-idle 2s: a session unused for longer ends; --demo-staff seeds the demo cashier and manager")
  func idleSessionsEnd() async throws {
    let directory = try TemporaryDirectory.make("till-session-idle")
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try ServerProcess(
      arguments: [
        "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
        "--staff-token", Self.till, "--session-idle", "2s",
      ] + StaffSignIn.demoStaffArguments)
    defer { server.terminate() }
    let port = try #require(
      try await server.port(within: .seconds(30)), "no listening line in: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"
    let manager = try await StaffSignIn.signIn(
      baseURL: baseURL, terminalToken: Self.till, as: DemoStaff.manager)
    #expect(manager.staff == StaffSummary(code: "2001", name: "Demo Manager", role: .manager))
    let cashier = try await StaffSignIn.signIn(baseURL: baseURL, terminalToken: Self.till)
    #expect(cashier.staff.code == "1001" && cashier.staff.role == .cashier)
    let client = APITestClient(baseURL: baseURL, token: cashier.token)
    #expect(try await client.post("/v1/carts", json: [String: String]()).status == 201)
    try await Task.sleep(for: .milliseconds(3_500))
    #expect(
      try await client.post("/v1/carts", json: [String: String]()).status == 401, "the idle session ended")
    server.signal(SIGTERM)
    #expect(try await server.exitStatus() == 0)
    #expect(server.log.contains("demo staff"))
  }

  @Test(
    "a bad --session-idle or --pin-cost is one line and a non-zero exit",
    arguments: [
      (["--session-idle", "0h"], "till-server: The value '0h' is invalid for '--session-idle <duration>'"),
      (["--session-idle", "31d"], "till-server: The value '31d' is invalid for '--session-idle <duration>'"),
      (["--session-idle", "12"], "till-server: The value '12' is invalid for '--session-idle <duration>'"),
      (["--pin-cost", "17"], "till-server: the PIN cost must be 4 to 16, not 17"),
    ])
  func refusals(flags: [String], message: String) async throws {
    let server = try ServerProcess(
      arguments: ["--listen", "127.0.0.1:0", "--staff-token", Self.till] + flags)
    let status = try await server.exitStatus()
    if status == nil { server.terminate() }
    #expect(status != nil && status != 0)
    #expect(server.log.split(separator: "\n").map(String.init) == [message])
  }
}
