import Hummingbird
import TillCore
import TillStore

/// `GET /v1/ready`: readiness, no token needed — 200 only when the database answers within `timeout`
/// and its schema is this build's (every migration applied, none from a newer build); else 503
/// `not-ready` saying which. `/v1/health` stays liveness: it answers while the process runs.
struct ReadinessRoutes {
  static let path = "/v1/ready"

  let store: any Store
  let timeout: Duration

  func register(on router: Router<TillRequestContext>) {
    router.get(RouterPath(Self.path)) { _, _ -> Health in
      switch await check() {
      case .ready: return Health(status: "ready", engine: store.engine)
      case .notReady(let reason): throw Problem(.notReady, detail: reason)
      }
    }
  }

  enum Outcome: Sendable {
    case ready
    case notReady(String)
  }

  /// The schema check, or the reason there is none: the database did not answer, or not in time. The
  /// check runs on its own task, so a database that hangs (a pool waiting to reconnect) cannot hold the
  /// answer past `timeout`.
  func check() async -> Outcome {
    let (outcomes, continuation) = AsyncStream<Outcome>.makeStream()
    let probe = Task { [store] in
      do {
        let status = try await store.schemaStatus()
        continuation.yield(
          status.isCurrent
            ? .ready : .notReady("The database schema is not this build's: \(status.explanation)."))
      } catch {
        continuation.yield(.notReady("The database does not answer."))
      }
    }
    let timer = Task { [timeout] in
      try? await Task.sleep(for: timeout)
      continuation.yield(.notReady("The database did not answer within \(timeout)."))
    }
    var first = outcomes.makeAsyncIterator()
    let outcome = await first.next() ?? .notReady("The database does not answer.")
    continuation.finish()
    probe.cancel()
    timer.cancel()
    return outcome
  }
}
