import Foundation
import Testing
import TillCore
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `--terminal NAME=TOKEN` and `TILL_TERMINALS` name the tills; plain staff tokens are `till-1`, … by
/// place. The name is what sign-in answers as the session's terminal.
@Suite("till-server --terminal names")
struct TerminalNameTests {
  static let named = "named-till-token-5a0e3c7b9d1f"
  static let fromEnvironment = "env-till-token-2b8d4f6a0c1e"
  static let plain = "plain-till-token-8f2a6c4e0b9d"

  @Test("sign-in answers the terminal's name: from --terminal, from TILL_TERMINALS, till-N for plain tokens")
  func namesInTheSignInAnswer() async throws {
    let directory = try TemporaryDirectory.make("till-terminal-names")
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try ServerProcess(
      arguments: [
        "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
        "--terminal", "Front desk=\(Self.named)", "--staff-token", Self.plain,
      ] + StaffSignIn.demoStaffArguments,
      environment: ["TILL_TERMINALS": "Back_office-2=\(Self.fromEnvironment)"])
    defer { server.terminate() }
    let port = try #require(
      try await server.port(within: .seconds(30)), "no listening line in: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"
    var names: [String] = []
    for token in [Self.named, Self.fromEnvironment, Self.plain] {
      names.append(try await StaffSignIn.signIn(baseURL: baseURL, terminalToken: token).terminal)
    }
    #expect(names == ["Front desk", "Back_office-2", "till-1"])
    server.signal(SIGTERM)
    #expect(try await server.exitStatus() == 0)
    for token in [Self.named, Self.fromEnvironment, Self.plain] { #expect(!server.log.contains(token)) }
  }

  @Test(
    "a --terminal without NAME=TOKEN, or a bad TILL_TERMINALS entry, is one line and a non-zero exit",
    arguments: [
      (["--terminal", "just-a-token-long-enough-000"], [:], "--terminal 1 is not NAME=TOKEN"),
      ([], ["TILL_TERMINALS": "Front=\(named),oops"], "TILL_TERMINALS entry 2 is not NAME=TOKEN"),
    ] as [([String], [String: String], String)])
  func refusals(flags: [String], environment: [String: String], message: String) async throws {
    let server = try ServerProcess(
      arguments: ["--listen", "127.0.0.1:0", "--staff-token", Self.plain] + flags, environment: environment)
    let status = try await server.exitStatus()
    if status == nil { server.terminate() }
    #expect(status != nil && status != 0)
    let lines = server.log.split(separator: "\n")
    #expect(
      lines.count == 1 && lines[0].hasPrefix("till-server: ") && server.log.contains(message), "\(server.log)"
    )
    #expect(!server.log.contains(Self.named) && !server.log.contains("just-a-token"))
  }
}
