/// The version of Till's executables and the commit they were built from, for `--version`.
public enum TillVersion {
  /// Raised by hand with each release.
  public static let number = "0.16.0"
  /// The git commit of the build (12 hex digits, `+changes` when tracked files differed from it,
  /// `unknown` outside a git checkout), stamped at build time by `BuildInfoPlugin`.
  public static let commit = buildCommit
  /// What `--version` prints.
  public static var description: String { "\(number) (commit \(commit))" }
}
