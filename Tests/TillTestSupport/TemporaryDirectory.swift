import Foundation

/// Fresh directories for one test's files, under the system's temporary directory.
public enum TemporaryDirectory {
  /// Creates `<tmp>/<prefix>-<uuid>/` and answers it; the caller removes it
  /// (`defer { try? FileManager.default.removeItem(at: directory) }`).
  public static func make(_ prefix: String = "till-test") throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  /// A path in the temporary directory where nothing exists yet, for a single file
  /// (`<tmp>/<prefix>-<uuid><suffix>`); the caller removes what it writes there.
  public static func freshFile(_ prefix: String, suffix: String = "") -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)")
  }
}
