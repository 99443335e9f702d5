import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Stopping the throwaway cluster: at a normal exit, and from a watchdog once this process is gone.
extension PostgresCluster {
  /// Registers both clean-ups: `atexit` for a normal exit, and a detached watchdog (own session, no
  /// inherited output) that stops the cluster once this process is gone for any reason.
  static func registerCleanup(binDirectory: String, directory: String, asRoot: Bool) {
    cleanupTarget.withLock { $0 = (binDirectory, directory) }
    atexit {
      guard let target = cleanupTarget.withLock({ $0 }) else { return }
      PostgresCluster.stopNow(binDirectory: target.binDirectory, directory: target.directory)
    }
    let script =
      "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stopCommand(binDirectory, directory))"
    try? ChildProcess.startDetached(executable: "/usr/bin/setsid", arguments: ["sh", "-c", script])
  }

  /// The shell command that stops the server immediately (nothing in it is worth a clean shutdown)
  /// and deletes the directory.
  private static func stopCommand(_ binDirectory: String, _ directory: String) -> String {
    let runAs = geteuid() == 0 ? "runuser -u postgres -- " : ""
    return "\(runAs)'\(binDirectory)/pg_ctl' -D '\(directory)/data' -m immediate -w stop >/dev/null 2>&1;"
      + " rm -rf '\(directory)'"
  }

  static func stopNow(binDirectory: String, directory: String) {
    cleanupTarget.withLock { target in
      if target?.directory == directory { target = nil }
    }
    guard FileManager.default.fileExists(atPath: directory) else { return }
    _ = system(stopCommand(binDirectory, directory))
  }
}

/// The cluster to stop at exit (atexit handlers cannot capture context).
private let cleanupTarget = Mutex<(binDirectory: String, directory: String)?>(nil)
