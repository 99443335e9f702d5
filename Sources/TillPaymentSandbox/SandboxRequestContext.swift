import Hummingbird

/// The request context of the sandbox: Hummingbird's basics plus the connection's channel, which the
/// `drop-after-charge` fault closes to leave a request unanswered.
struct SandboxRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  /// Closes this request's connection; a closure so this module needs no direct NIO import.
  private let closeConnection: @Sendable () async -> Void

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    let channel = source.channel
    closeConnection = { try? await channel.close() }
  }

  /// Payment and fault bodies are small; anything bigger is refused with 413 before it is parsed.
  var maxUploadSize: Int { 64 * 1024 }

  /// Closes the connection without writing a response and waits until it is closed, so that nothing
  /// written afterwards can reach the client.
  func dropConnection() async {
    await closeConnection()
  }
}
