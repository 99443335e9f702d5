import ArgumentParser
import Foundation

/// The shop's flags, the same for `till-server` and the `till` executable's embedded back end: what the
/// receipts print at their top, the cashier's discount limit and whether catalogue prices include tax.
/// Each falls back to its environment variable, then to its default.
public struct ShopFlags: ParsableArguments, Sendable {
  @Option(
    name: .long,
    help: ArgumentHelp("The shop's name on receipts (env TILL_SHOP_NAME; default Till).", valueName: "name"))
  public var shopName: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A line of the shop's address on receipts (repeatable; env TILL_SHOP_ADDRESS, lines separated by |).",
      valueName: "line"))
  public var shopAddress: [String] = []

  @Option(
    name: .long, help: ArgumentHelp("The shop's VAT id on receipts (env TILL_VAT_ID).", valueName: "id"))
  public var vatId: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The largest discount a cashier may give without a manager's approval, 0-100 (env"
        + " TILL_CASHIER_DISCOUNT_LIMIT; default 10).", valueName: "percent"))
  public var cashierDiscountLimit: Int?

  @Flag(
    name: .long,
    help: ArgumentHelp(
      "Catalogue prices exclude tax; tax is added on top (env TILL_PRICES_EXCLUDE_TAX=1). Every back end"
        + " on one database must agree."))
  public var pricesExcludeTax = false

  @Flag(
    name: .long,
    help: ArgumentHelp(
      "Show cashiers the expected cash in the X report (env TILL_SHOW_EXPECTED_CASH=1); by default counting"
        + " is blind: only managers see it before the close."))
  public var showExpectedCash = false

  @Flag(
    name: .long, inversion: .prefixedNo,
    help: ArgumentHelp(
      "Sell only with the terminal's register open (the default): an order without an open session is"
        + " refused (409 no-open-session), and the till asks for the float after sign-in. --no-require-"
        + "register-session sells without one, for a till that keeps no cash drawer (env"
        + " TILL_REQUIRE_REGISTER_SESSION=0)."))
  public var requireRegisterSession: Bool?

  public init() {}

  public static let shopNameVariable = "TILL_SHOP_NAME"
  public static let shopAddressVariable = "TILL_SHOP_ADDRESS"
  public static let vatIdVariable = "TILL_VAT_ID"
  public static let discountLimitVariable = "TILL_CASHIER_DISCOUNT_LIMIT"
  public static let excludeTaxVariable = "TILL_PRICES_EXCLUDE_TAX"
  public static let showExpectedCashVariable = "TILL_SHOW_EXPECTED_CASH"
  public static let requireRegisterVariable = "TILL_REQUIRE_REGISTER_SESSION"

  /// The settings with the environment's values where no flag was given; a value that cannot be read is
  /// refused with a message naming the variable. Ranges are checked by the server's configuration.
  public func resolved(environment: [String: String]) throws -> ShopSettingsValues {
    func variable(_ name: String) -> String? {
      guard let value = environment[name], !value.isEmpty else { return nil }
      return value
    }
    var limit = cashierDiscountLimit
    if limit == nil, let text = variable(Self.discountLimitVariable) {
      guard let value = Int(text) else {
        throw ValidationError(
          "\(Self.discountLimitVariable) must be a whole percent from 0 to 100, not \(text)")
      }
      limit = value
    }
    func switched(_ flag: Bool?, _ name: String, default: Bool = false) throws -> Bool {
      if let flag { return flag }
      guard let text = variable(name) else { return `default` }
      switch text.lowercased() {
      case "1", "true", "yes": return true
      case "0", "false", "no": return false
      default: throw ValidationError("\(name) must be 1 or 0, not \(text)")
      }
    }
    // A flag given wins; a flag that is off by default is "not given" when absent.
    let excludeTax = try switched(pricesExcludeTax ? true : nil, Self.excludeTaxVariable)
    let showCash = try switched(showExpectedCash ? true : nil, Self.showExpectedCashVariable)
    let requireRegister = try switched(requireRegisterSession, Self.requireRegisterVariable, default: true)
    let addressLines =
      shopAddress.isEmpty
      ? (variable(Self.shopAddressVariable)?.split(separator: "|", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? []) : shopAddress
    return ShopSettingsValues(
      shopName: shopName ?? variable(Self.shopNameVariable), addressLines: addressLines,
      vatId: vatId ?? variable(Self.vatIdVariable), cashierDiscountLimit: limit,
      pricesExcludeTax: excludeTax, showExpectedCash: showCash, requireRegisterSession: requireRegister)
  }
}

/// `ShopFlags` resolved: nil where neither a flag nor the environment gave a value (the default applies).
public struct ShopSettingsValues: Sendable, Hashable {
  public var shopName: String?
  public var addressLines: [String]
  public var vatId: String?
  public var cashierDiscountLimit: Int?
  public var pricesExcludeTax: Bool
  public var showExpectedCash: Bool
  public var requireRegisterSession: Bool

  public init(
    shopName: String? = nil, addressLines: [String] = [], vatId: String? = nil,
    cashierDiscountLimit: Int? = nil, pricesExcludeTax: Bool = false, showExpectedCash: Bool = false,
    requireRegisterSession: Bool = true
  ) {
    self.shopName = shopName
    self.addressLines = addressLines
    self.vatId = vatId
    self.cashierDiscountLimit = cashierDiscountLimit
    self.pricesExcludeTax = pricesExcludeTax
    self.showExpectedCash = showExpectedCash
    self.requireRegisterSession = requireRegisterSession
  }
}
