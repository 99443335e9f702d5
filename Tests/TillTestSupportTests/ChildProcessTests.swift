import Foundation
import Testing
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The one way tests and the bench start processes: working directory and environment as given (the
/// glibc extensions through CSpawnShim), output in files, exit codes and signals decoded.
@Suite struct ChildProcessTests {
  @Test func runsInTheGivenDirectoryWithTheGivenEnvironment() async throws {
    let directory = try TemporaryDirectory.make("till-child-test")
    defer { try? FileManager.default.removeItem(at: directory) }
    let child = try ChildProcess(
      executable: "/bin/sh", arguments: ["-c", "pwd; echo \"$TILL_CHILD_TEST\"; echo oops >&2; exit 3"],
      environment: ["TILL_CHILD_TEST": "hello"], workingDirectory: directory.path)
    #expect(await child.waitForExit(timeout: .seconds(10)) == 3)
    let lines = child.standardOutput.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(
      lines.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath() }
        == directory.resolvingSymlinksInPath())
    #expect(lines.last == "hello")
    #expect(child.standardError == "oops\n")
  }

  /// Test threads block signals; the child must not inherit that, or a SIGTERM would never end it.
  @Test func aSignalEndsTheChildAndIsReportedAs128PlusItsNumber() async throws {
    let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
    #expect(child.isRunning)
    child.signal(SIGTERM)
    #expect(await child.waitForExit(timeout: .seconds(10)) == 128 + SIGTERM)
  }

  @Test func aNameIsLookedUpInPathAndRunToItsEnd() throws {
    let (status, output) = try ChildProcess.runToEnd(executable: "echo", arguments: ["from", "PATH"])
    #expect(status == 0)
    #expect(output == "from PATH\n")
  }

  @Test func aMissingExecutableIsAnErrorNamingIt() {
    #expect(throws: ChildProcessError.self) {
      _ = try ChildProcess(executable: "/nonexistent/till-no-such-tool")
    }
  }
}
