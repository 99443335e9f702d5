import Foundation
import TillCore

/// Why a back-end call failed, in the few kinds the front end acts upon differently.
public enum BackendFailure: Error, Hashable, Sendable {
  /// The back end could not be reached or did not answer in time: retrying with the same keys is safe.
  case offline(String)
  /// Checkout found lines that stock cannot cover (HTTP 409 `insufficient-stock`).
  case insufficientStock([Shortage])
  /// The card was declined, with the provider's reason.
  case declined(reason: String)
  /// The back end refused the request (4xx); `message` is shown to the cashier.
  case rejected(kind: ProblemKind?, message: String)
  /// The back end failed on its side (5xx or an unreadable answer).
  case server(String)
  /// The signed-in person's session is over (signed out elsewhere, expired, disabled): sign in again.
  case sessionEnded
  /// The server's certificate failed the check (not from the shop's CA, expired, another host, another
  /// key than the pinned one): the connection was closed before anything, token or PIN, was sent.
  case untrusted(String)
}

/// The calls the front end makes. The executable adapts the real `TillClient` to this protocol; the
/// effects of `update` run through it on worker tasks, never on the key loop.
public protocol CashierBackend: Sendable {
  func products(_ query: ProductQuery) async throws(BackendFailure) -> Page<Product>
  func categories() async throws(BackendFailure) -> [Category]
  func createCart() async throws(BackendFailure) -> Cart
  func increment(cartId: String, sku: String, delta: Int, opId: String) async throws(BackendFailure) -> Cart
  func placeOrder(cartId: String, idempotencyKey: String) async throws(BackendFailure) -> Order
  /// Pays the order (or a part of it) under `idempotencyKey`: the same key again answers the same
  /// payment, so a payment sent again after a lost answer is taken once.
  func pay(orderId: String, request: PaymentRequest, idempotencyKey: String) async throws(BackendFailure)
    -> PaymentAnswer
  /// Refunds lines of a paid order under `idempotencyKey` (the same key answers the same refund).
  func refund(orderId: String, request: RefundRequest, idempotencyKey: String) async throws(BackendFailure)
    -> Refund
  /// A refund's receipt as the server lays it out, `width` columns wide.
  func refundReceiptText(orderId: String, refundId: String, width: Int) async throws(BackendFailure) -> String
  /// A refund's receipt as the bytes an ESC/POS printer takes.
  func refundReceiptEscPos(orderId: String, refundId: String, width: Int) async throws(BackendFailure)
    -> [UInt8]
  /// Cancels an unpaid order; `approval` is a manager's code and PIN when the order is another person's.
  func cancelOrder(_ id: String, approval: Approval?) async throws(BackendFailure) -> Order
  /// Signs a person in on this till with the terminal's token; later calls act as that person.
  func signIn(code: String, pin: String) async throws(BackendFailure) -> SignedInStaff
  /// Ends the signed-in person's session; the till is the terminal alone again.
  func signOut() async
  /// This terminal's orders, newest first.
  func orders() async throws(BackendFailure) -> [Order]
  /// One of this terminal's orders as it is now.
  func order(id: String) async throws(BackendFailure) -> Order
  /// A discount on a line or on the whole order; the cart as the server prices it afterwards.
  func applyDiscount(cartId: String, request: DiscountRequest) async throws(BackendFailure) -> Cart
  /// A paid order's receipt as text, `width` columns wide; `copy` marks a reprint.
  func receiptText(orderId: String, width: Int, copy: Bool) async throws(BackendFailure) -> String
  /// A paid order's receipt as the bytes an ESC/POS printer takes.
  func receiptEscPos(orderId: String, width: Int, copy: Bool) async throws(BackendFailure) -> [UInt8]
  /// Opens this terminal's register with `float` in the drawer.
  func openRegister(float: Money) async throws(BackendFailure) -> RegisterSession
  /// The open register's X report.
  func xReport() async throws(BackendFailure) -> SessionReport
  /// A pay-in, pay-out or no-sale, once per opId.
  func recordCashMove(_ request: CashMoveRequest, sessionId: String) async throws(BackendFailure) -> CashMove
  /// The close with the cash counted, once per key: the Z report.
  func closeRegister(sessionId: String, counted: Money, idempotencyKey: String) async throws(BackendFailure)
    -> ZReport
}

/// The answer to a payment request: the payment, and whether the order had been paid before this
/// request (by another till, or by an attempt whose answer was settled meanwhile): then nothing new was
/// taken, and the payment shown is that earlier one.
public struct PaymentAnswer: Sendable, Hashable {
  public var payment: Payment
  public var alreadyPaid: Bool

  public init(payment: Payment, alreadyPaid: Bool = false) {
    self.payment = payment
    self.alreadyPaid = alreadyPaid
  }
}

extension CashierBackend {
  /// `pay` under a fresh key, for callers that send a payment once (demo shoppers, tests).
  public func pay(orderId: String, request: PaymentRequest) async throws(BackendFailure) -> PaymentAnswer {
    try await pay(orderId: orderId, request: request, idempotencyKey: "pay-" + UUID().uuidString.lowercased())
  }
}
