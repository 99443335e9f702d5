import ArgumentParser
import TillServer

/// HTTPS for `till-server serve`: the certificate and key (from `till-server certificate create`), or
/// the explicit choice of plain HTTP on a network address.
struct TLSServeFlags: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Serve HTTPS with this certificate (PEM; env TILL_TLS_CERTIFICATE).", valueName: "file"))
  var tlsCertificate: String?

  @Option(
    name: .long,
    help: ArgumentHelp("The certificate's private key (PEM; env TILL_TLS_KEY).", valueName: "file"))
  var tlsKey: String?

  @Flag(
    name: .long,
    help:
      "Serve plain HTTP on a non-loopback --listen address anyway (tokens and PINs cross the network readable)."
  )
  var allowPlainHTTP = false

  /// The TLS files from the flags, else the environment; both or neither.
  func resolved(environment: [String: String]) throws -> ServerTLS? {
    let certificate = tlsCertificate ?? environment["TILL_TLS_CERTIFICATE"].flatMap { $0.isEmpty ? nil : $0 }
    let key = tlsKey ?? environment["TILL_TLS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    switch (certificate, key) {
    case (nil, nil): return nil
    case (let certificate?, let key?): return ServerTLS(certificatePath: certificate, keyPath: key)
    default: throw StartupError("--tls-certificate and --tls-key go together")
    }
  }
}
