import Foundation
import Logging
import TillServer
import TillStore

/// Flags and environment resolved into what the server needs, with every refusal a one-line message.
struct StartupSettings {
  var configuration: ServerConfiguration
  var databasePath: String
  var seedPath: String?
  var logLevel: Logger.Level

  init(
    listen: String, database: String?, seed: String?, staffTokens: [String], adminToken: String?,
    logLevel: String, payment: PaymentFlags = PaymentFlags(), environment: [String: String]
  ) throws {
    let (host, port) = try Self.parseListen(listen)
    var staff = staffTokens
    if let list = environment["TILL_STAFF_TOKENS"] {
      staff += list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty
      }
    }
    let admin = adminToken ?? environment["TILL_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    configuration = try ServerConfiguration(
      host: host, port: port, staffTokens: staff, adminToken: admin,
      paymentProvider: try payment.resolved(environment: environment)
    ).validated()
    databasePath = database ?? Self.defaultDatabasePath(environment: environment)
    seedPath = seed
    guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
      throw StartupError(
        "unknown log level \(logLevel); use trace, debug, info, notice, warning, error or critical")
    }
    self.logLevel = level
  }

  /// `host:port`, `[v6]:port` or `:port` (loopback).
  static func parseListen(_ value: String) throws -> (host: String, port: Int) {
    guard let colon = value.lastIndex(of: ":") else {
      throw StartupError("--listen wants host:port, e.g. 127.0.0.1:8080, not \(value)")
    }
    var host = String(value[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    if host.isEmpty { host = "127.0.0.1" }
    guard let port = Int(value[value.index(after: colon)...]), (0...65535).contains(port) else {
      throw StartupError("--listen wants a port from 0 to 65535, not \(value)")
    }
    return (host, port)
  }

  /// `$XDG_DATA_HOME/till/till.sqlite`, else `~/.local/share/till/till.sqlite`.
  static func defaultDatabasePath(environment: [String: String]) -> String {
    let base: String
    if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
      base = dataHome
    } else {
      let home = environment["HOME"] ?? NSHomeDirectory()
      base = home + "/.local/share"
    }
    return base + "/till/till.sqlite"
  }
}

/// `--payment-provider`, `--payment-shop-id`, `--payment-secret-key`, each with an environment fallback.
struct PaymentFlags {
  var provider: String?
  var shopId: String?
  var secretKey: String?

  static let providerVariable = "TILL_PAYMENT_PROVIDER"
  static let shopIdVariable = "TILL_PAYMENT_SHOP_ID"
  static let secretKeyVariable = "TILL_PAYMENT_SECRET_KEY"

  /// The provider configuration, nil when no provider is given (card payments off); a provider without
  /// its shop id or secret key is refused. Messages name the setting, never the secret's value.
  func resolved(environment: [String: String]) throws -> PaymentProviderConfiguration? {
    func value(_ flag: String?, _ variable: String) -> String? {
      let value = flag ?? environment[variable]
      return value?.isEmpty == false ? value : nil
    }
    guard let provider = value(provider, Self.providerVariable) else { return nil }
    guard let shopId = value(shopId, Self.shopIdVariable) else {
      throw StartupError("--payment-provider needs --payment-shop-id or \(Self.shopIdVariable)")
    }
    guard let secretKey = value(secretKey, Self.secretKeyVariable) else {
      throw StartupError("--payment-provider needs --payment-secret-key or \(Self.secretKeyVariable)")
    }
    return PaymentProviderConfiguration(baseURL: provider, shopId: shopId, secretKey: secretKey)
  }
}

/// A start-up refusal with its message for the operator.
struct StartupError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) { self.description = description }

  static func describe(_ error: StoreError) -> String {
    switch error {
    case .engine(let message): message
    case .invalidCatalogue(let message): "the catalogue cannot be loaded: \(message)"
    default: "the database refused to start: \(error)"
    }
  }
}
