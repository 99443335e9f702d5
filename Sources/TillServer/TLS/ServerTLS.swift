import NIOSSL

/// The back end's certificate and key, for HTTPS (`till-server --tls-certificate FILE --tls-key FILE`).
public struct ServerTLS: Sendable, Hashable {
  /// PEM: the server certificate, optionally followed by intermediate certificates.
  public var certificatePath: String
  /// PEM: the server certificate's private key (readable by the server's user only).
  public var keyPath: String

  public init(certificatePath: String, keyPath: String) {
    self.certificatePath = certificatePath
    self.keyPath = keyPath
  }

  /// The server side of TLS 1.2 and 1.3 with these files; a file that cannot be read or parsed, or a
  /// key that is not the certificate's, is one line naming it.
  func configuration() throws(ServerConfigurationError) -> TLSConfiguration {
    let chain: [NIOSSLCertificate]
    do {
      chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
    } catch {
      throw .invalidTLSFiles("cannot read the TLS certificate \(certificatePath): \(error)")
    }
    guard !chain.isEmpty else { throw .invalidTLSFiles("\(certificatePath) holds no certificate") }
    let key: NIOSSLPrivateKey
    do {
      key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
    } catch {
      throw .invalidTLSFiles("cannot read the TLS key \(keyPath): \(error)")
    }
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    configuration.minimumTLSVersion = .tlsv12
    do {
      // Building the context checks that the key belongs to the certificate, now rather than at the
      // first till's handshake.
      _ = try NIOSSLContext(configuration: configuration)
    } catch {
      throw .invalidTLSFiles(
        "the TLS key \(keyPath) does not fit the certificate \(certificatePath): \(error)")
    }
    return configuration
  }
}

extension ServerConfiguration {
  /// Whether the configured address keeps the server on this machine (a loopback address).
  var listensOnLoopback: Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }

  /// Plain HTTP only on loopback, unless the operator said otherwise: on the shop's network every
  /// token and PIN would cross it readable by anyone on it.
  func checkTransport() throws(ServerConfigurationError) {
    guard tls == nil, !listensOnLoopback, !allowPlainHTTP else { return }
    throw .plainHTTPOnNetwork(host: host)
  }
}
