import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A throwaway PostgreSQL cluster for tests and the bench: `initdb` into a temp directory, `pg_ctl start` on a free
/// loopback port, trust authentication, real `fsync` and `synchronous_commit`.
///
/// One cluster per process (`PostgresCluster.shared()`); each test takes its own database from
/// `makeDatabase()`, so tests run in parallel without seeing each other. The cluster is stopped and its
/// directory removed when the process exits — by an `atexit` handler, and, should the process die
/// without running it, by a watchdog that waits for the process to disappear.
/// Missing server binaries are a test failure that says how to install them, never a skip.
public final class PostgresCluster: Sendable {
  public let binDirectory: String
  public let directory: String
  public let port: Int
  /// The superuser (trust authentication, no password).
  public let user = "postgres"

  /// `postgres://postgres@127.0.0.1:PORT/postgres`: the maintenance database.
  public var url: String { url(database: "postgres") }

  public func url(database: String) -> String {
    "postgres://\(user)@127.0.0.1:\(port)/\(database)"
  }

  private init(binDirectory: String, directory: String, port: Int) {
    self.binDirectory = binDirectory
    self.directory = directory
    self.port = port
  }

  /// The environment variable naming the directory to create the cluster in.
  public static let parentVariable = "TILL_POSTGRES_PARENT"

  /// The process's one cluster, started by the first caller.
  public static func shared() async throws -> PostgresCluster {
    try await ClusterHolder.instance.cluster()
  }

  /// A new empty database (CREATE DATABASE) with a unique name; answers its URL.
  public func makeDatabase(name: String? = nil) async throws -> String {
    let name =
      name ?? "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
    try await run(
      bin("createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", user, name], what: "createdb \(name)")
    return url(database: name)
  }

  /// Runs `sql` with `psql` as the superuser; answers the unaligned, tuples-only output.
  @discardableResult
  public func psql(_ sql: String, database: String) async throws -> String {
    try await Self.runProcess(
      bin("psql"),
      [
        "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-X", "-A", "-t", "-v",
        "ON_ERROR_STOP=1", "-c", sql,
      ],
      what: "psql")
  }

  /// Stops the server and removes the directory; safe to call more than once.
  public func stop() {
    Self.stopNow(binDirectory: binDirectory, directory: directory)
  }

  // MARK: - Starting

  fileprivate static func start() async throws -> PostgresCluster {
    let binDirectory = try findBinDirectory()
    let directory = clusterParent().appendingPathComponent("till-pg-" + UUID().uuidString.lowercased()).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let asRoot = geteuid() == 0
    if asRoot {
      // initdb and postgres refuse to run as root: the cluster belongs to the postgres system user.
      try await runProcess(
        "/bin/chown", ["postgres:postgres", directory], what: "chown the cluster directory to postgres")
    }
    let data = directory + "/data"
    try await runServerTool(
      binDirectory + "/initdb",
      ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
      asRoot: asRoot, what: "initdb")
    // A free port can be taken by someone else between probing and binding; try a few.
    var lastError: (any Error)?
    for _ in 0..<3 {
      let port = try freeLoopbackPort()
      // Both engines' suites run in parallel: some hundred stores and servers at once, each with its own
      // pool, so the default of 100 (and 200) connections ran out ("sorry, too many clients already").
      let options =
        "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory) -c fsync=on -c synchronous_commit=on"
        + " -c max_connections=1000"
      do {
        try await runServerTool(
          binDirectory + "/pg_ctl",
          ["-D", data, "-l", directory + "/server.log", "-o", options, "-w", "-t", "60", "start"],
          asRoot: asRoot, what: "pg_ctl start")
        registerCleanup(binDirectory: binDirectory, directory: directory, asRoot: asRoot)
        return PostgresCluster(binDirectory: binDirectory, directory: directory, port: port)
      } catch {
        lastError = error
      }
    }
    let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
    stopNow(binDirectory: binDirectory, directory: directory)
    throw PostgresClusterError("could not start PostgreSQL: \(lastError.map { "\($0)" } ?? "")\n\(log)")
  }

