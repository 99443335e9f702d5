import TillCore

/// Fixed facts about this terminal, given at start.
public struct AppConfiguration: Sendable, Hashable {
  public var shopName: String
  public var terminalName: String
  public var currency: String
  /// Prefix of every opId and idempotency key this session makes (a UUID, so ids never collide across
  /// sessions; a counter makes them unique within one).
  public var sessionId: String
  public var pageSize: Int
  /// How long without a key before the till locks itself; nil never locks.
  public var lockAfter: Duration?
  /// The sign-in screen names the demo staff's codes and PINs (only for the embedded demo back end).
  public var showsDemoStaff: Bool
  /// Where paid orders' receipts are printed (ESC/POS bytes), nil for no printer.
  public var printerPath: String?
  /// A folder that keeps a text copy of every receipt, nil for none.
  public var receiptsDirectory: String?
  /// Columns of the printer's paper (42 or 48).
  public var printerWidth: Int

  public init(
    shopName: String = "Till", terminalName: String = "T1", currency: String = "EUR",
    sessionId: String, pageSize: Int = 200, lockAfter: Duration? = .seconds(300),
    showsDemoStaff: Bool = false,
    printerPath: String? = nil, receiptsDirectory: String? = nil, printerWidth: Int = 42
  ) {
    self.shopName = shopName
    self.terminalName = terminalName
    self.currency = currency
    self.sessionId = sessionId
    self.pageSize = min(max(1, pageSize), Limits.maxPageSize)
    self.lockAfter = lockAfter
    self.showsDemoStaff = showsDemoStaff
    self.printerPath = printerPath
    self.receiptsDirectory = receiptsDirectory
    self.printerWidth = printerWidth == 48 ? 48 : 42
  }
}

/// Which part of the main screen the arrows move in.
public enum Focus: Sendable, Hashable {
  case products, cart
}

/// What the screen is doing besides the main product/cart view.
public enum Mode: Sendable, Hashable {
  case browse
  /// Checkout asked; waiting for pending edits to reach the server, then for the order.
  case checkout
  /// An order is placed and unpaid: choose cash or card.
  case payment(PaymentStage)
  /// The order was paid: by this till just now, or (`alreadyPaid`) earlier, by another till or attempt.
  case receipt(Receipt)
  /// Stock ran short at checkout.
  case shortage([Shortage])
  case orders
  /// `x` on an unpaid order in the orders list: cancel only after `y`.
  case confirmCancel(Order)
  /// The action answered that it needs a manager: their code and PIN, then it is sent again.
  case approval(ApprovalDialog)
  /// `%` on a cart line or `$` for the whole order: a percentage or an amount off.
  case discount(DiscountDialog)
  /// `r` on a paid order in the orders list: a return, from the lines to the refund's receipt.
  case refund(ReturnDialog)
  /// The register: F3's keys, the float, a cash move, the count, the X and Z reports.
  case register(RegisterScreen)
  case confirmQuit
}

/// Where a payment stands.
public enum PaymentStage: Sendable, Hashable {
  case choose
  /// `a` pressed: typing the part of the order to pay now (split tender).
  case partAmount(String)
  /// Typing the tendered cash amount.
  case cash(String)
  /// A tender far above the total: Enter records it, Esc goes back to the amount.
  case confirmTender(Money)
  /// `2` pressed: Enter starts the card charge, Esc goes back.
  case confirmCard
  case sending(Payment.Method)
  case cardPending
  case declined(String)
}

/// One cart edit not yet answered by the server.
public struct PendingOperation: Sendable, Hashable {
  public var sku: String
  public var delta: Int
}

/// The increment on the wire (one at a time, so answers arrive in order and the newest cart wins).
public struct InFlightOperation: Sendable, Hashable {
  public var opId: String
  public var sku: String
  public var delta: Int
  /// Sent but not answered because the network failed: resent with the same opId on the next tick.
  public var awaitingRetry: Bool
}

