import Foundation
import Testing
import TillTestSupport

/// `till-server staff add` at a real terminal (tmux): the PIN is asked twice with echo off, two
/// different PINs change nothing, and the PIN never shows on the screen.
@Suite("till-server staff: the PIN typed at a terminal")
struct StaffPINPromptTests {
  /// A tmux server of its own (its socket in `directory`), so nothing of the user's tmux is touched.
  struct Pane {
    let socket: String

    func tmux(_ arguments: [String]) throws -> String {
      let (status, output) = try ChildProcess.runToEnd(
        executable: "tmux", arguments: ["-S", socket] + arguments)
      guard status == 0 else { throw TmuxFailure(description: "tmux \(arguments): \(output)") }
      return output
    }

    var text: String { (try? tmux(["capture-pane", "-p", "-t", "pin"])) ?? "" }

    /// Waits until `needle` shows `times` times on the pane.
    func waitFor(_ needle: String, times: Int = 1) async throws {
      try await eventually(within: .seconds(30), every: .milliseconds(50), "\(needle) on: \(text)") {
        text.components(separatedBy: needle).count > times
      }
    }

    func type(_ text: String) throws {
      _ = try tmux(["send-keys", "-t", "pin", "-l", text])
      _ = try tmux(["send-keys", "-t", "pin", "Enter"])
    }
  }

  struct TmuxFailure: Error, CustomStringConvertible {
    var description: String
  }

  @Test func typedTwiceWithoutEcho() async throws {
    let executable = try #require(ServerProcess.executable, "till-server is not built next to the tests")
    let directory = try TemporaryDirectory.make("till-pin-prompt")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    let add =
      "\(executable.path) staff add --code 1001 --name Ana --role manager --pin-cost 4 --database \(database)"
    let pane = Pane(socket: directory.appendingPathComponent("tmux.sock").path)
    _ = try pane.tmux([
      "new-session", "-d", "-s", "pin", "-x", "120", "-y", "20",
      "XDG_DATA_HOME=\(directory.path) && export XDG_DATA_HOME && \(add); echo FIRST=$?; \(add); echo SECOND=$?; sleep 60",
    ])
    defer { _ = try? pane.tmux(["kill-server"]) }

    try await pane.waitFor("PIN for 1001:")
    try pane.type("2468")
    try await pane.waitFor("The same PIN again:")
    try pane.type("1357")
    try await pane.waitFor("FIRST=1")
    #expect(pane.text.contains("till-server: the two PINs differ; nothing was changed"))

    try await pane.waitFor("PIN for 1001:", times: 2)
    try pane.type("2468")
    try await pane.waitFor("The same PIN again:", times: 2)
    try pane.type("2468")
    try await pane.waitFor("SECOND=")
    let screen = pane.text
    #expect(screen.contains("added 1001 Ana (manager)") && screen.contains("SECOND=0"), "\(screen)")
    #expect(!screen.contains("2468") && !screen.contains("1357"), "a PIN showed: \(screen)")
  }

  @Test func ctrlCWhileTypingGivesTheEchoBack() async throws {
    let executable = try #require(ServerProcess.executable, "till-server is not built next to the tests")
    let directory = try TemporaryDirectory.make("till-pin-interrupt")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    let add =
      "\(executable.path) staff add --code 1001 --name Ana --role manager --pin-cost 4 --database \(database)"
    // The shell traps SIGINT so it outlives the Ctrl+C and reports the terminal's echo afterwards.
    let echoState = "stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\{0,1\\}echo'"
    let pane = Pane(socket: directory.appendingPathComponent("tmux.sock").path)
    _ = try pane.tmux([
      "new-session", "-d", "-s", "pin", "-x", "120", "-y", "20",
      "trap true INT; XDG_DATA_HOME=\(directory.path) && export XDG_DATA_HOME && \(add); echo STATUS=$?; echo ECHO=$(\(echoState)); sleep 60",
    ])
    defer { _ = try? pane.tmux(["kill-server"]) }

    try await pane.waitFor("PIN for 1001:")
    _ = try pane.tmux(["send-keys", "-t", "pin", "-l", "24"])
    _ = try pane.tmux(["send-keys", "-t", "pin", "C-c"])
    try await pane.waitFor("ECHO=")
    let screen = pane.text
    #expect(screen.contains("STATUS=130") && screen.contains("ECHO=echo"), "\(screen)")
  }
}
