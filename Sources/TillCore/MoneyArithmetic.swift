/// Why an amount could not be computed exactly.
public enum MoneyError: Error, Hashable, Sendable {
  /// The exact result does not fit in a 64-bit integer.
  case overflow
  /// An amount in `found` met one in `expected`: amounts of two currencies are never added or compared.
  case currencyMismatch(expected: String, found: String)
}

/// Checked arithmetic: every product, sum and difference of money goes through these, so no amount can
/// trap on overflow and no two currencies are ever added. Within the bounds of `Limits` none of them can
/// fail; they still refuse rather than trap when stored data slipped past those bounds.
extension Money {
  /// `self × quantity`, e.g. a line total from a unit price.
  public func times(_ quantity: Int) throws(MoneyError) -> Money {
    let (product, overflow) = amount.multipliedReportingOverflow(by: quantity)
    guard !overflow else { throw .overflow }
    return Money(amount: product, currency: currency)
  }

  /// `self + other`; both must be in this currency.
  public func adding(_ other: Money) throws(MoneyError) -> Money {
    guard other.currency == currency else {
      throw .currencyMismatch(expected: currency, found: other.currency)
    }
    let (sum, overflow) = amount.addingReportingOverflow(other.amount)
    guard !overflow else { throw .overflow }
    return Money(amount: sum, currency: currency)
  }

  /// `self − other`, e.g. change from cash tendered; both must be in this currency.
  public func subtracting(_ other: Money) throws(MoneyError) -> Money {
    guard other.currency == currency else {
      throw .currencyMismatch(expected: currency, found: other.currency)
    }
    let (difference, overflow) = amount.subtractingReportingOverflow(other.amount)
    guard !overflow else { throw .overflow }
    return Money(amount: difference, currency: currency)
  }

  /// The sum of `amounts`, every one of which must be in `currency`; zero in `currency` when there are
  /// none.
  public static func sum(_ amounts: some Sequence<Money>, currency: String) throws(MoneyError) -> Money {
    var total = Money.zero(currency)
    for amount in amounts {
      total = try total.adding(amount)
    }
    return total
  }
}
