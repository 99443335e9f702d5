import Foundation
import GRDB

/// What one `POST /v3/refunds` did to the ledger.
enum RefundLedgerOutcome: Sendable {
  /// A new refund was recorded (succeeded, or canceled for a declined refund).
  case created(RefundObject)
  /// The key was seen with the same body inside the idempotence window: the first answer, nothing new.
  case replayed(RefundObject)
  /// The key was seen with a different body.
  case keyConflict
  /// The refund cannot be made: an unknown or unpaid payment, another currency, or more than the
  /// payment has left to refund.
  case refused(SandboxError)
}

/// Refunds in the sandbox's ledger: never more back than a payment took, once per key, in the same
/// `BEGIN IMMEDIATE` transaction discipline as charges.
extension SandboxStore {
  static let refundTables = """
    CREATE TABLE refund (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      payment_id TEXT NOT NULL REFERENCES payment(id),
      status TEXT NOT NULL CHECK (status IN ('succeeded', 'canceled')),
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      currency TEXT NOT NULL,
      description TEXT,
      created_at TEXT NOT NULL,
      cancellation_reason TEXT
    );
    CREATE TABLE refund_key (
      key TEXT PRIMARY KEY NOT NULL,
      fingerprint TEXT NOT NULL,
      refund_id TEXT NOT NULL REFERENCES refund(id),
      created_ms INTEGER NOT NULL
    );
    """

  /// Refunds `request` under `key` unless the key is already known: at most what the payment has left.
  ///
  /// - Parameter declineReason: when set, the new refund is recorded as `canceled` with this reason.
  func refund(key: String, request: SandboxRefundRequest, declineReason: String?, now: Date) async throws
    -> RefundLedgerOutcome
  {
    let clock = KeyClock(now: now, window: idempotenceWindow)
    return try await pool.writeWithoutTransaction { db in
      var outcome = RefundLedgerOutcome.keyConflict
      try db.inTransaction(.immediate) {
        switch try Self.lookUp(key, fingerprint: request.fingerprint, in: .refunds, clock: clock, db: db) {
        case .conflict: return .commit
        case .same(let refundId):
          if let refund = try Self.fetchRefund(db, id: refundId) { outcome = .replayed(refund) }
          return .commit
        case .fresh: break
        }
        if let refusal = try Self.refusal(of: request, in: db) {
          outcome = .refused(refusal)
          return .commit
        }
        let refund = RefundObject(
          id: UUID().uuidString.lowercased(), status: declineReason == nil ? "succeeded" : "canceled",
          amount: AmountObject(value: request.amount.value, currency: request.amount.currency),
          paymentId: request.paymentId, description: request.description,
          createdAt: now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
          cancellationDetails: declineReason.map { CancellationDetails(party: "refund_network", reason: $0) })
        try db.execute(
          sql: """
            INSERT INTO refund (id, payment_id, status, amount_minor, currency, description, created_at,
              cancellation_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            refund.id, refund.paymentId, refund.status, request.amount.minorUnits, request.amount.currency,
            refund.description, refund.createdAt, declineReason,
          ])
        try Self.remember(
          key, fingerprint: request.fingerprint, made: refund.id, in: .refunds, clock: clock, db: db)
        outcome = .created(refund)
        return .commit
      }
      return outcome
    }
  }

  /// Every refund ever recorded, oldest first.
  func refunds() async throws -> [RefundObject] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM refund ORDER BY seq").map(Self.refund(from:))
    }
  }

  /// Why `request` cannot be refunded, or nil: the payment must exist, have succeeded, be in the same
  /// currency and have at least the amount left after its succeeded refunds.
  private static func refusal(of request: SandboxRefundRequest, in db: Database) throws -> SandboxError? {
    guard
      let payment = try Row.fetchOne(
        db, sql: "SELECT status, amount_minor, currency FROM payment WHERE id = ?",
        arguments: [request.paymentId])
    else {
      return SandboxError(
        .notFound, code: "not_found", description: "Payment not found", parameter: "payment_id")
    }
    let status: String = payment["status"]
    let currency: String = payment["currency"]
    guard status == "succeeded" else {
      return .invalidRequest("only a succeeded payment can be refunded", parameter: "payment_id")
    }
    guard currency == request.amount.currency else {
      return .invalidRequest("the refund's currency is not the payment's", parameter: "amount.currency")
    }
    let charged: Int = payment["amount_minor"]
    let refunded =
      try Int.fetchOne(
        db,
        sql:
          "SELECT COALESCE(SUM(amount_minor), 0) FROM refund WHERE payment_id = ? AND status = 'succeeded'",
        arguments: [request.paymentId]) ?? 0
    guard refunded + request.amount.minorUnits <= charged else {
      return .invalidRequest(
        "the refund is more than the payment has left to refund", parameter: "amount.value")
    }
    return nil
  }

  private static func fetchRefund(_ db: Database, id: String) throws -> RefundObject? {
    try Row.fetchOne(db, sql: "SELECT * FROM refund WHERE id = ?", arguments: [id]).map(refund(from:))
  }

  private static func refund(from row: Row) -> RefundObject {
    let amount = Amount(minorUnits: row["amount_minor"], currency: row["currency"])
    let reason: String? = row["cancellation_reason"]
    return RefundObject(
      id: row["id"], status: row["status"],
      amount: AmountObject(value: amount.value, currency: amount.currency),
      paymentId: row["payment_id"], description: row["description"], createdAt: row["created_at"],
      cancellationDetails: reason.map { CancellationDetails(party: "refund_network", reason: $0) })
  }
}
