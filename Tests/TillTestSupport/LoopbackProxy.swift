import Foundation
import Synchronization
import TillLocalServices

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP proxy on 127.0.0.1 between a client and a server, that can lose or delay answers on purpose.
///
/// Bytes are relayed unchanged both ways, one pair of threads per connection. With an `AnswerDelay`,
/// every answer (the first bytes the server sends after the client sent a request on that connection)
/// is held for a seeded random time in its range before it is passed on; requests pass at once. After
/// `dropNextResponses(n)`, the next `n` times the server starts answering, the proxy closes both sides
/// without forwarding a byte: the server has done the work, the client sees the connection die. That
/// is the "lost response" of the exactly-once tests.
///
/// ```swift
/// let proxy = try LoopbackProxy(upstreamPort: harness.server.port)
/// proxy.dropNextResponses(1)
/// // a client on proxy.baseURL now loses its first answer and must retry
///
/// let slow = try LoopbackProxy(upstreamPort: port, answerDelay: .init(milliseconds: 20...80, seed: 7))
/// // every answer to a client on slow.baseURL now arrives 20 to 80 ms late
/// ```
public final class LoopbackProxy: Sendable {
  /// How long each answer is held: a random time in `milliseconds`, drawn from a generator seeded with
  /// `seed`, so a run's delays come from one printed seed.
  public struct AnswerDelay: Sendable, Hashable {
    public var milliseconds: ClosedRange<Int>
    public var seed: UInt64

    public init(milliseconds: ClosedRange<Int>, seed: UInt64) {
      self.milliseconds = milliseconds
      self.seed = seed
    }
  }

  public let port: Int
  private let upstreamPort: Int
  private let answerDelay: AnswerDelay?
  private let delays: Mutex<SplitMix64>
  private let delayed = Atomic<Int>(0)
  private let listener: Int32
  private let dropsArmed = Atomic<Int>(0)
  private let dropped = Atomic<Int>(0)
  private let accepted = Atomic<Int>(0)
  private let sockets = Mutex<Set<Int32>>([])

  public var baseURL: String { "http://127.0.0.1:\(port)" }
  /// Client connections accepted so far.
  public var acceptedConnections: Int { accepted.load(ordering: .sequentiallyConsistent) }
  /// Answers dropped so far.
  public var droppedResponses: Int { dropped.load(ordering: .sequentiallyConsistent) }
  /// Answers held back by `answerDelay` so far.
  public var delayedAnswers: Int { delayed.load(ordering: .sequentiallyConsistent) }

  /// - Parameter answerDelay: when set, every answer is passed on only after a random time in its range.
  public init(upstreamPort: Int, answerDelay: AnswerDelay? = nil) throws {
    let (fd, port) = try LoopbackSocket.listen(backlog: 64)
    self.listener = fd
    self.port = port
    self.upstreamPort = upstreamPort
    self.answerDelay = answerDelay
    self.delays = Mutex(SplitMix64(seed: answerDelay?.seed ?? 0))
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  /// Loses the next `count` answers (each the first bytes the server sends on some connection after now).
  public func dropNextResponses(_ count: Int) {
    dropsArmed.store(count, ordering: .sequentiallyConsistent)
  }

  /// Stops accepting and closes every relayed connection.
  ///
  /// Only shuts sockets down; the threads that use them close them, so no descriptor number is closed
  /// while another thread may still use it (and find it reused by an unrelated socket).
  public func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    sockets.withLock { fds in
      for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
    }
  }

  private func acceptLoop() {
    while true {
      let client = accept(listener, nil, nil)
      guard client >= 0 else {
        close(listener)
        return
      }
      accepted.add(1, ordering: .sequentiallyConsistent)
      guard let server = connectUpstream() else {
        close(client)
        continue
      }
      sockets.withLock { $0.formUnion([client, server]) }
      let pair = Pair(client: client, server: server)
      Thread.detachNewThread { [self] in relay(pair, fromClient: true) }
      Thread.detachNewThread { [self] in relay(pair, fromClient: false) }
    }
  }

  private func connectUpstream() -> Int32? {
    try? LoopbackSocket.connect(port: upstreamPort)
  }

  /// One direction of a connection. When either side ends (or an answer is dropped), both sockets are
  /// shut down so the other direction ends too; whichever direction finishes last closes them.
  private func relay(_ pair: Pair, fromClient: Bool) {
    let source = fromClient ? pair.client : pair.server
    let destination = fromClient ? pair.server : pair.client
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
      guard count > 0 else { break }
      if fromClient {
        // Marked before the request is passed on, so its answer cannot arrive before the mark.
        pair.requestSent.store(true, ordering: .sequentiallyConsistent)
      } else if claimDrop() {
        dropped.add(1, ordering: .sequentiallyConsistent)
        break
      } else if pair.requestSent.exchange(false, ordering: .sequentiallyConsistent) {
        holdAnswer()
      }
      guard LoopbackSocket.writeAll(destination, buffer[0..<count]) else { break }
    }
    shutdown(pair.client, Int32(SHUT_RDWR))
    shutdown(pair.server, Int32(SHUT_RDWR))
    guard pair.finished.add(1, ordering: .sequentiallyConsistent).newValue == 2 else { return }
    sockets.withLock { fds in
      fds.subtract([pair.client, pair.server])
      close(pair.client)
      close(pair.server)
    }
  }

  /// Sleeps this connection's answer thread for the next seeded delay (nothing without `answerDelay`).
  /// `stop()` needs no wake-up: the wait is short, and the send after it fails on the shut-down socket.
  private func holdAnswer() {
    guard let answerDelay else { return }
    let range = answerDelay.milliseconds
    let milliseconds = delays.withLock { range.lowerBound + $0.below(range.count) }
    delayed.add(1, ordering: .sequentiallyConsistent)
    usleep(useconds_t(milliseconds * 1_000))
  }

  private func claimDrop() -> Bool {
    while true {
      let armed = dropsArmed.load(ordering: .sequentiallyConsistent)
      guard armed > 0 else { return false }
      if dropsArmed.compareExchange(expected: armed, desired: armed - 1, ordering: .sequentiallyConsistent)
        .exchanged
      {
        return true
      }
    }
  }

  private final class Pair: Sendable {
    let client: Int32
    let server: Int32
    /// Directions done relaying; the second one closes both sockets.
    let finished = Atomic<Int>(0)
    /// The client sent bytes the server has not started answering yet.
    let requestSent = Atomic<Bool>(false)

    init(client: Int32, server: Int32) {
      self.client = client
      self.server = server
    }
  }
}
