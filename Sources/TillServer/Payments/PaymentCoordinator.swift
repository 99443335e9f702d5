import Logging
import TillCore
import TillStore

/// Drives card payments to an outcome exactly once per attempt key, and settles leftovers after a crash.
///
/// Concurrent requests for one order share one pending attempt (the store answers the same row) and,
/// inside this process, one driving task, so the provider sees one call sequence. Across processes the
/// deterministic key makes the provider itself collapse repeats into one charge.
///
/// When the provider refuses the shop's credentials (401/403) on the first call of an attempt this
/// process started, nothing was processed under its key: the attempt is withdrawn (its row removed,
/// never declined), so the order is payable in cash at once and a later card attempt sends the same
/// key again. An attempt that may have reached the provider before (resumed after a restart, or
/// refused only after an unanswered call) stays pending instead: it may have been charged, and only
/// the provider can tell, once it takes the credentials again; recovery then settles it with its key.
/// For a minute after a refusal, card requests are answered "unavailable" without writing a new
/// pending row, so orders tried meanwhile stay payable in cash.
///
/// Two processes sharing a store with different credentials could race on one attempt (one refused
/// and withdrawing it while the other's call is charging); servers of one shop share one setting.
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
  /// How recent drives ended for good (settled, or withdrawn), by payment id, so a request that read the
  /// pending row just before its drive ended gets that end instead of starting a second call sequence.
  /// Neither a settled payment nor a withdrawn attempt's id changes again.
  private var finished: [String: DriveResult] = [:]
  private var finishedOrder: [String] = []
  private static let finishedMemory = 1024
  /// Attempts this process started whose every provider call was refused but whose withdrawal failed
  /// (the store was unreachable): recovery withdraws them once the provider refuses them again.
  private var refusedUntouched: Set<String> = []
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

  /// Pays an order (or `part` of it) by card: answers the existing success or the attempt made before
  /// under the part's key, or drives the pending attempt to an outcome. A new attempt records `staff`,
  /// the person taking the payment.
  public func payByCard(orderId: String, owner: String, staff: String, part: PaymentPart = .whole)
    async throws(StoreError) -> CardPaymentResult
  {
    let start = try await store.beginCardPayment(orderId: orderId, owner: owner, staff: staff, part: part)
    let drove: DriveResult
    switch start {
    case .alreadyPaid(let payment): return .alreadyPaid(payment)
    case .replayed(let payment):
      return payment.status == .succeeded ? .alreadyPaid(payment) : .settled(payment)
    case .started(let attempt): drove = await drive(attempt, untouched: true)
    case .pending(let attempt): drove = await drive(attempt, untouched: false)
    }
    switch drove {
    case .payment(let payment): return .settled(payment)
    case .credentialsRefused: return .unavailable
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
      guard case .payment(let outcome) = await drive(payment, untouched: false) else { break }
      if outcome.status != .pending { settledCount += 1 }
    }
    logger.info(
      "payment recovery pass", metadata: ["pending": "\(pending.count)", "settled": "\(settledCount)"])
    return settledCount
  }

  /// One driving task per payment id in this process; later callers await the same task.
  /// `untouched`: no provider call has been made under the attempt's key (it was started just now).
  private func drive(_ pending: PendingCardPayment, untouched: Bool) async -> DriveResult {
    let id = pending.payment.id
    if let ended = finished[id] { return ended }
    if let running = drives[id] { return await running.value }
    let withdrawable = untouched || refusedUntouched.contains(id)
    let task = Task { [store, provider, policy, logger] in
      await Self.driveToOutcome(
        pending, withdrawable: withdrawable, store: store, provider: provider, policy: policy, logger: logger)
    }
    drives[id] = task
    let result = await task.value
    drives[id] = nil
    refusedUntouched.remove(id)
    switch result {
    case .payment(let payment) where payment.status != .pending:
      remember(id, result)
      credentialsRefusedAt = nil  // a definite answer: the provider took our credentials
    case .payment: break
    case .credentialsRefused(let detail, let withdrawal):
      noteRefusal(detail)
      switch withdrawal {
      case .withdrawn: remember(id, result)
      case .failed: refusedUntouched.insert(id)
      case .kept: break
      }
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

  private func remember(_ id: String, _ result: DriveResult) {
    guard finished.updateValue(result, forKey: id) == nil else { return }
    finishedOrder.append(id)
    if finishedOrder.count > Self.finishedMemory { finished[finishedOrder.removeFirst()] = nil }
  }

  /// Calls the provider until a definite answer, a refusal, or the end of the policy. A refusal on the
  /// first call of a `withdrawable` attempt (no call under its key got past the credentials) withdraws
  /// it while this drive is still the one registered, so no request in this process resumes it meanwhile.
  private static func driveToOutcome(
    _ pending: PendingCardPayment, withdrawable: Bool, store: any PaymentStore, provider: (any CardProvider)?,
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
      case .credentialsRefused(let detail):
        // After an unanswered call the provider may have charged under this key: keep it pending.
        guard withdrawable, call == 1 else { return .credentialsRefused(detail: detail, withdrawal: .kept) }
        return .credentialsRefused(
          detail: detail, withdrawal: await withdraw(pending.payment, store: store, logger: logger))
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

  private static func withdraw(_ payment: Payment, store: any PaymentStore, logger: Logger) async
    -> Withdrawal
  {
    do {
      return try await store.withdrawRefusedCardPayment(id: payment.id) ? .withdrawn : .kept
    } catch {
      logger.error(
        "could not withdraw a card attempt refused for the shop's credentials; it stays pending",
        metadata: ["payment": "\(payment.id)", "error": "\(String(reflecting: error))"])
      return .failed
    }
  }

  /// How one drive ended: with the payment as it now stands, or with the provider refusing our
  /// credentials (and what became of the attempt).
  enum DriveResult: Sendable {
    case payment(Payment)
    case credentialsRefused(detail: String, withdrawal: Withdrawal)
  }

  /// What became of an attempt refused for the shop's credentials.
  enum Withdrawal: Sendable {
    /// Removed: nothing was processed under its key; the order is payable again.
    case withdrawn
    /// Left pending: it may have reached the provider before, or was settled meanwhile.
    case kept
    /// Never processed, but the store could not remove it now; recovery tries again.
    case failed
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
  /// The order was paid before this request, or this request's key named a payment that succeeded
  /// before; nothing was charged now.
  case alreadyPaid(Payment)
  /// This attempt's state after driving it: succeeded, declined, or still pending.
  case settled(Payment)
  /// The provider refused the shop's credentials: nothing was charged now; the attempt was withdrawn
  /// (or, when an earlier call under its key may have been processed, stays pending).
  case unavailable
}
