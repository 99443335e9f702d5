import Foundation
import Testing
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The `till` executable built next to this test bundle (SwiftPM builds executables for `swift test`).
enum TillBinary {
  static var url: URL? {
    ChildProcess.builtExecutable(named: "till")
  }

  /// Runs `till arguments` to its end (at most `timeout`), its output in files so no pipe can fill up.
  static func run(_ arguments: [String], in directory: URL, timeout: Duration = .seconds(30)) async throws
    -> (status: Int32, output: String, errors: String)
  {
    let executable = try #require(url, "till is not built next to the tests")
    let process = try ChildProcess(
      executable: executable.path, arguments: arguments, workingDirectory: directory.path)
    let status = await process.waitForExit(timeout: timeout)
    if status == nil {
      Issue.record("till \(arguments.joined(separator: " ")) did not end within \(timeout)")
    }
    process.terminate()
    return (status ?? 128 + SIGKILL, process.standardOutput, process.standardError)
  }
}

/// A tmux server of its own (its own socket), so the test owns every session in it and can end them all.
struct Tmux {
  let socket = "till-e2e-\(UUID().uuidString.prefix(8))"

  @discardableResult
  func run(_ arguments: String...) throws -> String { try run(arguments) }

  /// Runs one tmux command to its end and answers what it printed.
  ///
  /// A child process as every test starts one: with an empty signal mask and default dispositions (a
  /// tmux server inheriting the test threads' blocked signals never sees SIGTERM or SIGCHLD, so
  /// `kill-server` would not end it), and output in files, since the server a first command forks may
  /// keep them open.
  @discardableResult
  func run(_ arguments: [String]) throws -> String {
    let (status, output) = try ChildProcess.runToEnd(
      executable: "tmux", arguments: ["-u", "-L", socket] + arguments)
    guard status == 0 else { throw TmuxError(arguments: arguments, status: status, output: output) }
    return output
  }

  var screen: String { (try? run("capture-pane", "-p", "-t", "till")) ?? "" }

  /// Starts the built `till` on `database` in a 100×30 UTF-8 pane named "till", with `options` after
  /// the database; once it ends, the pane shows `till-exit-status=N` for a minute.
  func startTill(database: String, options: String = "") throws {
    let till = try #require(TillBinary.url, "till is not built next to the tests")
    try run(
      "new-session", "-d", "-s", "till", "-x", "100", "-y", "30", "-e", "LANG=C.UTF-8",
      "'\(till.path)' --database '\(database)'\(options); echo till-exit-status=$?; sleep 60")
  }

  /// Waits until the pane shows `text`; the screen it ended with either way.
  @discardableResult
  func waitFor(
    _ text: String, within timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> String {
    try await waitUntil(within: timeout, "\"\(text)\" did not show", sourceLocation: sourceLocation) {
      $0.contains(text)
    }
  }

  /// Waits until the pane no longer shows `text`.
  @discardableResult
  func waitUntilGone(
    _ text: String, within timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> String {
    try await waitUntil(within: timeout, "\"\(text)\" did not go", sourceLocation: sourceLocation) {
      !$0.contains(text)
    }
  }

  /// The screen once `condition` holds on it; the test fails with `what` and the last screen, and
  /// this throws, when it does not within `timeout`.
  private func waitUntil(
    within timeout: Duration, _ what: String, sourceLocation: SourceLocation, _ condition: (String) -> Bool
  ) async throws -> String {
    var shown = ""
    let seen = try await eventuallyValue(
      within: timeout, every: .milliseconds(25), "\(what); the screen:\n\(shown)",
      sourceLocation: sourceLocation
    ) {
      shown = screen
      return condition(shown) ? shown : nil
    }
    guard let seen else { throw TmuxError(arguments: ["(waiting)"], status: 0, output: shown) }
    return seen
  }

  func send(_ keys: String...) throws {
    try run(["send-keys", "-t", "till"] + keys)
  }

  func type(_ text: String) throws {
    try run("send-keys", "-t", "till", "-l", text)
  }

  /// Signs in on the till's sign-in screen as a person does: code, Tab, PIN, Enter; then waits for the
  /// person's name in the title bar. `float` (when the register is still closed, as on a new database)
  /// answers the till's question for the opening float, and the register opens with it.
  func signIn(
    code: String, pin: String, name: String, float: String? = "100", within timeout: Duration = .seconds(20)
  ) async throws {
    try await waitFor("Staff code:", within: timeout)
    try typeCredentials(code: code, pin: pin)
    // Enter only once the PIN shows, as a person presses it: digits and Enter sent in one burst read as a
    // barcode scan, which the form drops.
    try await waitFor(String(repeating: "•", count: pin.count), within: timeout)
    try send("Enter")
    try await waitFor(name, within: timeout)
    guard let float else { return }
    try await waitFor("Opening float:", within: timeout)
    try type(float)
    try send("Enter")
    try await waitFor("Register open with", within: timeout)
  }

  /// Types a staff code, Tab and a PIN into the form on screen (sign-in or manager approval).
  func typeCredentials(code: String, pin: String) throws {
    try type(code)
    try send("Tab")
    try type(pin)
  }

  /// Ends the tmux server of this socket and everything in it.
  func killServer() {
    _ = try? run("kill-server")
  }
}

struct TmuxError: Error, CustomStringConvertible {
  var arguments: [String]
  var status: Int32
  var output: String

  var description: String { "tmux \(arguments.joined(separator: " ")) failed (\(status)): \(output)" }
}
