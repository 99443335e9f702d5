import ArgumentParser
import Foundation

/// How a till trusts an HTTPS back end: the shop's CA file, and optionally the server key's pin. The
/// certificate's chain, dates and host name are always checked; nothing here turns that off.
struct TrustFlags: ParsableArguments {
  @Option(
    name: .customLong("ca-certificate"),
    help: ArgumentHelp(
      "With an https --server: the shop's CA certificate (PEM) the server's certificate must come from"
        + " (`till-server certificate show` names it).", valueName: "file"))
  var caCertificate: String?

  @Option(
    help: ArgumentHelp(
      "With an https --server: also require the server's public key to be this one"
        + " (`till-server certificate show` prints it).", valueName: "sha256//base64"))
  var pin: String?

  func validate() throws {
    if let caCertificate, !FileManager.default.isReadableFile(atPath: caCertificate) {
      throw ValidationError("--ca-certificate: cannot read \(caCertificate)")
    }
    if let pin, !pin.hasPrefix("sha256//") || pin.count < 20 {
      throw ValidationError("--pin wants sha256//<base64>, as `till-server certificate show` prints it")
    }
  }

  /// The flags only mean something for an https back end.
  func check(server: String?) throws {
    guard caCertificate != nil || pin != nil else { return }
    guard let server, server.hasPrefix("https://") else {
      throw ValidationError("--ca-certificate and --pin are for an https:// --server")
    }
  }
}
