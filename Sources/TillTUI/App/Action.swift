import TillCore

/// Everything that can change the state: keys, time, the terminal, and the answers of effects.
public enum Action: Sendable, Hashable {
  case key(Key)
  /// A barcode read by a scanner (a fast burst of digits ending in Enter), never taken as keys.
  case scan(String)
  /// Keys have waited for an answer longer than a frame (the hold numbered `hold`).
  case keysWaitingNoticeDue(hold: Int)
  /// The periodic clock (about once a second): live stock refresh and retries.
  case tick
  case resize(Size)
  case productsLoaded(ProductLoad, Result<Page<Product>, BackendFailure>)
  case categoriesLoaded(Result<[Category], BackendFailure>)
  case cartCreated(staff: String, Result<Cart, BackendFailure>)
  case incrementFinished(opId: String, Result<Cart, BackendFailure>)
  case orderPlaced(key: String, Result<Order, BackendFailure>)
  case paymentFinished(orderId: String, Result<PaymentAnswer, BackendFailure>)
  case orderCanceled(Result<Order, BackendFailure>)
  case ordersLoaded(Result<[Order], BackendFailure>)
  case signedIn(Result<SignedInStaff, BackendFailure>)
  /// The answer to the discount sent under `opId`: the cart as the server priced it.
  case discountApplied(opId: String, Result<Cart, BackendFailure>)
  /// The server's text receipt of a paid order (`copy`: a reprint).
  case receiptLoaded(orderId: String, copy: Bool, Result<String, BackendFailure>)
  /// A receipt went to the printer or into the receipts folder; `failure` says why not, in words.
  case receiptWritten(orderId: String, copy: Bool, target: ReceiptTarget, failure: String?)
  /// The lock's sign-out is done (or failed: the session is forgotten either way).
  case signedOut
  case registerOpened(Result<RegisterSession, BackendFailure>)
  case xReportLoaded(Result<SessionReport, BackendFailure>)
  /// The answer to the cash move `request` (sent with its opId).
  case cashMoveRecorded(CashMoveRequest, Result<CashMove, BackendFailure>)
  /// The answer to the close sent under `key`.
  case registerClosed(key: String, Result<ZReport, BackendFailure>)
  /// Z report `number` went to the printer; `failure` says why not, in words.
  case zReportPrinted(number: Int, failure: String?)
  /// The drawer was sent its pulse; `failure` says why not.
  case drawerPulsed(failure: String?)
  /// The answer to the refund sent under `key`.
  case refundFinished(key: String, Result<Refund, BackendFailure>)
  /// The server's text receipt of refund `refundId`.
  case refundReceiptLoaded(refundId: String, Result<String, BackendFailure>)
  /// A refund's receipt went to the printer or into the receipts folder; `failure` says why not.
  case refundReceiptWritten(target: ReceiptTarget, failure: String?)
}

/// Why a product list was requested, so its answer lands in the right place.
public enum ProductLoad: Sendable, Hashable {
  /// A new list for the current search and category; `generation` drops stale answers.
  case list(generation: Int)
  /// The next page appended to the current list.
  case more(generation: Int)
  /// Live stock of the visible rows; the cursor does not move.
  case refresh(generation: Int)
  /// The lookup of the first pending code (`AppState.pendingCodes`); an exact match adds.
  case lookup(code: String)
}

/// Work `update` asks the runtime to do. Every case but `quit` and `noticeKeysWaiting` is one call to
/// the back end.
public enum Effect: Sendable, Hashable {
  /// Answers `.keysWaitingNoticeDue(hold:)` after a frame, so a short wait shows nothing.
  case noticeKeysWaiting(hold: Int)
  case loadProducts(ProductQuery, ProductLoad)
  case loadCategories
  case createCart(staff: String)
  case increment(cartId: String, sku: String, delta: Int, opId: String)
  case placeOrder(cartId: String, idempotencyKey: String)
  /// `key` is the payment's `Idempotency-Key` (see `AppState.paymentKey`).
  case pay(orderId: String, request: PaymentRequest, key: String)
  /// `approval` is a manager's code and PIN, when the first attempt answered that one is needed.
  case cancelOrder(id: String, approval: Approval?)
  /// A return: `request` (with the manager's approval once one was asked for) under the return's key.
  case refund(orderId: String, request: RefundRequest, key: String)
  case loadRefundReceipt(orderId: String, refundId: String, width: Int)
  /// Fetches a refund's ESC/POS receipt and writes it to the printer at `path` (never holds a key).
  case printRefundReceipt(orderId: String, refundId: String, path: String, width: Int)
  /// Writes a refund's text receipt into `directory` as receipt `receiptNumber` of `terminal`.
  case saveRefundReceipt(
    orderId: String, refundId: String, receiptNumber: Int, directory: String, terminal: String)
  case loadOrders
  case signIn(code: String, pin: String)
  case applyDiscount(cartId: String, request: DiscountRequest)
  case loadReceipt(orderId: String, width: Int, copy: Bool)
  /// Fetches the order's ESC/POS receipt and writes it to the printer at `path` (never holds a key).
  case printReceipt(orderId: String, copy: Bool, path: String, width: Int)
  /// Writes the order's text receipt into `directory`, named after `terminal` and its receipt number:
  /// `text` when the till has it already (a copy shown on the screen, fetched once), else fetched.
  case saveReceipt(orderId: String, copy: Bool, directory: String, terminal: String, text: String? = nil)
  case signOut
  case openRegister(Money)
  case loadXReport
  case recordCashMove(sessionId: String, request: CashMoveRequest)
  case closeRegister(sessionId: String, counted: Money, idempotencyKey: String)
  /// Prints the Z report (ESC/POS, headed by `shopName`) to the printer at `path` (never holds a key).
  case printZReport(ZReport, shopName: String, path: String, width: Int)
  /// Pulses the cash drawer wired to the printer at `path` (a no-sale).
  case openDrawer(path: String)
  case quit
}

/// Where a receipt was written.
public enum ReceiptTarget: Sendable, Hashable {
  case printer, file
}
