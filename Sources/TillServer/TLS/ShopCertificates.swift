import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
  import Glibc
#endif

/// A shop's own certificate authority and the back end's server certificate, made without a
/// certificate authority of anyone else's and without shelling out: ECDSA P-256 keys (swift-crypto),
/// X.509 v3 certificates (swift-certificates). The tills trust the shop's CA file (and may pin the
/// server's key on top of it); the back end presents the server certificate for the names the tills
/// reach it by.
public enum ShopCertificates {
  /// The files of one shop, in one folder.
  public struct Files: Sendable, Hashable {
    public var directory: String
    public var caCertificate: String { directory + "/ca.pem" }
    public var caKey: String { directory + "/ca-key.pem" }
    public var serverCertificate: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server-key.pem" }

    public init(directory: String) {
      self.directory = directory
    }
  }

  /// The CA lives ten years: every till trusts it, so replacing it means visiting every till.
  public static let caLifetime: TimeInterval = 10 * 365 * 86_400
  /// The server certificate lives 397 days (what browsers accept of any CA) and is renewed under the
  /// same CA with the same command, which the tills need not notice.
  public static let serverLifetime: TimeInterval = 397 * 86_400

  /// What `create` made, for the operator.
  public struct Made: Sendable, Hashable {
    public var files: Files
    /// Whether the CA was made now (false: the folder's CA signed a new server certificate).
    public var newCA: Bool
  }

  /// Makes the server certificate for `hosts` (DNS names and IP addresses) in `directory`, signed by the
  /// folder's CA, which is made first when the folder has none. Every file is written readable by its
  /// owner only. `now` and the lifetimes are parameters for tests (an expired certificate).
  public static func create(
    hosts: [String], in directory: String, now: Date = Date(), serverLifetime: TimeInterval = serverLifetime
  ) throws -> Made {
    guard !hosts.isEmpty else {
      throw CertificateError("name at least one --host the tills reach the server by")
    }
    let names = try hosts.map(subjectName)
    let files = Files(directory: directory)
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let (ca, caKey, newCA) = try authority(files, now: now)
    let key = P256.Signing.PrivateKey()
    let subject = try DistinguishedName {
      OrganizationName("Till shop")
      CommonName(hosts[0])
    }
    let certificate = try Certificate(
      version: .v3, serialNumber: Certificate.SerialNumber(),
      publicKey: Certificate.PublicKey(key.publicKey),
      notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(serverLifetime),
      issuer: ca.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true))
        try ExtendedKeyUsage([.serverAuth])
        SubjectAlternativeNames(names)
        SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
        AuthorityKeyIdentifier(keyIdentifier: try ca.extensions.subjectKeyIdentifier?.keyIdentifier)
      },
      issuerPrivateKey: Certificate.PrivateKey(caKey))
    try write(key.pemRepresentation, to: files.serverKey)
    try write(try certificate.serializeAsPEM().pemString, to: files.serverCertificate)
    return Made(files: files, newCA: newCA)
  }

  /// What a till needs to trust the server: the CA file and its SHA-256 fingerprint (to compare with
  /// what the shop's owner reads out), and the server key's pin for `till --pin`.
  public struct Summary: Sendable, Hashable {
    public var caFile: String
    public var caFingerprint: String
    public var serverPin: String
    public var serverNames: [String]
    public var serverNotAfter: Date
  }

  public static func show(_ files: Files) throws -> Summary {
    let ca = try Certificate(pemEncoded: try read(files.caCertificate))
    let server = try Certificate(pemEncoded: try read(files.serverCertificate))
    let caDER = try der(ca)
    let fingerprint = SHA256.hash(data: caDER).map { String(format: "%02X", $0) }.joined(separator: ":")
    let names =
      try server.extensions.subjectAlternativeNames?.map { name -> String in
        switch name {
        case .dnsName(let dns): return dns
        case .ipAddress(let octets): return ipText(Array(octets.bytes))
        default: return "\(name)"
        }
      } ?? []
    return Summary(
      caFile: files.caCertificate, caFingerprint: fingerprint, serverPin: try pin(of: server),
      serverNames: names, serverNotAfter: server.notValidAfter)
  }

  /// libcurl's pinned public key for `certificate`: `sha256//` and the base64 SHA-256 of its
  /// SubjectPublicKeyInfo.
  public static func pin(of certificate: Certificate) throws -> String {
    var serializer = DER.Serializer()
    try serializer.serialize(certificate.publicKey)
    return "sha256//" + Data(SHA256.hash(data: serializer.serializedBytes)).base64EncodedString()
  }

  /// The folder's CA, or a new one written there.
  private static func authority(_ files: Files, now: Date) throws -> (
    Certificate, P256.Signing.PrivateKey, Bool
  ) {
    let manager = FileManager.default
    if manager.fileExists(atPath: files.caCertificate) || manager.fileExists(atPath: files.caKey) {
      let certificate = try Certificate(pemEncoded: try read(files.caCertificate))
      let key = try P256.Signing.PrivateKey(pemRepresentation: try read(files.caKey))
      guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
        throw CertificateError("\(files.caKey) is not the key of \(files.caCertificate)")
      }
      return (certificate, key, false)
    }
    let key = P256.Signing.PrivateKey()
    let name = try DistinguishedName {
      OrganizationName("Till shop")
      CommonName("Till shop CA \(Int(now.timeIntervalSince1970))")
    }
    let certificate = try Certificate(
      version: .v3, serialNumber: Certificate.SerialNumber(),
      publicKey: Certificate.PublicKey(key.publicKey),
      notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(caLifetime),
      issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
        Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
      },
      issuerPrivateKey: Certificate.PrivateKey(key))
    try write(key.pemRepresentation, to: files.caKey)
    try write(try certificate.serializeAsPEM().pemString, to: files.caCertificate)
    return (certificate, key, true)
  }

  /// An IP address literal as an IP SAN, anything else as a DNS name.
  static func subjectName(_ host: String) throws -> GeneralName {
    if let bytes = ipBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))) }
    let allowed = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    guard allowed, !host.isEmpty, host.count <= 253 else {
      throw CertificateError("\(host) is neither an IP address nor a host name")
    }
    return .dnsName(host.lowercased())
  }

  static func ipBytes(_ text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
    return nil
  }

  static func ipText(_ bytes: [UInt8]) -> String {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    let family = bytes.count == 4 ? AF_INET : AF_INET6
    let written = bytes.withUnsafeBytes {
      inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count))
    }
    return written == nil ? bytes.map(String.init).joined(separator: ".") : String(cString: buffer)
  }

  static func der(_ certificate: Certificate) throws -> [UInt8] {
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return serializer.serializedBytes
  }

  /// Writes `text` to `path`, readable and writable by its owner only, replacing what was there.
  private static func write(_ text: String, to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw CertificateError("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    // An existing file keeps its mode through O_CREAT: make sure it is the owner's alone.
    guard fchmod(descriptor, 0o600) == 0 else {
      throw CertificateError("cannot restrict \(path): \(String(cString: strerror(errno)))")
    }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else {
        throw CertificateError("cannot write \(path): \(String(cString: strerror(errno)))")
      }
      written += count
    }
  }

  private static func read(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CertificateError("cannot read \(path)")
    }
    return String(decoding: data, as: UTF8.self)
  }
}

/// Why certificates could not be made or read, in one line for the operator.
public struct CertificateError: Error, CustomStringConvertible, Sendable {
  public var description: String
  init(_ description: String) { self.description = description }
}