/// A status-line message and how it should look.
public struct StatusMessage: Sendable, Hashable {
  public enum Severity: Sendable, Hashable { case info, success, warning, error }
  public var text: String
  public var severity: Severity

  public init(_ text: String, _ severity: Severity = .info) {
    self.text = text
    self.severity = severity
  }
}

/// The whole state of the front end: a value, changed only by `update`.
public struct AppState: Sendable, Hashable {
  public var configuration: AppConfiguration
  public var size: Size
  public var mode: Mode = .browse
  public var focus: Focus = .products
  public var showHelp = false
  public var online = true
  public var status: StatusMessage?
  public var quitting = false

  // Staff: who sells on this till. Nobody signed in shows the sign-in screen.
  public var staff: SignedInStaff?
  /// The terminal's name as the server gave it at the last sign-in: the locked till's title keeps it.
  public var serverTerminalName: String?
  public var signIn = CredentialForm()
  /// Sales of people who locked the till, by staff code.
  public var parkedSales: [String: ParkedSale] = [:]
  /// The lock's sign-out is on its way: the next sign-in waits for it.
  public var signingOut = false
  /// When the last key was pressed (`clock`'s time): the idle lock counts from it.
  public var lastKeyAt: Duration = .zero
  public var clock = TillClock.system

  // The key pipeline: keys and scans that wait for a back-end answer, oldest first.
  public var heldKeys: [KeyInput] = []
  /// Counts holds, so a waiting notice due for an earlier hold is ignored.
  public var holdSerial = 0
  /// The status line says how many keys wait (set once keys have waited longer than a frame).
  public var showWaitingKeys = false
  /// Calls the clock resent after they failed for want of a network: keys do not wait for them, so the
  /// till stays usable while the back end is away.
  public var background: Set<BackgroundCall> = []

  public var register = RegisterState()

  // Products
  public var products: [Product] = []
  public var productsNext: String?
  public var productIndex = 0
  public var productScroll = 0
  public var productGeneration = 0
  public var productsLoading = false
  /// The SKU the cursor returns to when the list being loaded arrives (nil: the top).
  public var listSelection: String?
  public var productsFailed = false
  public var refreshInFlight = false
  public var moreInFlight = false
  public var categories: [Category] = []
  public var categoriesLoaded = false
  public var categoriesInFlight = false
  /// 0 is "All"; n is `categories[n - 1]`.
  public var categoryIndex = 0
  public var searchText = ""
  public var searching = false

  // Quantity entry: digits typed in the list, then `*` (multiplier) or Enter (barcode/SKU lookup).
  public var entry = ""
  public var multiplier: Int?

  // Codes (scanned or typed) waiting to be looked up, oldest first; the first may be on the wire.
  public var pendingCodes: [PendingCode] = []
  public var codeInFlight = false
  /// The lookup of the first pending code failed for want of a network: resent on the next tick.
  public var codeAwaitingRetry = false

  // Cart
  public var cart: Cart?
  public var cartRequested = false
  public var cartIndex = 0
  public var queue: [PendingOperation] = []
  /// Names of products with pending edits, to show a line before the server has it.
  public var pendingNames: [String: String] = [:]
  public var inFlight: InFlightOperation?
  public var serial = 0
  /// A cart line the cashier took to zero: it keeps its place (shown as removed) until the cursor leaves
  /// it or another line changes, so further presses cannot land on its neighbour.
  public var removedLine: RemovedLine?

  // Checkout and payment
  public var checkoutKey: String?
  public var placingOrder = false
  public var orderRetry = false
  public var order: Order?
  public var paymentInFlight = false
  /// The part of the order the next payment pays (split tender); nil for all that is due.
  public var paymentPart: Money?
  /// The `Idempotency-Key` of the payment last sent, kept until it is answered.
  public var paymentKey: String?
  /// The payment requests this till sent, per order: an answer "paid before" that one of them asked for
  /// is this till's own payment whose first answer was lost, not someone else's.
  public var sentPayments: [String: [PaymentRequest]] = [:]
  /// Orders of this till known to be placed and unpaid (quitting asks while there are any).
  public var unpaidOrders: Set<String> = []
  /// First row of the receipt's lines shown (the receipt scrolls; its totals stay in view).
  public var receiptScroll = 0
  /// The server's text receipt is on its way (every key and scan waits for it, so none acts on the summary shown meanwhile).
  public var receiptLoading = false
  /// A discount on its way; keys wait for its answer like any other cart edit.
  public var discountInFlight: DiscountRequest?
  /// Paid orders whose receipt the printer did not take (marked in the orders list until a copy prints).
  public var unprintedOrders: Set<String> = []

