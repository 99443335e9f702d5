import Testing

/// Waits until `condition` holds, looking again every `interval`, for at most `timeout`. When it never
/// holds, the test fails with `message` at the caller's line. Answers whether it held, so a caller can
/// stop early instead of checking what cannot be true.
///
/// `interval` zero yields between looks instead of sleeping: for measurements, where a sleep's
/// granularity would be part of the figure.
@discardableResult
public func eventually(
  within timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20),
  _ message: @autoclosure () -> String = "the condition did not hold in time",
  sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
) async throws -> Bool {
  try await eventuallyValue(
    within: timeout, every: interval, message(), sourceLocation: sourceLocation,
    { try await condition() ? true : nil }) ?? false
}

/// Waits until `probe` answers a value, looking again every `interval`, for at most `timeout`; that
/// value. When none comes, the test fails with `message` (and the last look, when `lastLook` is given)
/// at the caller's line, and the answer is nil.
public func eventuallyValue<Value>(
  within timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20),
  _ message: @autoclosure () -> String = "no value came in time",
  sourceLocation: SourceLocation = #_sourceLocation, _ probe: () async throws -> Value?
) async throws -> Value? {
  let deadline = ContinuousClock.now + timeout
  while true {
    if let value = try await probe() { return value }
    guard ContinuousClock.now < deadline else { break }
    if interval == .zero { await Task.yield() } else { try await Task.sleep(for: interval) }
  }
  Issue.record("\(message()) (waited \(timeout))", sourceLocation: sourceLocation)
  return nil
}
