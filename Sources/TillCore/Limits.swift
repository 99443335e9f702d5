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
  /// Largest cash tender, in minor units (guards against overflow in change computations).
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
