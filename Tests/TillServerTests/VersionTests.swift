import Foundation
import Testing
import TillLocalServices
import TillTestSupport
import TillVersion

/// `--version` on every executable: the version and the commit the build came from, stamped at build
/// time from the local checkout.
@Suite("--version")
struct VersionTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// What git says of the checkout, as the build saw it: HEAD's short id, `+changes` when tracked files
  /// differ from it, `unknown` outside a checkout.
  static func expectedCommit() async throws -> String {
    let head = try ChildProcess(
      executable: "git", arguments: ["-C", root.path, "rev-parse", "--short=12", "HEAD"])
    guard await head.waitForExit(timeout: .seconds(20)) == 0 else { return "unknown" }
    let commit = head.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    let diff = try ChildProcess(
      executable: "git", arguments: ["-C", root.path, "diff", "--quiet", "HEAD", "--"])
    return await diff.waitForExit(timeout: .seconds(20)) == 0 ? commit : commit + "+changes"
  }

  @Test("the stamped commit is the checkout's")
  func stampedCommit() async throws {
    #expect(TillVersion.commit == (try await Self.expectedCommit()))
    #expect(
      TillVersion.commit.range(of: #"^([0-9a-f]{12}(\+changes)?|unknown)$"#, options: .regularExpression)
        != nil)
  }

  @Test(
    "every executable prints the version and the commit, and exits 0",
    arguments: ["till", "till-server", "till-bench", "till-payments-sandbox"])
  func printsVersion(executable: String) async throws {
    let binary = try #require(ChildProcess.builtExecutable(named: executable), "\(executable) is not built")
    let child = try ChildProcess(executable: binary.path, arguments: ["--version"])
    #expect(await child.waitForExit(timeout: .seconds(20)) == 0, "\(child.standardError)")
    #expect(child.standardOutput == "\(TillVersion.number) (commit \(try await Self.expectedCommit()))\n")
  }
}
