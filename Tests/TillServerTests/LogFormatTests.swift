import Foundation
import Testing
import TillCore
import TillTestSupport

/// `till-server --log-format json`: every line of its log is one JSON object, each request's line names
/// the id its answer carried as `X-Request-Id`, and no token is in it.
@Suite("till-server's JSON log", .serialized)
struct LogFormatTests {
  static let terminalToken = "log-format-terminal-4c7e1a9b0d2f"

  @Test("one JSON object a line; request lines under the X-Request-Id of their answer; no secret")
  func jsonLines() async throws {
    let directory = try TemporaryDirectory.make("till-log-json")
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try ServerProcess(
      arguments: [
        "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
        "--staff-token", Self.terminalToken, "--log-format", "json",
      ] + StaffSignIn.demoStaffArguments)
    defer { server.terminate() }
    let port = try #require(try await server.port(), "no listening line in: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"

    let health = try await APITestClient(baseURL: baseURL, token: nil).get("/v1/health")
    let refused = try await APITestClient(baseURL: baseURL, token: "wrong-token-for-the-log").get(
      "/v1/products")
    let session = try await StaffSignIn.signIn(baseURL: baseURL, terminalToken: Self.terminalToken)
    let products = try await APITestClient(baseURL: baseURL, token: session.token).get("/v1/products?q=x")
    let answers = [
      ("GET /v1/health 200 ", health), ("GET /v1/products 401 ", refused),
      ("GET /v1/products 200 ", products),
    ]
    let ids = answers.map { $0.1.header("X-Request-Id") ?? "" }
    #expect(ids.allSatisfy { !$0.isEmpty } && Set(ids).count == ids.count, "each answer its own id: \(ids)")

    // The log as a collector reads it: every line an object of strings with the four fixed keys.
    try await eventually("the request lines are written") {
      server.child.standardError.contains(ids[2])
    }
    let lines = server.child.standardError.split(separator: "\n").map(String.init)
    var objects: [[String: String]] = []
    for line in lines {
      let object = try? JSONDecoder().decode([String: String].self, from: Data(line.utf8))
      #expect(object != nil, "not a JSON object of strings: \(line)")
      if let object { objects.append(object) }
    }
    for object in objects {
      #expect(["time", "level", "label", "message"].allSatisfy { object[$0] != nil }, "\(object)")
      let time = object["time"].flatMap {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0)
      }
      #expect(time != nil && object["time"]?.hasSuffix("Z") == true, "a UTC time: \(object)")
    }
    for ((start, _), id) in zip(answers, ids) {
      let matching = objects.filter { $0["request_id"] == id }
      #expect(
        matching.count == 1 && matching.first?["message"]?.hasPrefix(start) == true, "\(start): \(matching)")
    }
    #expect(objects.contains { $0["message"]?.contains("listening on 127.0.0.1:\(port)") == true })
    for secret in [Self.terminalToken, "wrong-token-for-the-log", session.token] {
      #expect(!server.log.contains(secret), "\(secret) is in the log")
    }
  }

  @Test("a server whose log keeps no metadata (silent) still names each answer")
  func silentLogger() async throws {
    try await withServer(products: [Fixtures.product("LOG-1", stock: 1)]) { harness in
      var ids: Set<String> = []
      for path in ["/v1/health", "/v1/products", "/v1/nowhere"] {
        let answer = try await harness.client().get(path)
        ids.insert(try #require(answer.header("X-Request-Id"), "\(path) has no X-Request-Id"))
      }
      #expect(ids.count == 3)
    }
  }

  @Test("an unknown format is one line and a non-zero exit")
  func unknownFormat() async throws {
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--staff-token", Self.terminalToken, "--log-format", "xml",
    ])
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    #expect(
      server.log.hasPrefix("till-server: ") && server.log.split(separator: "\n").count == 1, "\(server.log)")
  }
}
