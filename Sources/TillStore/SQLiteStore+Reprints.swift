import Foundation
import TillCore

/// Receipt reprints on SQLite: only their audit row; the receipt itself is made from the stored order.
extension SQLiteStore {
  public func recordReceiptReprint(orderId: String, receiptNumber: Int, by actor: StaffActor, now: Date)
    async throws(StoreError)
  {
    try await write { db in
      try Self.insert(
        .receiptReprint(orderId: orderId, receiptNumber: receiptNumber, by: actor), at: now, in: db)
    }
  }
}