  /// Where the cluster lives: the directory in `TILL_POSTGRES_PARENT` when set (the bench puts it on
  /// disk, so its figures include the cost of a durable commit); else memory (`/dev/shm`) when there is
  /// one, else the temp directory.
  ///
  /// Every test takes a fresh database, and each CREATE DATABASE writes the template's ~7.5 MB through
  /// the WAL. On the disk the SQLite tests use, running beside them, those writes sat in front of
  /// SQLite's own fsyncs (FULL) and stalled its servers past the clients' 10 s timeout. The server still
  /// runs with fsync and synchronous_commit on — that is what the store asks for and the tests check;
  /// surviving a power cut is the server's job, not something a test can show.
  static func clusterParent() -> URL {
    if let chosen = ProcessInfo.processInfo.environment[parentVariable], !chosen.isEmpty {
      return URL(fileURLWithPath: chosen, isDirectory: true)
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
      FileManager.default.isWritableFile(atPath: "/dev/shm")
    {
      return URL(fileURLWithPath: "/dev/shm", isDirectory: true)
    }
    return FileManager.default.temporaryDirectory
  }

  /// `initdb` and `pg_ctl` from PATH, else the newest /usr/lib/postgresql/*/bin.
  static func findBinDirectory() throws -> String {
    let fileManager = FileManager.default
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    var candidates = path.split(separator: ":").map(String.init)
    let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
    candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
    for candidate in candidates
    where fileManager.isExecutableFile(atPath: candidate + "/initdb")
      && fileManager.isExecutableFile(atPath: candidate + "/pg_ctl")
    {
      // Debian links initdb into /usr/local/bin or similar: use the real directory, whose
      // neighbours (createdb, postgres) belong to the same version.
      let resolved = URL(fileURLWithPath: candidate + "/initdb").resolvingSymlinksInPath()
      return resolved.deletingLastPathComponent().path
    }
    throw PostgresClusterError(
      "PostgreSQL server binaries (initdb, pg_ctl) were not found in PATH or /usr/lib/postgresql/*/bin. "
        + "Install them with: apt-get install postgresql")
  }

  private func bin(_ tool: String) -> String { binDirectory + "/" + tool }

  private func run(_ executable: String, _ arguments: [String], what: String) async throws {
    try await Self.runProcess(executable, arguments, what: what)
  }

  private static func runServerTool(_ executable: String, _ arguments: [String], asRoot: Bool, what: String)
    async throws
  {
    if asRoot {
      try await runProcess(
        try findTool("runuser"), ["-u", "postgres", "--", executable] + arguments, what: what)
    } else {
      try await runProcess(executable, arguments, what: what)
    }
  }

  private static func findTool(_ name: String) throws -> String {
    for directory in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
    where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
      return directory + "/" + name
    }
    throw PostgresClusterError("\(name) not found; it is needed to run PostgreSQL as the postgres user")
  }

  /// Runs a process to completion without blocking a concurrency thread; answers its output, or
  /// throws with it on a non-zero exit.
  ///
  /// `posix_spawn` + `waitpid`, not Foundation's `Process`: on Linux, `Process` learns of the exit
  /// through a socket the child inherits, and `pg_ctl start` leaves the server holding it, so the
  /// exit of `pg_ctl` was never reported. Inherited descriptors are closed in the child for the
  /// same reason (the server would otherwise keep this process's sockets alive).
  @discardableResult
  static func runProcess(_ executable: String, _ arguments: [String], what: String) async throws -> String {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent(
      "till-pg-out-" + UUID().uuidString
    ).path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let pid = try spawn(executable, arguments, outputPath: output)
    let status: Int32 = await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: waitForExit(pid)) }
    }
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    guard status == 0 else { throw PostgresClusterError("\(what) failed with status \(status): \(text)") }
    return text
  }

  /// Starts `executable` with stdin from /dev/null and stdout+stderr into `outputPath` (or /dev/null).
  static func spawn(_ executable: String, _ arguments: [String], outputPath: String?) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    if let closeFrom = closeFromAction { _ = closeFrom(&actions, 3) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard result == 0 else {
      throw PostgresClusterError("cannot start \(executable): \(String(cString: strerror(result)))")
    }
    return pid
  }

  /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does
  /// not export; nil where the C library lacks it.
  private static let closeFromAction:
    (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
      guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
      return unsafeBitCast(
        symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

  /// Blocks until `pid` exits; answers its exit status (128 + signal when killed).
  private static func waitForExit(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }

  public static func freeLoopbackPort() throws -> Int {
    let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketDescriptor >= 0 else { throw PostgresClusterError("socket() failed: errno \(errno)") }
    defer { close(socketDescriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        guard bind(socketDescriptor, generic, length) == 0 else { return false }
        return getsockname(socketDescriptor, generic, &length) == 0
      }
    }
    guard bound else { throw PostgresClusterError("could not find a free loopback port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

/// Starts the cluster once; every later caller gets the same one (or the same failure).
private actor ClusterHolder {
  static let instance = ClusterHolder()
  private var starting: Task<PostgresCluster, any Error>?

  func cluster() async throws -> PostgresCluster {
    if let starting { return try await starting.value }
    let task = Task { try await PostgresCluster.start() }
    starting = task
    return try await task.value
  }
}

public struct PostgresClusterError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
