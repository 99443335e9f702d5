import TillCore

/// What a receipt header may hold: printable text of a bounded size, so every receipt prints it whole
/// and a stray control character can never reach a printer as a command.
enum ShopDetailsRules {
  /// The longest name, address line or VAT id, in code points.
  static let maxTextLength = 60
  /// The most address lines a receipt header prints.
  static let maxAddressLines = 6

  static func check(_ shop: ShopDetails) throws(ServerConfigurationError) {
    guard isPrintable(shop.name) else {
      throw .invalidShopDetails(
        "the shop name must be 1 to \(maxTextLength) characters without control characters")
    }
    guard shop.addressLines.count <= maxAddressLines else {
      throw .invalidShopDetails(
        "a shop has at most \(maxAddressLines) address lines, not \(shop.addressLines.count)")
    }
    for (index, line) in shop.addressLines.enumerated() where !isPrintable(line) {
      throw .invalidShopDetails(
        "shop address line \(index + 1) must be 1 to \(maxTextLength) characters without control characters")
    }
    if let vatId = shop.vatId, !isPrintable(vatId) {
      throw .invalidShopDetails(
        "the VAT id must be 1 to \(maxTextLength) characters without control characters")
    }
  }

  /// Not blank, at most `maxTextLength` code points, none of them a control character.
  static func isPrintable(_ text: String) -> Bool {
    !text.allSatisfy(\.isWhitespace) && text.unicodeScalars.count <= maxTextLength
      && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }
}

extension ServerConfiguration {
  /// Takes the shop's settings as the command line gives them: nil (or no address lines) keeps what
  /// the configuration has, the defaults unless set before. Checked by `validated()`.
  public mutating func applyShop(
    name: String?, addressLines: [String], vatId: String?, cashierDiscountLimit: Int?,
    showExpectedCash: Bool = false, requireRegisterSession: Bool? = nil
  ) {
    if let name { shop.name = name }
    if !addressLines.isEmpty { shop.addressLines = addressLines }
    if let vatId { shop.vatId = vatId }
    if let cashierDiscountLimit { self.cashierDiscountLimit = cashierDiscountLimit }
    if showExpectedCash { self.showExpectedCash = true }
    if let requireRegisterSession { self.requireRegisterSession = requireRegisterSession }
  }
}
