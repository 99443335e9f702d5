import Foundation
import TillCore

/// Receipt reprints on PostgreSQL: only their audit row; the receipt itself is made from the stored order.
extension PostgresStore {
  public func recordReceiptReprint(orderId: String, receiptNumber: Int, by actor: StaffActor, now: Date)
    async throws(StoreError)
  {
    try await withConnection { connection in
      try await insert(
        .receiptReprint(orderId: orderId, receiptNumber: receiptNumber, by: actor), at: now, on: connection)
    }
  }
}
