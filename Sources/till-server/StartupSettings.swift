import Foundation
import Logging
import TillCommandLine
import TillCore
import TillServer
import TillStore

/// Flags and environment resolved into what the server needs, with every refusal a one-line message.
struct StartupSettings {
  var configuration: ServerConfiguration
  var databasePath: String
  var seedPath: String?
  var logLevel: Logger.Level
  /// Whether the catalogue's prices include tax: the store is opened with it.
  var taxBasis: TaxBasis

  init(
    listen: ListenAddress, database: String?, seed: String?, staffTokens: [String], terminals: [String] = [],
    adminToken: String?, logLevel: Logger.Level, payment: PaymentFlags = PaymentFlags(),
    shop: ShopSettingsValues = ShopSettingsValues(), transport: TLSServeFlags, environment: [String: String]
  ) throws {
    var staff = staffTokens
    if let list = environment["TILL_STAFF_TOKENS"] {
      staff += list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty
      }
    }
    let admin = adminToken ?? environment["TILL_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    var configuration = ServerConfiguration(
      host: listen.host, port: listen.port, staffTokens: staff, adminToken: admin,
      paymentProvider: try payment.resolved(environment: environment),
      terminals: try TerminalFlags.terminals(flags: terminals, environment: environment))
    configuration.applyShop(
      name: shop.shopName, addressLines: shop.addressLines, vatId: shop.vatId,
      cashierDiscountLimit: shop.cashierDiscountLimit, showExpectedCash: shop.showExpectedCash,
      requireRegisterSession: shop.requireRegisterSession)
    configuration.tls = try transport.resolved(environment: environment)
    configuration.allowPlainHTTP = transport.allowPlainHTTP
    self.configuration = try configuration.validated()
    taxBasis = shop.pricesExcludeTax ? .exclusive : .inclusive
    databasePath = database ?? DataDirectory.defaultDatabasePath(environment: environment)
    seedPath = seed
    self.logLevel = logLevel
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
