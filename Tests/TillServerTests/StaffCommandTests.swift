import Foundation
import Testing
import TillCore
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `till-server staff add | list | disable | reset-pin` on the server's own database, and what a
/// running server makes of the people they manage.
@Suite("till-server staff commands")
struct StaffCommandTests {
  static let terminalToken = "front-desk-token-7c1e9a0b3d5f"

  /// Runs `till-server staff …` to its end with `input` as its standard input: exit status and output.
  static func staff(_ arguments: [String], input: String = "", in directory: URL) async throws
    -> (status: Int32?, output: String)
  {
    let inputFile = directory.appendingPathComponent("stdin-\(UUID().uuidString)")
    try Data(input.utf8).write(to: inputFile)
    defer { try? FileManager.default.removeItem(at: inputFile) }
    // A default database, were `--database` ever ignored, lands in the test's directory, not the home.
    let process = try ServerProcess(
      arguments: ["staff"] + arguments, environment: ["XDG_DATA_HOME": directory.path],
      standardInput: inputFile.path)
    let status = try await process.exitStatus(within: .seconds(30))
    if status == nil { process.terminate() }
    return (status, process.log)
  }

  @Test(
    "add, list, reset-pin and disable on the server's database; a running server signs people in and out",
    arguments: StoreEngine.allCases)
  func roundTrip(engine: StoreEngine) async throws {
    let directory = try TemporaryDirectory.make("till-staff-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await makeTestDatabaseLocation(engine, directory: directory)
    let onDatabase = ["--database", database]
    var outputs: [String] = []
    func run(_ arguments: [String], input: String = "") async throws -> String {
      let (status, output) = try await Self.staff(arguments + onDatabase, input: input, in: directory)
      outputs.append(output)
      #expect(status == 0, "till-server staff \(arguments.joined(separator: " ")): \(output)")
      return output
    }

    let added = try await run(
      ["add", "--code", "1001", "--name", "Ana Lima", "--role", "manager", "--pin-cost", "4"], input: "2468\n"
    )
    #expect(added == "added 1001 Ana Lima (manager)\n")
    _ = try await run(
      ["add", "--code", "1002", "--name", "Bo", "--role", "cashier", "--pin-cost", "4"], input: "1357\n")
    let listed = try await run(["list"]).split(separator: "\n").map {
      $0.split(separator: " ").joined(separator: " ")
    }
    #expect(listed == ["1001 manager enabled Ana Lima", "1002 cashier enabled Bo"])

    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", database, "--pin-cost", "4",
      "--terminal", "Front desk=\(Self.terminalToken)",
    ])
    defer { server.terminate() }
    let port = try #require(
      try await server.port(within: .seconds(30)), "no listening line in: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"
    let signIn = APITestClient(baseURL: baseURL, token: Self.terminalToken)
    func signInStatus(_ code: String, _ pin: String) async throws -> Int {
      try await signIn.post("/v1/sign-in", json: SignInRequest(code: code, pin: pin)).status
    }
    let manager = try await signIn.post("/v1/sign-in", json: SignInRequest(code: "1001", pin: "2468"))
      .decoded(SignInResponse.self)
    #expect(manager.staff == StaffSummary(code: "1001", name: "Ana Lima", role: .manager))
    #expect(manager.terminal == "Front desk")
    let cashier = try await signIn.post("/v1/sign-in", json: SignInRequest(code: "1002", pin: "1357"))
      .decoded(SignInResponse.self)
    let cashierClient = APITestClient(baseURL: baseURL, token: cashier.token)
    #expect(try await cashierClient.post("/v1/carts", json: [String: String]()).status == 201)

    // A new PIN ends the person's session; only the new PIN signs in.
    let reset = try await run(["reset-pin", "--code", "1002", "--pin-cost", "4"], input: "9753\n")
    #expect(reset.hasPrefix("new PIN set for 1002 Bo"))
    #expect(try await cashierClient.post("/v1/carts", json: [String: String]()).status == 401)
    #expect(try await signInStatus("1002", "1357") == 401)
    let renewed = try await signIn.post("/v1/sign-in", json: SignInRequest(code: "1002", pin: "9753"))
      .decoded(SignInResponse.self)

