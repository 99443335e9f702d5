import Synchronization
import TillCore

/// Owns the state and runs the loop: terminal events and effect results come in as actions through one
/// queue (never dropped), `update` decides, `render` draws, and effects run on tasks of their own.
public final class Program: Sendable {
  private enum Input: Sendable {
    case action(Action)
    /// A signal: keys are no longer taken; the run ends once the edits typed so far reached the back end.
    case interrupt
    case stop
  }

  private struct Shared: Sendable {
    var state: AppState
    var screen: Screen
    var received = 0
    var processed = 0
    var effectsInFlight = 0
    var finished = false
  }

  private let backend: any CashierBackend
  private let terminal: any Terminal
  private let tickInterval: Duration
  private let inputs: AsyncStream<Input>
  private let continuation: AsyncStream<Input>.Continuation
  private let shared: Mutex<Shared>

  /// - Parameters:
  ///   - state: the starting state; its size is replaced by the terminal's.
  ///   - tickInterval: how often live stock is refreshed and failed calls retried.
  public init(
    state: AppState, backend: any CashierBackend, terminal: any Terminal, tickInterval: Duration = .seconds(1)
  ) {
    self.backend = backend
    self.terminal = terminal
    self.tickInterval = tickInterval
    (inputs, continuation) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .unbounded)
    shared = Mutex(Shared(state: state, screen: Screen(size: state.size)))
  }

  /// A program for a fresh session: new session id, the terminal's size.
  public convenience init(
    configuration: AppConfiguration, backend: any CashierBackend, terminal: any Terminal,
    tickInterval: Duration = .seconds(1)
  ) {
    self.init(
      state: AppState(configuration: configuration, size: terminal.size), backend: backend,
      terminal: terminal,
      tickInterval: tickInterval)
  }

  /// Queues an action (from any thread). Nothing sent is ever dropped.
  public func send(_ action: Action) {
    shared.withLock { $0.received += 1 }
    continuation.yield(.action(action))
  }

  /// Ends `run()` after the actions already queued.
  public func stop() {
    continuation.yield(.stop)
  }

  /// Ends `run()` as a signal should: no more keys, but the edits already typed are sent first (for at
  /// most `drainTimeout`, say while the back end is unreachable).
  public func interrupt() {
    continuation.yield(.interrupt)
  }

  /// How long an interrupted program keeps sending queued edits before it ends anyway.
  public static let drainTimeout = Duration.seconds(3)

  /// The state after the last action processed.
  public var state: AppState { shared.withLock { $0.state } }
  /// The screen after the last action processed.
  public var screen: Screen { shared.withLock { $0.screen } }
  /// Whether `run()` has ended.
  public var isFinished: Bool { shared.withLock { $0.finished } }

  /// True when every queued action has been processed and no back-end call is on its way.
  public var isIdle: Bool {
    shared.withLock { $0.processed == $0.received && $0.effectsInFlight == 0 }
  }

  /// Runs until the cashier quits or `stop()` is called; the terminal is restored on return.
  public func run() async throws(TerminalError) {
    try terminal.start { [weak self] event in
      switch event {
      case .key(let key): self?.send(.key(key))
      case .scan(let code): self?.send(.scan(code))
      case .resize(let size): self?.send(.resize(size))
      case .interrupted: self?.interrupt()
      }
    }
    defer {
      terminal.stop()
      shared.withLock { $0.finished = true }
    }
    let ticker = Task { [tickInterval, weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: tickInterval)
        if Task.isCancelled { break }
        self?.send(.tick)
      }
    }
    defer { ticker.cancel() }

    var state = shared.withLock { $0.state }
    state.size = terminal.size
    let initial = state.start()
    perform(publish(state, effects: initial, processedOne: false))
    if state.quitting { return }
    var drainDeadline: ContinuousClock.Instant?
    for await input in inputs {
      switch input {
      case .stop:
        return
      case .interrupt:
        if drainDeadline == nil {
          drainDeadline = .now + Self.drainTimeout
          state.status = StatusMessage("Closing: saving the cart…")
          perform(publish(state, effects: [], processedOne: false))
        }
      case .action(let action):
        if drainDeadline != nil, action.isTyped {
          shared.withLock { $0.processed += 1 }  // typed after the signal: not taken
          continue
        }
        let effects = state.update(action)
        perform(publish(state, effects: effects, processedOne: true))
        if state.quitting { return }
      }
      // Answers and retries (the one-second tick) keep coming while interrupted, so this is looked at
      // again until the edits, and the keys typed before the signal that wait for answers, are through
      // or the time is up.
      if let drainDeadline,
        (!state.hasPendingEdits && state.heldKeys.isEmpty) || ContinuousClock.now >= drainDeadline
      {
        return
      }
    }
  }

  /// Publishes the new state and screen, counts the action as processed and its effects as in flight,
  /// all under one lock: `isIdle` must never see the action done before its effects are counted, or a
  /// script's `expect` could look while a follow-up call is about to start.
  private func publish(_ state: AppState, effects: [Effect], processedOne: Bool) -> [Effect] {
    let screen = render(state, size: state.size)
    let calls = effects.filter { $0 != .quit }
    shared.withLock {
      $0.state = state
      $0.screen = screen
      $0.effectsInFlight += calls.count
      if processedOne { $0.processed += 1 }
    }
    terminal.draw(screen)
    return calls
  }

  /// Runs each effect on a task of its own; `publish` has already counted them in flight.
  private func perform(_ effects: [Effect]) {
    for effect in effects {
      Task { [backend, weak self] in
        let action = await EffectRunner.perform(effect, on: backend)
        if let action { self?.send(action) }
        self?.shared.withLock { $0.effectsInFlight -= 1 }
      }
    }
  }
}

extension Action {
  /// A key or a scan: what a person does at the counter, as opposed to answers and the clock.
  var isTyped: Bool {
    switch self {
    case .key, .scan: return true
    default: return false
    }
  }
}
