import TillCore

extension AuditRecord {
  /// A copy of a receipt printed again: the order, and the receipt's number, e.g. `receipt 17`.
  static func receiptReprint(orderId: String, receiptNumber: Int, by actor: StaffActor) -> AuditRecord {
    AuditRecord(
      action: .receiptReprint, staff: actor.staff, terminal: actor.terminal, subject: orderId,
      detail: "receipt \(receiptNumber)")
  }
}
