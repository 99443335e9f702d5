import CoreMetrics
import Foundation
import Prometheus
import Synchronization
import TillCore
import TillStore

/// The back end's Prometheus metrics, recorded through swift-metrics into a registry of this server's
/// own (so several servers in one process, as in the tests, never count into each other), and written
/// out in the text format for `GET /metrics`. Every name is listed in the README.
public final class ServerMetrics: Sendable {
  private let registry = PrometheusCollectorRegistry()
  private let factory: PrometheusMetricsFactory
  /// The store's own totals as last copied into the counters, so each scrape adds only what is new.
  private let copiedStoreCounters = Mutex(StoreCounters())

  public init() {
    var factory = PrometheusMetricsFactory(registry: registry)
    // Tills talk to a back end on the shop's network: most answers take milliseconds.
    factory.defaultDurationHistogramBuckets = [
      .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
      .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    self.factory = factory
  }

  /// One answer of the HTTP API: `route` is the matched route's pattern (never the raw path, so ids
  /// do not make new series), "NotFound" (as Hummingbird names it) when none matched.
  func request(route: String, method: String, status: Int, duration: Duration) {
    Counter(
      label: "till_http_requests_total",
      dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
    ).increment()
    Timer(
      label: "till_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
      factory: factory
    ).recordNanoseconds(duration.nanoseconds)
  }

  /// A problem answer (every error the API gives), by kind and status.
  func problem(_ kind: ProblemKind?, status: Int) {
    Counter(
      label: "till_problems_total",
      dimensions: [("kind", kind?.rawValue ?? "other"), ("status", String(status))],
      factory: factory
    ).increment()
  }

  /// A new order (not a replayed one).
  func orderPlaced() {
    Counter(label: "till_orders_placed_total", factory: factory).increment()
  }

  /// A payment answer: `outcome` is succeeded, replayed, pending or declined.
  func payment(_ method: Payment.Method, outcome: String) {
    Counter(
      label: "till_payments_total", dimensions: [("method", method.rawValue), ("outcome", outcome)],
      factory: factory
    ).increment()
  }

  /// A refund answer: `outcome` is succeeded, replayed, pending or failed.
  func refund(_ method: Payment.Method, outcome: String) {
    Counter(
      label: "till_refunds_total", dimensions: [("method", method.rawValue), ("outcome", outcome)],
      factory: factory
    ).increment()
  }

  /// A PIN refused at sign-in or in a manager's approval: `reason` is wrong (a wrong PIN, an unknown or
  /// disabled code) or locked (too many attempts, not checked).
  func pinRefused(purpose: String, reason: String) {
    Counter(
      label: "till_pin_refusals_total", dimensions: [("purpose", purpose), ("reason", reason)],
      factory: factory
    ).increment()
  }

  /// The text format of every metric, after reading what only the store knows: the card payments and
  /// refunds pending now, and its counts of increments and waits.
  func scrape(_ store: any ServerStore) async throws -> [UInt8] {
    Gauge(label: "till_card_payments_pending", factory: factory).record(
      try await store.pendingCardPayments().count)
    Gauge(label: "till_card_refunds_pending", factory: factory).record(
      try await store.pendingCardRefunds().count)
    copyStoreCounters(store.counters)
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return buffer
  }

  /// Adds to the counters what the store counted since the last scrape; each field only grows, so
  /// scrapes racing each other add every difference once.
  private func copyStoreCounters(_ now: StoreCounters) {
    let new = copiedStoreCounters.withLock { copied in
      let new = StoreCounters(
        incrementsApplied: max(0, now.incrementsApplied - copied.incrementsApplied),
        incrementsReplayed: max(0, now.incrementsReplayed - copied.incrementsReplayed),
        databaseWaits: max(0, now.databaseWaits - copied.databaseWaits))
      copied = StoreCounters(
        incrementsApplied: max(copied.incrementsApplied, now.incrementsApplied),
        incrementsReplayed: max(copied.incrementsReplayed, now.incrementsReplayed),
        databaseWaits: max(copied.databaseWaits, now.databaseWaits))
      return new
    }
    Counter(label: "till_increments_total", dimensions: [("result", "applied")], factory: factory)
      .increment(by: new.incrementsApplied)
    Counter(label: "till_increments_total", dimensions: [("result", "replayed")], factory: factory)
      .increment(by: new.incrementsReplayed)
    Counter(label: "till_database_waits_total", factory: factory).increment(by: new.databaseWaits)
  }
}

extension Duration {
  /// The whole nanoseconds, for swift-metrics timers.
  var nanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}
