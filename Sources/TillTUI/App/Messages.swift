import TillCore

/// Failures in words a cashier understands.
enum Messages {
  static let offline = "Offline — retrying"
  /// How every offline notice starts, so an answer can replace any of them with "Back online".
  static let offlinePrefix = "Offline —"

  static func describe(_ failure: BackendFailure) -> String {
    switch failure {
    case .offline: return offline
    case .insufficientStock(let shortages):
      return shortages.count == 1
        ? "Not enough stock for one line" : "Not enough stock for \(shortages.count) lines"
    case .declined(let reason): return "Card declined: \(reason)"
    case .server(let message): return "The till server had a problem (\(message)) — try again"
    case .sessionEnded: return "Your session has ended — sign in again"
    case .untrusted(let detail):
      return "The till server's certificate is not trusted — nothing was sent (\(detail))"
    case .rejected(let kind, let message):
      switch kind {
      case .quantityLimit: return "A line cannot hold more than \(Limits.maxLineQuantity)"
      case .cartLineLimit: return "The cart is full (\(Limits.maxCartLines) lines)"
      case .cartClosed: return "That cart is already checked out"
      case .emptyCart: return "The cart is empty"
      case .orderNotPayable: return "This order cannot be paid (already paid or canceled)"
      case .orderNotCancelable: return "Only unpaid orders can be canceled"
      case .orderPartlyPaid: return "Part of this order is paid — give it back first (r in the orders list)"
      case .refundPending: return "A card refund for this order is pending — try again shortly"
      case .amountExceedsDue: return "That is more than the order still owes"
      case .insufficientTender: return "Not enough cash handed over"
      case .receiptNotIssued: return "No receipt yet — the order is not paid"
      case .noOpenSession: return "The register is not open — open it with the float first"
      case .sessionClosed: return "The register was closed — open it again to sell"
      case .sessionAlreadyOpen: return "The register is open already"
      case .sessionHasOpenOrders: return "Pay or cancel the open orders before closing"
      case .cardPaymentsNotConfigured: return "Card payments are not available here — take cash"
      case .cardPaymentsUnavailable: return "card payments unavailable — check the provider settings"
      case .paymentProviderUnavailable: return "The card service cannot be reached — try again or take cash"
      case .unauthorized, .forbidden: return "This till is not allowed to do that (sign-in problem)"
      case .signInRequired: return "Sign in with your staff code and PIN first"
      case .approvalRequired: return "This needs a manager's approval"
      case .approvalRefused: return "Manager code or PIN not accepted"
      case .notFound: return "Not found — it may have been removed"
      default: return message
      }
    }
  }

  static func onlyLeft(_ available: Int, of name: String) -> String {
    available <= 0 ? "\(name) is sold out" : "Only \(available) left of \(name)"
  }
}
