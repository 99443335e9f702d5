import Foundation
import Testing
import TillCore
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Tokens from files: none has to appear on the command line, and a bad file is a one-line refusal that
/// never prints a token.
@Suite("till-server --staff-token-file and --admin-token-file")
struct TokenFileTests {
  static let staff = "staff-from-file-0f9e8d7c6b5a"
  static let admin = "admin-from-file-1a2b3c4d5e6f"

  func directory() throws -> URL { try TemporaryDirectory.make("till-tokens") }

  @Test func tokensFromFilesLetTheirCallersIn() async throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let staffFile = folder.appendingPathComponent("staff.tokens")
    let adminFile = folder.appendingPathComponent("admin.token")
    try Data("# tills of the shop\n\(Self.staff)\n\n".utf8).write(to: staffFile)
    try Data("\(Self.admin)\n".utf8).write(to: adminFile)
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", folder.appendingPathComponent("till.sqlite").path,
      "--staff-token-file", staffFile.path, "--admin-token-file", adminFile.path,
    ])
    defer { server.terminate() }
    let port = try #require(try await server.port(), "it started: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"
    #expect(try await APITestClient(baseURL: baseURL, token: Self.staff).get("/v1/products").status == 200)
    let adjust = try await APITestClient(baseURL: baseURL, token: Self.admin).post(
      "/v1/products/BAK-001/stock-adjustments", json: ["delta": "1"])
    #expect(adjust.status != 401 && adjust.status != 403, "the admin token from its file is recognised")
    #expect(
      try await APITestClient(baseURL: baseURL, token: "# tills of the shop").get("/v1/products").status
        == 401)
    server.signal(SIGTERM)
    _ = try await server.exitStatus()
    #expect(!server.log.contains(Self.staff) && !server.log.contains(Self.admin))
  }

  @Test(
    "a missing, empty or crowded token file is one line naming the file",
    arguments: [
      ("missing", nil, "cannot read the staff token file"),
      ("empty", "# nothing here\n\n", "holds no token"),
      ("admin", "one-admin-token-aaaaaaaa\nsecond-admin-token-bbbbbb\n", "must hold one token, not 2"),
    ] as [(String, String?, String)])
  func badFiles(name: String, content: String?, message: String) async throws {
    let folder = try directory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("\(name).tokens")
    if let content { try Data(content.utf8).write(to: file) }
    let flag = name == "admin" ? "--admin-token-file" : "--staff-token-file"
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--staff-token", "a-staff-token-long-enough-1234", flag, file.path,
    ])
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    let lines = server.log.split(separator: "\n")
    #expect(lines.count == 1, "\(server.log)")
    #expect(server.log.contains(message) && server.log.contains(file.path), "\(server.log)")
    #expect(!server.log.contains("second-admin-token"), "a refusal never prints a token")
  }
}
