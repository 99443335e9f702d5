import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// An executable started by a test, with its standard output and error in files.
///
/// `posix_spawn` + `waitpid`, not Foundation's `Process`: on Linux with Swift 6.3.1, `Process.run()`
/// crashes intermittently (SIGSEGV) in test runs that spawn processes. Output goes to files, not
/// pipes, so a child that writes a lot can never block on a full pipe nobody is reading.
///
/// The child gets an empty signal mask and default dispositions for SIGTERM, SIGINT and SIGPIPE:
/// test threads block signals and a child inherits that mask, so it would otherwise never see the
/// SIGTERM a test sends it. A child still running when this object goes away is SIGKILLed and reaped.
public final class ChildProcess: Sendable {
  public let pid: pid_t
  /// The directory holding `stdout.txt` and `stderr.txt`, removed with this object.
  private let outputDirectory: URL
  /// The raw `waitpid` status once the child is reaped; also serialises `kill` against reaping, so
  /// a signal never goes to a recycled pid.
  private let reaped = Mutex<Int32?>(nil)

  /// Starts `executable` (an absolute path) with `arguments`; `environment` nil inherits this
  /// process's, `workingDirectory` nil keeps the current one. Standard input is /dev/null.
  public init(
    executable: String, arguments: [String] = [], environment: [String: String]? = nil,
    workingDirectory: String? = nil
  ) throws(ChildProcessError) {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("till-child-\(UUID().uuidString)", isDirectory: true)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw ChildProcessError("cannot create \(directory.path): \(error)")
    }
    outputDirectory = directory

    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let create = O_WRONLY | O_CREAT | O_TRUNC
    posix_spawn_file_actions_addopen(
      &actions, 1, directory.appendingPathComponent("stdout.txt").path, create, 0o600)
    posix_spawn_file_actions_addopen(
      &actions, 2, directory.appendingPathComponent("stderr.txt").path, create, 0o600)
    // The test's own sockets must not stay open in a server child that outlives a connection.
    if let closeFrom = Self.closeFromAction { _ = closeFrom(&actions, 3) }
    if let workingDirectory {
      guard let changeDirectory = Self.changeDirectoryAction else {
        try? FileManager.default.removeItem(at: directory)
        throw ChildProcessError("posix_spawn_file_actions_addchdir_np is missing from the C library")
      }
      _ = changeDirectory(&actions, workingDirectory)
    }

    var empty = sigset_t()
    var defaults = sigset_t()
    sigemptyset(&empty)
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { variables in
      variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
    }
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp ?? [] { free(pointer) }
    }
    var child = pid_t()
    let result =
      if let envp {
        posix_spawn(&child, executable, &actions, &attributes, argv, envp)
      } else {
        posix_spawn(&child, executable, &actions, &attributes, argv, environ)
      }
    guard result == 0 else {
      try? FileManager.default.removeItem(at: directory)
      throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(result)))")
    }
    pid = child
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
      if let status = poll() { return Self.decode(status) }
      guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(20))) != nil else {
        return poll().map(Self.decode)
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

  /// WIFEXITED/WEXITSTATUS/WTERMSIG, which do not import into Swift.
  private static func decode(_ status: Int32) -> Int32 {
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }

  private func read(_ name: String) -> String {
    let data = FileManager.default.contents(atPath: outputDirectory.appendingPathComponent(name).path)
    return String(decoding: data ?? Data(), as: UTF8.self)
  }

  private typealias CloseFrom =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
  private typealias ChangeDirectory =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

  /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), not exported by Swift's Glibc module.
  private static let closeFromAction: CloseFrom? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: CloseFrom.self)
  }()

  /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), not exported by Swift's Glibc module.
  private static let changeDirectoryAction: ChangeDirectory? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
    return unsafeBitCast(symbol, to: ChangeDirectory.self)
  }()
}

public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
  public let description: String
  init(_ description: String) { self.description = description }
}
