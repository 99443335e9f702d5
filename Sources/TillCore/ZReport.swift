/// The close of a register session: what it took, the cash counted against the cash expected, kept
/// unchanged from then on. Z numbers count per terminal, 1, 2, 3, … without a gap.
public struct ZReport: Codable, Hashable, Sendable {
  public var id: String
  public var number: Int
  public var terminal: String
  /// RFC 3339 timestamp in UTC of the close.
  public var closedAt: String
  /// The staff code of the person who closed the session.
  public var closedBy: String
  /// The session's figures at the close.
  public var report: SessionReport
  /// The cash counted in the drawer.
  public var countedCash: Money
  /// `countedCash − report.cash.expected`: negative when cash is missing.
  public var variance: Money

  public init(
    id: String, number: Int, terminal: String, closedAt: String, closedBy: String, report: SessionReport,
    countedCash: Money, variance: Money
  ) {
    self.id = id
    self.number = number
    self.terminal = terminal
    self.closedAt = closedAt
    self.closedBy = closedBy
    self.report = report
    self.countedCash = countedCash
    self.variance = variance
  }
}
