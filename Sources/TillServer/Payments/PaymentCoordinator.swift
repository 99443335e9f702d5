import Logging
import TillCore
import TillStore

/// Drives card payments to an outcome exactly once per attempt key, and settles leftovers after a crash.
///
/// Concurrent requests for one order share one pending attempt (the store answers the same row) and,
/// inside this process, one driving task, so the provider sees one call sequence. Across processes the
/// deterministic key makes the provider itself collapse repeats into one charge.
///
/// When the provider refuses the shop's credentials (401/403) the attempt is left pending, never
/// declined: nothing was charged under its key, and a decline would move the order to a new attempt
/// and a new key. Left pending, the one key stays the order's key until the settings are fixed and
/// recovery (or the next card request) settles it; that keeps one charge per key. For a minute after
/// a refusal, card requests are answered "unavailable" without writing a new pending row, so orders
/// tried meanwhile stay payable in cash.
public actor PaymentCoordinator {
  public struct RetryPolicy: Hashable, Sendable {
    /// Provider calls per drive before the answer becomes "still pending" (recovery continues later).
    public var maxCalls: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(
      maxCalls: Int = 6, initialBackoff: Duration = .milliseconds(50), maxBackoff: Duration = .seconds(1)
    ) {
      self.maxCalls = maxCalls
      self.initialBackoff = initialBackoff
      self.maxBackoff = maxBackoff
    }
  }

  private let store: any PaymentStore
  private let provider: (any CardProvider)?
  private let policy: RetryPolicy
  private let logger: Logger
  private var drives: [String: Task<DriveResult, Never>] = [:]
  /// Recently settled payments by id, so a request that read the pending row just before its drive ended
  /// gets the outcome instead of starting a second call sequence. Settled payments never change again.
  private var settled: [String: Payment] = [:]
  private var settledOrder: [String] = []
  private static let settledMemory = 1024
  /// The last time the provider refused our credentials, and the last time that was logged.
  private var credentialsRefusedAt: ContinuousClock.Instant?
  private var refusalLoggedAt: ContinuousClock.Instant?
  /// How long a refusal holds card payments back, and how often it is logged at most.
  static let refusalHoldTime = Duration.seconds(60)

  public init(
    store: any PaymentStore, provider: (any CardProvider)?, policy: RetryPolicy = .init(), logger: Logger
  ) {
    self.store = store
    self.provider = provider
    self.policy = policy
    self.logger = logger
  }

  /// Whether a card request should reach the provider now.
  public var cardAvailability: CardAvailability {
    guard provider != nil else { return .notConfigured }
    if let refused = credentialsRefusedAt, ContinuousClock.now - refused < Self.refusalHoldTime {
      return .credentialsRefused
    }
    return .available
  }

  /// Pays an order by card: answers the existing success, or drives the pending attempt to an outcome.
  public func payByCard(orderId: String, owner: String) async throws(StoreError) -> CardPaymentResult {
    let start = try await store.beginCardPayment(orderId: orderId, owner: owner)
    switch start {
    case .alreadyPaid(let payment):
      return .alreadyPaid(payment)
    case .pending(let pending):
      switch await drive(pending) {
      case .payment(let payment): return .settled(payment)
      case .credentialsRefused: return .unavailable
      }
    }
  }

  /// Settles every pending card payment with its own key. Called at start and periodically.
  @discardableResult
  public func recoverPendingPayments() async -> Int {
    let pending: [PendingCardPayment]
    do { pending = try await store.pendingCardPayments() } catch {
      logger.error(
        "payment recovery could not list pending payments",
        metadata: ["error": "\(String(reflecting: error))"])
      return 0
    }
    guard !pending.isEmpty else { return 0 }
    guard provider != nil else {
      logger.warning(
        "card payments are pending but no card provider is configured; they stay pending",
        metadata: ["pending": "\(pending.count)"])
      return 0
    }
    var settledCount = 0
    // Shutdown cancels the pass between payments; the rest waits for the next start. Credentials the
    // provider refused for one payment it refuses for the rest: they wait for the next pass too.
    for payment in pending where !Task.isCancelled {
      guard case .payment(let outcome) = await drive(payment) else { break }
      if outcome.status != .pending { settledCount += 1 }
    }
    logger.info(
      "payment recovery pass", metadata: ["pending": "\(pending.count)", "settled": "\(settledCount)"])
    return settledCount
  }

  /// One driving task per payment id in this process; later callers await the same task.
  private func drive(_ pending: PendingCardPayment) async -> DriveResult {
    let id = pending.payment.id
    if let outcome = settled[id] { return .payment(outcome) }
    if let running = drives[id] { return await running.value }
    let task = Task { [store, provider, policy, logger] in
      await Self.driveToOutcome(pending, store: store, provider: provider, policy: policy, logger: logger)
    }
    drives[id] = task
    let result = await task.value
    drives[id] = nil
    switch result {
    case .payment(let payment) where payment.status != .pending:
      remember(payment)
      credentialsRefusedAt = nil  // a definite answer: the provider took our credentials
    case .payment: break
    case .credentialsRefused(let detail): noteRefusal(detail)
    }
    return result
  }

  /// Holds card payments back for a while and logs the refusal, at most once per `refusalHoldTime`:
  /// every till's request and every recovery pass would otherwise log it again.
  private func noteRefusal(_ detail: String) {
    let now = ContinuousClock.now
    credentialsRefusedAt = now
    if let logged = refusalLoggedAt, now - logged < Self.refusalHoldTime { return }
    refusalLoggedAt = now
    logger.error(
      "the card provider refused the shop's credentials; card payments are unavailable until the provider settings are fixed (cash still works)",
      metadata: ["detail": "\(detail)"])
  }

  private func remember(_ payment: Payment) {
    guard settled.updateValue(payment, forKey: payment.id) == nil else { return }
    settledOrder.append(payment.id)
    if settledOrder.count > Self.settledMemory { settled[settledOrder.removeFirst()] = nil }
  }

  private static func driveToOutcome(
    _ pending: PendingCardPayment, store: any PaymentStore, provider: (any CardProvider)?,
    policy: RetryPolicy,
    logger: Logger
  ) async -> DriveResult {
    guard let provider, let key = pending.payment.idempotenceKey else { return .payment(pending.payment) }
    let charge = CardCharge(
      idempotenceKey: key, amount: pending.payment.amount, description: "Till order #\(pending.orderNumber)",
      orderId: pending.payment.orderId)
    var backoff = policy.initialBackoff
    for call in 1...max(1, policy.maxCalls) {
      let answer = await provider.charge(charge)
      let outcome: CardOutcome
      switch answer {
      case .succeeded(let providerPaymentId): outcome = .succeeded(providerPaymentId: providerPaymentId)
      case .declined(let reason): outcome = .declined(reason: reason)
      case .credentialsRefused(let detail): return .credentialsRefused(detail: detail)
      case .unknown(let detail, let retryAfter):
        logger.notice(
          "card payment outcome unknown; retrying with the same key",
          metadata: ["payment": "\(pending.payment.id)", "call": "\(call)", "detail": "\(detail)"])
        guard call < policy.maxCalls else { return .payment(pending.payment) }
        var wait = backoff
        if let retryAfter { wait = min(.milliseconds(max(0, retryAfter)), policy.maxBackoff * 2) }
        try? await Task.sleep(for: wait)
        backoff = min(backoff * 2, policy.maxBackoff)
        continue
      }
      do {
        return .payment(try await store.settleCardPayment(id: pending.payment.id, outcome: outcome))
      } catch {
        // The charge is known but not recorded: leave it pending; recovery records it with the same key.
        logger.error(
          "could not record card outcome",
          metadata: ["payment": "\(pending.payment.id)", "error": "\(String(reflecting: error))"])
        return .payment(pending.payment)
      }
    }
    return .payment(pending.payment)
  }

  /// How one drive ended: with the payment as it now stands, or with the provider refusing our
  /// credentials (the payment unchanged, still pending).
  enum DriveResult: Sendable {
    case payment(Payment)
    case credentialsRefused(detail: String)
  }
}

/// Whether card requests go to the provider.
public enum CardAvailability: Hashable, Sendable {
  case available
  /// No provider is configured.
  case notConfigured
  /// The provider refused the shop's credentials within the last `refusalHoldTime`.
  case credentialsRefused
}

/// The answer to a card payment request.
public enum CardPaymentResult: Hashable, Sendable {
  /// The order was paid before this request; nothing was charged now.
  case alreadyPaid(Payment)
  /// This attempt's state after driving it: succeeded, declined, or still pending.
  case settled(Payment)
  /// The provider refused the shop's credentials: nothing was charged, the attempt stays pending.
  case unavailable
}
