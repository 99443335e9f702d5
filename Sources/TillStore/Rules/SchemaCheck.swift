/// Whether a database's schema is the one this build migrates to: every migration it knows applied, and
/// none it does not know (those come from a newer build, whose tables this one may misread).
public struct SchemaStatus: Sendable, Hashable {
  /// Migrations of this build the database lacks, in the build's order.
  public var missing: [String]
  /// Migrations the database has that this build does not know, sorted.
  public var unknown: [String]

  public var isCurrent: Bool { missing.isEmpty && unknown.isEmpty }

  public init(missing: [String], unknown: [String]) {
    self.missing = missing
    self.unknown = unknown
  }

  /// The one comparison both engines use: `known` in order, `applied` as the database lists them.
  static func compare(known: [String], applied: Set<String>) -> SchemaStatus {
    SchemaStatus(
      missing: known.filter { !applied.contains($0) },
      unknown: applied.subtracting(known).sorted())
  }

  /// In words for a readiness answer: empty when current.
  public var explanation: String {
    var parts: [String] = []
    if !missing.isEmpty { parts.append("migrations not applied: " + missing.joined(separator: ", ")) }
    if !unknown.isEmpty {
      parts.append("migrations of a newer build: " + unknown.joined(separator: ", "))
    }
    return parts.joined(separator: "; ")
  }
}
