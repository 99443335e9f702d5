import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A child process owned by a test or the bench, with its standard output and error in files.
///
/// It starts through ``ProcessSpawn`` (see there why not Foundation's `Process`, and what the child
/// inherits). Output goes to files, not pipes, so a child that writes a lot can never block on a full
/// pipe nobody is reading. A child still running when this object goes away is SIGKILLed and reaped.
public final class ChildProcess: Sendable {
  public let pid: pid_t
  /// The directory holding `stdout.txt` and `stderr.txt`, removed with this object.
  private let outputDirectory: URL
  /// The raw `waitpid` status once the child is reaped; also serialises `kill` against reaping, so
  /// a signal never goes to a recycled pid.
  private let reaped = Mutex<Int32?>(nil)

  /// Starts `executable` (an absolute path, or a name looked up in PATH) with `arguments`;
  /// `environment` nil inherits this process's, `workingDirectory` nil keeps the current one.
  /// Standard input is the file `standardInput` (/dev/null by default).
  public init(
    executable: String, arguments: [String] = [], environment: [String: String]? = nil,
    workingDirectory: String? = nil, standardInput: String = "/dev/null"
  ) throws(ChildProcessError) {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("till-child-\(UUID().uuidString)", isDirectory: true)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw ChildProcessError("cannot create \(directory.path): \(error)")
    }
    outputDirectory = directory
    do {
      pid = try ProcessSpawn.start(
        executable: executable, arguments: arguments, environment: environment,
        workingDirectory: workingDirectory, standardInput: standardInput,
        standardOutput: directory.appendingPathComponent("stdout.txt").path,
        standardError: directory.appendingPathComponent("stderr.txt").path)
    } catch {
      try? FileManager.default.removeItem(at: directory)
      throw error
    }
  }

  /// Starts a child nobody waits for (its output goes to /dev/null): one that must outlive this
  /// process, such as a watchdog. It is reaped by init once this process is gone.
  public static func startDetached(executable: String, arguments: [String]) throws(ChildProcessError) {
    _ = try ProcessSpawn.start(
      executable: executable, arguments: arguments, environment: nil, workingDirectory: nil,
      standardOutput: "/dev/null", standardError: nil)
  }

  /// Runs `executable` to its end, blocking the calling thread (for short tools such as tmux, whose
  /// callers are not async); its exit code (128 + signal when killed) and everything it printed,
  /// standard output then standard error.
  public static func runToEnd(executable: String, arguments: [String]) throws(ChildProcessError)
    -> (status: Int32, output: String)
  {
    let child = try ChildProcess(executable: executable, arguments: arguments)
    let status = child.waitBlocking()
    return (status, child.standardOutput + child.standardError)
  }

  deinit {
    terminate()
    try? FileManager.default.removeItem(at: outputDirectory)
  }

  /// Everything the child wrote to standard output so far.
  public var standardOutput: String { read("stdout.txt") }
  /// Everything the child wrote to standard error so far.
  public var standardError: String { read("stderr.txt") }

  /// An executable of this package, built by `swift test` next to the test bundle; nil when missing.
  public static func builtExecutable(named name: String) -> URL? {
    let candidates = [
      Bundle.main.executableURL?.deletingLastPathComponent(),
      Bundle.main.bundleURL.deletingLastPathComponent(),
      Bundle.main.bundleURL,
    ]
    return candidates.compactMap { $0?.appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// The port from Hummingbird's "listening on 127.0.0.1:PORT" log line (standard output or error),
  /// waiting up to `timeout` for it; nil if the child exits or the line does not come.
  public func listeningPort(within timeout: Duration = .seconds(20)) async throws -> Int? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline && isRunning {
      let log = standardOutput + standardError
      if let match = log.firstMatch(of: #/listening on 127\.0\.0\.1:(\d+)/#), let port = Int(match.1) {
        return port
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    return nil
  }

  /// Whether the child has not exited yet (reaps it if it has).
  public var isRunning: Bool { poll() == nil }

  /// Sends `signal` to the child, unless it has already been reaped.
  public func signal(_ signal: Int32) {
    reaped.withLock { status in
      if status == nil { _ = kill(pid, signal) }
    }
  }

  /// Waits up to `timeout` for the child to exit: its exit code, or 128 + the signal that ended it;
  /// nil if it is still running (or the waiting task was cancelled).
  public func waitForExit(timeout: Duration = .seconds(20)) async -> Int32? {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let status = poll() { return ProcessSpawn.exitCode(status) }
      guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(20))) != nil else {
        return poll().map(ProcessSpawn.exitCode)
      }
    }
  }

  /// SIGKILLs the child if it is still running and reaps it (a blocking wait, short after SIGKILL).
  public func terminate() {
    reaped.withLock { status in
      guard status == nil else { return }
      var raw: Int32 = 0
      if waitpid(pid, &raw, WNOHANG) == pid {
        status = raw
        return
      }
      _ = kill(pid, SIGKILL)
      while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
      status = raw
    }
  }

  /// Blocks the calling thread until the child exits; its exit code, or 128 + the signal that ended it.
  /// A `signal` sent meanwhile waits until the child is reaped.
  public func waitBlocking() -> Int32 {
    reaped.withLock { status in
      if status == nil {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        status = raw
      }
      return ProcessSpawn.exitCode(status ?? 0)
    }
  }

  /// The raw status if the child has exited, reaping it the first time.
  private func poll() -> Int32? {
    reaped.withLock { status in
      if status == nil {
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
      }
      return status
    }
  }

  private func read(_ name: String) -> String {
    let data = FileManager.default.contents(atPath: outputDirectory.appendingPathComponent(name).path)
    return String(decoding: data ?? Data(), as: UTF8.self)
  }
}

public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
  public let description: String
  init(_ description: String) { self.description = description }
}
