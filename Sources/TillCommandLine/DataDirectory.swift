import Foundation

/// Where `till` and `till-server` keep their SQLite file when no `--database` is given.
public enum DataDirectory {
  /// `$XDG_DATA_HOME/till/till.sqlite` (an absolute `XDG_DATA_HOME` only), else
  /// `~/.local/share/till/till.sqlite`.
  public static func defaultDatabasePath(environment: [String: String]) -> String {
    let base: String
    if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
      base = dataHome
    } else {
      base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
    }
    return base + "/till/till.sqlite"
  }
}
