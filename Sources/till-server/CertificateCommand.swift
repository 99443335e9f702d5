import ArgumentParser
import Foundation
import TillServer

/// `till-server certificate …`: a shop's own certificate authority and the back end's certificate, so
/// the tills can speak HTTPS to it without anyone running a CA by hand.
struct CertificateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "certificate", abstract: "Make and show the shop's TLS certificates.",
    subcommands: [CreateCertificate.self, ShowCertificate.self])
}

/// `till-server certificate create --host NAME … --out DIR`.
struct CreateCertificate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create",
    abstract: "Make the shop's CA (once) and a server certificate for the names the tills use.",
    discussion: """
      Writes DIR/ca.pem and DIR/ca-key.pem (a P-256 CA for ten years, made only when DIR has none) and \
      DIR/server.pem and DIR/server-key.pem (a P-256 server certificate for every --host, DNS names and \
      IP addresses alike, for 397 days), each readable by its owner only. Run it again before the server \
      certificate expires: the same CA signs the new one, so the tills need nothing new. Serve with \
      `till-server --tls-certificate DIR/server.pem --tls-key DIR/server-key.pem`; give each till \
      DIR/ca.pem (`till --ca-certificate`). Keep DIR/ca-key.pem off the tills.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A name the tills reach the server by: a host name or an IP address (repeatable).", valueName: "name"))
  var host: [String] = []

  @Option(name: .long, help: ArgumentHelp("The folder for the files.", valueName: "dir"))
  var out: String

  func run() throws {
    do {
      let made = try ShopCertificates.create(hosts: host, in: out)
      let summary = try ShopCertificates.show(made.files)
      print(
        made.newCA
          ? "made a new shop CA: \(made.files.caCertificate)"
          : "kept the shop CA: \(made.files.caCertificate)")
      print("server certificate: \(made.files.serverCertificate) (key \(made.files.serverKey))")
      ShowCertificate.printSummary(summary)
    } catch {
      throw ValidationError("\(error)")
    }
  }
}

/// `till-server certificate show --out DIR`: what a till needs to trust the server.
struct ShowCertificate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print what a till needs to trust the server: the CA file, its fingerprint and the key pin.")

  @Option(name: .long, help: ArgumentHelp("The folder `certificate create` wrote.", valueName: "dir"))
  var out: String

  func run() throws {
    do {
      Self.printSummary(try ShopCertificates.show(ShopCertificates.Files(directory: out)))
    } catch {
      throw ValidationError("\(error)")
    }
  }

  static func printSummary(_ summary: ShopCertificates.Summary) {
    print("CA file for the tills (till --ca-certificate): \(summary.caFile)")
    print("CA SHA-256 fingerprint: \(summary.caFingerprint)")
    print("server names: \(summary.serverNames.joined(separator: ", "))")
    print("server certificate valid until: \(summary.serverNotAfter.formatted(.iso8601))")
    print("server key pin (till --pin, optional): \(summary.serverPin)")
  }
}
