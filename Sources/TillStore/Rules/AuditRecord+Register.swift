import TillCore

extension AuditRecord {
  /// A register session opened, with its float.
  static func sessionOpen(_ session: RegisterSession, by actor: StaffActor) -> AuditRecord {
    AuditRecord(
      action: .sessionOpen, staff: actor.staff, terminal: actor.terminal, subject: session.id,
      detail: "float \(session.openingFloat)")
  }

  /// A session closed: its Z number, the cash counted and the variance.
  static func sessionClose(_ z: ZReport, by actor: StaffActor) -> AuditRecord {
    AuditRecord(
      action: .sessionClose, staff: actor.staff, terminal: actor.terminal, subject: z.report.session.id,
      detail: "Z \(z.number): counted \(z.countedCash), variance \(z.variance)")
  }

  /// A pay-in, pay-out or no-sale, with the manager who approved it, if one had to.
  static func cashMove(_ move: CashMove, by actor: StaffActor) -> AuditRecord {
    let action: AuditAction =
      switch move.kind {
      case .payIn: .payIn
      case .payOut: .payOut
      case .noSale: .noSale
      }
    return AuditRecord(
      action: action, staff: actor.staff, terminal: actor.terminal, approvedBy: move.approvedBy,
      subject: move.sessionId,
      detail: move.kind == .noSale ? move.reason : "\(move.amount): \(move.reason)")
  }
}