    // Disabling ends the session and refuses the next sign-in like a wrong PIN.
    #expect(try await run(["disable", "--code", "1002"]) == "disabled 1002 Bo\n")
    let renewedClient = APITestClient(baseURL: baseURL, token: renewed.token)
    #expect(try await renewedClient.post("/v1/carts", json: [String: String]()).status == 401)
    #expect(try await signInStatus("1002", "9753") == 401)
    let after = try await run(["list"]).split(separator: "\n").map {
      $0.split(separator: " ").joined(separator: " ")
    }
    #expect(after == ["1001 manager enabled Ana Lima", "1002 cashier disabled Bo"])

    // Each change is one audit row, written as the admin's (no person, no terminal).
    let probe = DatabaseProbe(engine: engine, location: database)
    let rows = try await probe.rows(
      """
      SELECT action, COALESCE(staff_code, '-'), COALESCE(terminal, '-') FROM audit_events
      WHERE subject = '1002' AND action LIKE 'staff-%' ORDER BY seq
      """)
    #expect(
      rows == [["staff-add", "-", "-"], ["staff-pin-reset", "-", "-"], ["staff-disable", "-", "-"]],
      "\(rows)")

    server.signal(SIGTERM)
    #expect(try await server.exitStatus() == 0)
    for output in outputs + [server.log] {
      for pin in ["2468", "1357", "9753"] { #expect(!output.contains(pin), "a PIN was printed: \(output)") }
      #expect(!output.contains("$2b$"), "a hash was printed: \(output)")
    }
  }

  @Test("a bad code, name, role or PIN, a missing PIN, a taken or unknown code: one line and a non-zero exit")
  func refusals() async throws {
    let directory = try TemporaryDirectory.make("till-staff-cli-refusals")
    defer { try? FileManager.default.removeItem(at: directory) }
    let onDatabase = ["--database", directory.appendingPathComponent("till.sqlite").path, "--pin-cost", "4"]
    func add(_ code: String, name: String = "Ana", role: String = "cashier") -> [String] {
      ["add", "--code", code, "--name", name, "--role", role] + onDatabase
    }
    let first = try await Self.staff(add("1001"), input: "4826\n", in: directory)
    #expect(first.status == 0, "\(first.output)")
    let cases: [(arguments: [String], input: String, message: String)] = [
      (add("12a4"), "4826\n", "till-server: a staff code is 1 to 12 digits, not '12a4'"),
      (add("1234567890123"), "4826\n", "till-server: a staff code is 1 to 12 digits, not '1234567890123'"),
      (add("1003", role: "boss"), "4826\n", "till-server: the role must be cashier or manager, not 'boss'"),
      (
        add("1003", name: ""), "4826\n",
        "till-server: a name is 1 to 60 characters without control characters"
      ),
      (add("1003"), "48\n", "till-server: a PIN is 4 to 8 digits"),
      (add("1003"), "4826a7\n", "till-server: a PIN is 4 to 8 digits"),
      (add("1003"), "", "till-server: no PIN on standard input (give it on the first line)"),
      (add("1001"), "4826\n", "till-server: staff code 1001 is already taken; nothing was changed"),
      (
        ["add", "--code", "1003", "--name", "Ana", "--role", "cashier", "--pin-cost", "3"], "4826\n",
        "till-server: the PIN cost must be 4 to 16, not 3"
      ),
    ]
    for testCase in cases {
      let (status, output) = try await Self.staff(testCase.arguments, input: testCase.input, in: directory)
      #expect(status != nil && status != 0, "\(testCase.arguments): \(output)")
      #expect(output.split(separator: "\n").map(String.init) == [testCase.message], "\(testCase.arguments)")
      #expect(!output.contains("4826"), "a PIN was printed: \(output)")
    }
    for command in ["disable", "reset-pin"] {
      let (status, output) = try await Self.staff(
        [command, "--code", "7777"] + onDatabase.prefix(2), input: "4826\n", in: directory)
      #expect(status != nil && status != 0, "\(command): \(output)")
      let lines = output.split(separator: "\n")
      #expect(lines.count == 1 && lines[0].hasPrefix("till-server: no such "), "\(command): \(output)")
    }
    let listed = try await Self.staff(["list"] + onDatabase.prefix(2), in: directory)
    #expect(listed.status == 0)
    #expect(
      listed.output.split(separator: "\n").count == 1, "only the first person was added: \(listed.output)")
  }
}
