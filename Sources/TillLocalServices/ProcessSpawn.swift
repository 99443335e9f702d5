import CSpawnShim
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The one `posix_spawn` call of the package: every child process (tests, the bench, the throwaway
/// PostgreSQL cluster) starts through it.
///
/// `posix_spawn`, not Foundation's `Process`: on Linux with Swift 6.3.1, `Process.run()` crashes
/// intermittently (SIGSEGV) in test runs that spawn processes, and it learns of an exit through a
/// socket the child inherits — `pg_ctl start` leaves the server holding it, so that exit was never
/// reported.
///
/// The child gets an empty signal mask and default dispositions for every signal: test threads block
/// signals and a child inherits that mask, so it would otherwise never see the SIGTERM a test sends it
/// (and a tmux server never sees its SIGCHLD). Descriptors above 2 are closed in the child, so a server
/// child never keeps this process's sockets open.
enum ProcessSpawn {
  /// Starts `executable` (an absolute path, or a name looked up in PATH) with standard input from the
  /// file `standardInput` (/dev/null by default) and standard output and error into the files at those
  /// paths (created 0600, truncated); `standardError` nil sends it where standard output goes.
  /// `environment` nil inherits this process's, `workingDirectory` nil keeps the current one.
  static func start(
    executable: String, arguments: [String], environment: [String: String]?, workingDirectory: String?,
    standardInput: String = "/dev/null", standardOutput: String, standardError: String?
  ) throws(ChildProcessError) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    let create = O_WRONLY | O_CREAT | O_TRUNC
    posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, standardOutput, create, 0o600)
    if let standardError {
      posix_spawn_file_actions_addopen(&actions, 2, standardError, create, 0o600)
    } else {
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }
    // Best effort: without closefrom (glibc before 2.34) the child keeps inherited descriptors.
    _ = till_spawn_file_actions_addclosefrom(&actions, 3)
    if let workingDirectory {
      let result = till_spawn_file_actions_addchdir(&actions, workingDirectory)
      guard result == 0 else {
        throw ChildProcessError(
          "cannot start \(executable) in \(workingDirectory): \(String(cString: strerror(result)))")
      }
    }

    var empty = sigset_t()
    var defaults = sigset_t()
    sigemptyset(&empty)
    sigfillset(&defaults)
    sigdelset(&defaults, SIGKILL)
    sigdelset(&defaults, SIGSTOP)
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
        posix_spawnp(&child, executable, &actions, &attributes, argv, envp)
      } else {
        posix_spawnp(&child, executable, &actions, &attributes, argv, environ)
      }
    guard result == 0 else {
      throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(result)))")
    }
    return child
  }

  /// WIFEXITED/WEXITSTATUS/WTERMSIG, which do not import: the exit code, or 128 + the signal that
  /// ended the child.
  static func exitCode(_ status: Int32) -> Int32 {
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }
}