  // Orders list
  public var orders: [Order] = []
  public var orderIndex = 0
  public var ordersLoading = false
  public var ordersFailed = false
  public var cancelInFlight = false
  /// The order being canceled, for the approval dialog when the cancel needs a manager.
  public var cancelTarget: Order?

  public init(configuration: AppConfiguration, size: Size) {
    self.configuration = configuration
    self.size = size
  }

  /// The category filter in effect, nil for all.
  public var selectedCategory: String? {
    categoryIndex > 0 && categoryIndex <= categories.count ? categories[categoryIndex - 1].name : nil
  }

  public var selectedProduct: Product? {
    products.indices.contains(productIndex) ? products[productIndex] : nil
  }

  /// Quantity not yet confirmed by the server per SKU (queued and in flight).
  public func pendingDelta(sku: String) -> Int {
    var total = inFlight.map { $0.sku == sku ? $0.delta : 0 } ?? 0
    for operation in queue where operation.sku == sku { total += operation.delta }
    return total
  }

  /// Pending quantity per SKU, and the SKUs in the order their first pending edit was made.
  private var pendingBySKU: (deltas: [String: Int], order: [String]) {
    var deltas: [String: Int] = [:]
    var order: [String] = []
    for operation in (inFlight.map { [PendingOperation(sku: $0.sku, delta: $0.delta)] } ?? []) + queue {
      if deltas[operation.sku] == nil { order.append(operation.sku) }
      deltas[operation.sku, default: 0] += operation.delta
    }
    return (deltas, order)
  }

  /// Edits and codes typed but not yet in the server's cart.
  public var hasPendingEdits: Bool { inFlight != nil || !queue.isEmpty || !pendingCodes.isEmpty }

  /// Whether the cart holds anything (confirmed or on its way), which makes quitting ask first.
  public var cartIsOpen: Bool {
    hasPendingEdits || !(cart?.lines.isEmpty ?? true)
  }

  /// Whether quitting now would leave something behind: an open cart or an unpaid order.
  public var quitNeedsConfirmation: Bool { cartIsOpen || order != nil || !unpaidOrders.isEmpty }

  /// The cart lines shown: server lines, plus lines that exist only as pending edits.
  public var displayedCartLines: [DisplayedCartLine] {
    let pending = pendingBySKU
    var lines: [DisplayedCartLine] = (cart?.lines ?? []).map {
      DisplayedCartLine(
        sku: $0.sku, name: $0.name, quantity: $0.quantity, lineTotal: $0.lineTotal,
        available: $0.available, pending: pending.deltas[$0.sku] ?? 0)
    }
    let onServer = Set(lines.map(\.sku))
    for sku in pending.order where !onServer.contains(sku) {
      lines.append(
        DisplayedCartLine(
          sku: sku, name: pendingNames[sku] ?? sku, quantity: 0, lineTotal: nil, available: nil,
          pending: pending.deltas[sku] ?? 0))
    }
    if let removed = removedLine, !lines.contains(where: { $0.sku == removed.sku }) {
      let placeholder = DisplayedCartLine(
        sku: removed.sku, name: removed.name, quantity: 0, lineTotal: nil, available: nil, pending: 0)
      lines.insert(placeholder, at: min(removed.index, lines.count))
    }
    return lines
  }

  /// Rows the product list shows at the current size (the layout's middle area).
  public var visibleProductRows: Int { max(1, size.rows - 5) }
}
