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

  /// A cluster of its own rather than the shared one, for a test that stops and starts its server
  /// (`stopServer`, `startServer`); removed at exit like the shared one, or earlier by `stop()`.
  public static func startPrivate() async throws -> PostgresCluster { try await start() }

  /// Stops the server at once (open connections are cut), keeping its data and port for `startServer`.
  public func stopServer() async throws {
    try await Self.runServerTool(
      bin("pg_ctl"), ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], asRoot: geteuid() == 0,
      what: "pg_ctl stop")
  }

  /// Starts the server stopped by `stopServer` again, on the same port.
  public func startServer() async throws {
    try await Self.runServerTool(
      bin("pg_ctl"), Self.startArguments(directory: directory, port: port), asRoot: geteuid() == 0,
      what: "pg_ctl start")
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
      let port = try LoopbackSocket.unusedPort()
      // Both engines' suites run in parallel: some hundred stores and servers at once, each with its own
      // pool, so the default of 100 (and 200) connections ran out ("sorry, too many clients already").
      do {
        try await runServerTool(
          binDirectory + "/pg_ctl", startArguments(directory: directory, port: port), asRoot: asRoot,
          what: "pg_ctl start")
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

  /// `pg_ctl start` for the cluster in `directory` on `port`.
  private static func startArguments(directory: String, port: Int) -> [String] {
    let options =
      "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory) -c fsync=on -c synchronous_commit=on"
      + " -c max_connections=1000"
    return [
      "-D", directory + "/data", "-l", directory + "/server.log", "-o", options, "-w", "-t", "60", "start",
    ]
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

  /// Runs a process to completion (at most `timeout`); answers its standard output, or throws with
  /// everything it printed on a non-zero exit.
  @discardableResult
  static func runProcess(
    _ executable: String, _ arguments: [String], what: String, timeout: Duration = .seconds(300)
  ) async throws -> String {
    let child = try ChildProcess(executable: executable, arguments: arguments)
    guard let status = await child.waitForExit(timeout: timeout) else {
      throw PostgresClusterError("\(what) did not end within \(timeout): \(child.standardError)")
    }
    guard status == 0 else {
      throw PostgresClusterError(
        "\(what) failed with status \(status): \(child.standardOutput)\(child.standardError)")
    }
    return child.standardOutput
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
