/// The limits the API enforces, shared by server, client and front end so they agree.
public enum Limits {
  /// Largest |delta| of one increment operation.
  public static let maxDelta = 999
  /// Largest quantity of one cart line.
  public static let maxLineQuantity = 9_999
  /// Most distinct lines one cart may hold.
  public static let maxCartLines = 200
  /// Page sizes for lists.
  public static let defaultPageSize = 50
  public static let maxPageSize = 500
  /// Largest request body the server reads, in bytes.
  public static let maxBodyBytes = 64 * 1024
  /// Longest stock-adjustment reason.
  public static let maxReasonLength = 200
  /// Largest |delta| of one stock adjustment.
  public static let maxStockAdjustment = 1_000_000
  /// Longest SKU, in bytes of UTF-8.
  public static let maxSKUBytes = 64
  /// Largest unit price of a product, in minor units (10 000 000.00 in a currency with two digits).
  public static let maxUnitPrice = 1_000_000_000
  /// Largest stock a catalogue may load or a restock may reach (a cancel may return stock on top).
  public static let maxStock = 1_000_000_000
  /// Largest line total: 9 999 units × 10^9 minor units, about 10^13.
  public static let maxLineTotal = maxLineQuantity * maxUnitPrice
  /// Largest cart or order total: 200 lines × 9 999 units × 10^9 minor units, about 2 × 10^15 — more
  /// than 4 000 times below `Int.max` (about 9.2 × 10^18). So with prices, quantities and lines within
  /// these bounds no product or sum of money can overflow; `Money`'s checked arithmetic refuses, instead
  /// of trapping, if stored data ever slipped past them.
  public static let maxOrderTotal = maxCartLines * maxLineTotal
  /// Largest cash tender, in minor units (100 000 000.00 in a currency with two digits). Change is
  /// tendered − total, so it lies between 0 and this. It is below `maxOrderTotal`: an order whose total
  /// is above it cannot be paid in cash (422 `insufficient-tender`) and is paid by card.
  public static let maxTenderAmount = 100_000_000_00
}

/// Syntax checks for identifiers that clients make up.
public enum Identifiers {
  /// An increment's `opId`: 1–64 characters of `[A-Za-z0-9_-]`.
  public static func isValidOperationID(_ value: String) -> Bool {
    !value.isEmpty && value.utf8.count <= 64
      && value.utf8.allSatisfy { byte in
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
          || byte == 0x5F || byte == 0x2D
      }
  }

  /// A product's SKU: 1–64 bytes of UTF-8 without control characters (U+0000–U+001F, U+007F–U+009F),
  /// so that every SKU fits the routes that name it, prints on one line and is stored by either engine.
  public static func isValidSKU(_ value: String) -> Bool {
    !value.isEmpty && value.utf8.count <= Limits.maxSKUBytes
      && value.unicodeScalars.allSatisfy { scalar in
        !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
      }
  }

  /// An `Idempotency-Key` header: 1–255 visible ASCII characters (0x21–0x7E).
  public static func isValidIdempotencyKey(_ value: String) -> Bool {
    !value.isEmpty && value.utf8.count <= 255 && value.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
  }
}

/// `GET /v1/health`.
public struct Health: Codable, Hashable, Sendable {
  public var status: String
  public var engine: String

  public init(status: String, engine: String) {
    self.status = status
    self.engine = engine
  }
}
