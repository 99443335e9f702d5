import ServiceLifecycle

/// Settles pending card payments and refunds left by a crash or an unanswered provider: once as soon as the server
/// is listening, then every `interval`, until the application shuts down.
///
/// It waits for the listening signal instead of running before the server, so a slow or unreachable
/// provider never delays start-up.
struct PaymentRecoveryService: Service {
  let payments: PaymentCoordinator
  let refunds: RefundCoordinator
  let interval: Duration
  /// Yields once the HTTP server is listening.
  let listening: AsyncStream<Void>

  func run() async throws {
    let (payments, refunds, interval, listening) = (payments, refunds, interval, listening)
    // Graceful shutdown (or cancellation) ends the wait or the sleep; a pass under way stops early.
    try? await cancelWhenGracefulShutdown {
      for await _ in listening { break }
      while !Task.isCancelled {
        await payments.recoverPendingPayments()
        await refunds.recoverPendingRefunds()
        try await Task.sleep(for: interval)
      }
    }
  }
}
