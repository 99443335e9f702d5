import Logging
import TillCore
import TillStore

/// Drives card refunds to an outcome exactly once per refund key, and settles what a crash left.
///
/// The same discipline as card payments: the store commits the pending refund before this asks the
/// provider, every call carries the refund's deterministic key, an unknown outcome is asked again with
/// that key (bounded, with backoff), and the recovery pass asks for every refund still pending. Inside
/// this process concurrent requests for one refund share one driving task.
public actor RefundCoordinator {
  private let store: any RefundStore
  private let provider: (any CardProvider)?
  private let policy: PaymentCoordinator.RetryPolicy
  private let logger: Logger
  private var drives: [String: Task<Refund, Never>] = [:]

  public init(
    store: any RefundStore, provider: (any CardProvider)?, policy: PaymentCoordinator.RetryPolicy = .init(),
    logger: Logger
  ) {
    self.store = store
    self.provider = provider
    self.policy = policy
    self.logger = logger
  }

  /// The pending card refund driven to an outcome, or as it stands when the provider has not answered
  /// for good within the policy (recovery goes on with it later).
  public func drive(_ pending: PendingCardRefund) async -> Refund {
    let id = pending.refund.id
    if let running = drives[id] { return await running.value }
    let task = Task { [store, provider, policy, logger] in
      await Self.driveToOutcome(pending, store: store, provider: provider, policy: policy, logger: logger)
    }
    drives[id] = task
    let refund = await task.value
    drives[id] = nil
    return refund
  }

  /// Asks the provider about every pending card refund with its own key. Called at start and
  /// periodically, beside the payments' pass.
  @discardableResult
  public func recoverPendingRefunds() async -> Int {
    let pending: [PendingCardRefund]
    do { pending = try await store.pendingCardRefunds() } catch {
      logger.error(
        "refund recovery could not list pending refunds", metadata: ["error": "\(String(reflecting: error))"])
      return 0
    }
    guard !pending.isEmpty, provider != nil else { return 0 }
    var settled = 0
    for refund in pending where !Task.isCancelled {
      if await drive(refund).status != .pending { settled += 1 }
    }
    logger.info("refund recovery pass", metadata: ["pending": "\(pending.count)", "settled": "\(settled)"])
    return settled
  }

  private static func driveToOutcome(
    _ pending: PendingCardRefund, store: any RefundStore, provider: (any CardProvider)?,
    policy: PaymentCoordinator.RetryPolicy, logger: Logger
  ) async -> Refund {
    let refund = pending.refund
    guard let provider, let key = refund.idempotenceKey else { return refund }
    let call = CardRefund(
      idempotenceKey: key, providerPaymentId: pending.providerPaymentId, amount: refund.amount,
      description: "Till refund \(refund.sequence) of order \(refund.orderId)")
    var backoff = policy.initialBackoff
    for attempt in 1...max(1, policy.maxCalls) {
      let outcome: RefundOutcome
      switch await provider.refund(call) {
      case .succeeded(let providerRefundId): outcome = .succeeded(providerRefundId: providerRefundId)
      case .failed(let reason): outcome = .failed(reason: reason)
      case .unknown(let detail, let retryAfter):
        logger.notice(
          "card refund outcome unknown; asking again with the same key",
          metadata: ["refund": "\(refund.id)", "call": "\(attempt)", "detail": "\(detail)"])
        guard attempt < policy.maxCalls else { return refund }
        var wait = backoff
        if let retryAfter { wait = min(.milliseconds(max(0, retryAfter)), policy.maxBackoff * 2) }
        try? await Task.sleep(for: wait)
        backoff = min(backoff * 2, policy.maxBackoff)
        continue
      }
      do {
        return try await store.settleCardRefund(id: refund.id, outcome: outcome)
      } catch {
        // Known to the provider but not recorded: it stays pending; recovery records it with the same key.
        logger.error(
          "could not record the card refund's outcome",
          metadata: ["refund": "\(refund.id)", "error": "\(String(reflecting: error))"])
        return refund
      }
    }
    return refund
  }
}
