import Synchronization

/// What the next payment request should suffer.
public enum FaultMode: String, Codable, Sendable, CaseIterable {
  /// 202 `{"type": "processing", "retry_after": ms}` and no charge.
  case processing
  /// 500 and no charge.
  case errorBeforeCharge = "error-before-charge"
  /// Record the charge, then close the connection without answering.
  case dropAfterCharge = "drop-after-charge"
  /// Record the charge, commit, then answer after `delayMs`.
  case delayAfterCharge = "delay-after-charge"
  /// Record the payment as `canceled` with `reason` (default "insufficient_funds").
  case decline
}

/// One entry of the fault queue, as `POST /sandbox/faults` takes it and `GET /sandbox/faults` shows it.
public struct Fault: Codable, Equatable, Sendable {
  public var mode: FaultMode
  /// How many more payment requests this fault applies to.
  public var count: Int
  /// Delay for `delay-after-charge`, and the `retry_after` hint for `processing`.
  public var delayMs: Int
  /// Decline reason for `decline`.
  public var reason: String?

  public init(mode: FaultMode, count: Int = 1, delayMs: Int = 0, reason: String? = nil) {
    self.mode = mode
    self.count = count
    self.delayMs = delayMs
    self.reason = reason
  }
}

/// Body of `POST /sandbox/faults`; only `mode` is required.
struct FaultBody: Decodable {
  var mode: FaultMode
  var count: Int?
  var delayMs: Int?
  var reason: String?

  static let maximumCount = 10_000
  static let maximumDelayMs = 120_000

  /// The fault this body asks for, or an error naming the field that is out of range.
  func fault() throws(SandboxError) -> Fault {
    let count = count ?? 1
    guard (1...Self.maximumCount).contains(count) else {
      throw .invalidRequest("count must be 1...\(Self.maximumCount)", parameter: "count")
    }
    let delayMs = delayMs ?? (mode == .processing ? 100 : 0)
    guard (0...Self.maximumDelayMs).contains(delayMs) else {
      throw .invalidRequest("delayMs must be 0...\(Self.maximumDelayMs)", parameter: "delayMs")
    }
    if let reason, reason.isEmpty || reason.utf8.count > 128 {
      throw .invalidRequest("reason must be 1...128 bytes", parameter: "reason")
    }
    let defaultReason = mode == .decline ? "insufficient_funds" : nil
    return Fault(mode: mode, count: count, delayMs: delayMs, reason: reason ?? defaultReason)
  }
}

/// `{"items": [...]}` answer of `GET /sandbox/faults`.
public struct FaultList: Codable, Sendable {
  public var items: [Fault]
}

/// The in-memory queue of armed faults, consumed one per `POST /v3/payments` call.
final class FaultQueue: Sendable {
  private let entries = Mutex<[Fault]>([])

  func append(_ fault: Fault) -> [Fault] {
    entries.withLock { entries in
      entries.append(fault)
      return entries
    }
  }

  func clear() {
    entries.withLock { $0.removeAll() }
  }

  var snapshot: [Fault] { entries.withLock { $0 } }

  /// Takes one use of the oldest armed fault (with `count` 1), or nil when none is armed.
  func next() -> Fault? {
    entries.withLock { entries in
      guard var first = entries.first else { return nil }
      first.count -= 1
      if first.count == 0 { entries.removeFirst() } else { entries[0] = first }
      return Fault(mode: first.mode, count: 1, delayMs: first.delayMs, reason: first.reason)
    }
  }
}
