import Foundation
import GRDB

/// A validated payment request, ready to be charged.
struct ChargeRequest: Sendable {
  var amount: Amount
  var description: String?
  var metadata: [String: String]
  /// Canonical form of the request; the same key with a different fingerprint is a conflict.
  var fingerprint: String
}

/// What one `POST /v3/payments` did to the ledger.
enum ChargeOutcome: Sendable {
  /// A new payment was recorded (succeeded, or canceled for a decline).
  case created(PaymentObject)
  /// The key was seen with the same body inside the idempotence window: the first answer, nothing new.
  case replayed(PaymentObject)
  /// The key was seen with a different body.
  case keyConflict
}

/// The sandbox's ledger: payments and idempotence keys in its own SQLite file.
///
/// Durability: WAL with `synchronous = FULL`, so an acknowledged charge survives a crash or power cut.
/// Exactly-once: the key lookup, the payment insert and the key insert run in one `BEGIN IMMEDIATE`
/// transaction on GRDB's single writer, and the key is a primary key, so two requests with one key can
/// never both charge (the second waits for the first and then finds its key).
final class SandboxStore: Sendable {
  let pool: DatabasePool
  /// How long a key is remembered; YooKassa documents 24 hours.
  let idempotenceWindow: Duration

  init(path: String, idempotenceWindow: Duration = .seconds(24 * 60 * 60)) throws {
    var configuration = Configuration()
    configuration.busyMode = .timeout(5)
    pool = try DatabasePool(path: path, configuration: configuration)
    // DatabasePool lowers its writer to NORMAL after `prepareDatabase`; raise it afterwards.
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    self.idempotenceWindow = idempotenceWindow
    try Self.migrator.migrate(pool)
  }

  private static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE payment (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('succeeded', 'canceled')),
            paid INTEGER NOT NULL,
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            currency TEXT NOT NULL,
            description TEXT,
            metadata TEXT NOT NULL,
            created_at TEXT NOT NULL,
            cancellation_party TEXT,
            cancellation_reason TEXT
          );
          CREATE TABLE idempotence_key (
            key TEXT PRIMARY KEY NOT NULL,
            fingerprint TEXT NOT NULL,
            payment_id TEXT NOT NULL REFERENCES payment(id),
            created_ms INTEGER NOT NULL
          );
          """)
    }
    migrator.registerMigration("v2-refunds") { db in try db.execute(sql: refundTables) }
    return migrator
  }

  /// The writer's `PRAGMA synchronous` (2 = FULL); exposed so tests can check durability holds.
  func writerSynchronousMode() async throws -> Int {
    try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
  }

  /// The writer's `PRAGMA journal_mode` ("wal").
  func journalMode() async throws -> String {
    try await pool.writeWithoutTransaction { db in
      try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
    }
  }

  /// Charges `request` under `key` unless the key is already known.
  ///
  /// - Parameter declineReason: when set, the new payment is recorded as `canceled` with this reason.
  func charge(key: String, request: ChargeRequest, declineReason: String?, now: Date) async throws
    -> ChargeOutcome
  {
    let clock = KeyClock(now: now, window: idempotenceWindow)
    return try await pool.writeWithoutTransaction { db in
      var outcome = ChargeOutcome.keyConflict
      try db.inTransaction(.immediate) {
        switch try Self.lookUp(key, fingerprint: request.fingerprint, in: .payments, clock: clock, db: db) {
        case .conflict: return .commit
        case .same(let paymentId):
          if let payment = try Self.fetchPayment(db, id: paymentId) { outcome = .replayed(payment) }
          return .commit
        case .fresh: break
        }
        let payment = Self.newPayment(request: request, declineReason: declineReason, now: now)
        try Self.insert(payment, amount: request.amount, db: db)
        try Self.remember(
          key, fingerprint: request.fingerprint, made: payment.id, in: .payments, clock: clock, db: db)
        outcome = .created(payment)
        return .commit
      }
      return outcome
    }
  }

  /// Every payment ever recorded, oldest first.
  func payments() async throws -> [PaymentObject] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM payment ORDER BY seq").map(Self.payment(from:))
    }
  }

  /// One payment, or nil when the id is unknown.
  func payment(id: String) async throws -> PaymentObject? {
    try await pool.read { db in try Self.fetchPayment(db, id: id) }
  }

  /// Closes the file; the store must not be used afterwards.
  func close() {
    try? pool.close()
  }

  private static func newPayment(request: ChargeRequest, declineReason: String?, now: Date) -> PaymentObject {
    PaymentObject(
      id: UUID().uuidString.lowercased(),
      status: declineReason == nil ? "succeeded" : "canceled",
      paid: declineReason == nil,
      amount: AmountObject(value: request.amount.value, currency: request.amount.currency),
      description: request.description,
      metadata: request.metadata,
      createdAt: now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
      cancellationDetails: declineReason.map { CancellationDetails(party: "payment_network", reason: $0) },
      test: true)
  }

  private static func insert(_ payment: PaymentObject, amount: Amount, db: Database) throws {
    let metadata = String(decoding: try WireCoding.encoder().encode(payment.metadata), as: UTF8.self)
    try db.execute(
      sql: """
        INSERT INTO payment (id, status, paid, amount_minor, currency, description, metadata, created_at,
          cancellation_party, cancellation_reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        payment.id, payment.status, payment.paid, amount.minorUnits, amount.currency, payment.description,
        metadata, payment.createdAt, payment.cancellationDetails?.party,
        payment.cancellationDetails?.reason,
      ])
  }

  static func fetchPayment(_ db: Database, id: String) throws -> PaymentObject? {
    try Row.fetchOne(db, sql: "SELECT * FROM payment WHERE id = ?", arguments: [id]).map(payment(from:))
  }

  static func payment(from row: Row) throws -> PaymentObject {
    let amount = Amount(minorUnits: row["amount_minor"], currency: row["currency"])
    let metadataText: String = row["metadata"]
    let metadata = try JSONDecoder().decode([String: String].self, from: Data(metadataText.utf8))
    let party: String? = row["cancellation_party"]
    let reason: String? = row["cancellation_reason"]
    return PaymentObject(
      id: row["id"],
      status: row["status"],
      paid: row["paid"],
      amount: AmountObject(value: amount.value, currency: amount.currency),
      description: row["description"],
      metadata: metadata,
      createdAt: row["created_at"],
      cancellationDetails: party.flatMap { party in
        reason.map { CancellationDetails(party: party, reason: $0) }
      },
      test: true)
  }
}
