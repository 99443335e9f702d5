import TillCore

/// A cart line as the cart panel shows it.
public struct DisplayedCartLine: Sendable, Hashable {
  public var sku: String
  public var name: String
  /// The server's quantity.
  public var quantity: Int
  public var lineTotal: Money?
  public var available: Int?
  /// Edits on their way to the server, shown beside the quantity.
  public var pending: Int

  /// Taken to zero: shown in place as removed until the cursor moves on.
  public var isRemoved: Bool { quantity + pending <= 0 }
}

/// A kind of call the clock may resend in the background.
public enum BackgroundCall: Sendable, Hashable {
  case categories, products, cart, increment, code, orders
}

/// A cart line taken to zero, kept in the panel at its place.
public struct RemovedLine: Sendable, Hashable {
  public var sku: String
  public var name: String
  public var index: Int
}

/// A barcode or SKU to look up; a match adds `quantity`.
public struct PendingCode: Sendable, Hashable {
  public var code: String
  public var quantity: Int
  /// Scanned or typed with digits and Enter (a miss is announced); false for a search kept with Enter.
  public var announceMiss: Bool
}
