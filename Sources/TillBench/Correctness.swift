/// The figures the correctness check compares, gathered after the scenarios ran.
struct CorrectnessEvidence: Sendable {
  /// Stock per SKU when the run started and now.
  var stockBefore: [String: Int]
  var stockAfter: [String: Int]
  /// Units per SKU in the run's orders that are not canceled (HTTP, store-direct and pgbench orders).
  var sold: [String: Int]
  /// Per cart: the +1s acknowledged with a 2xx, and the quantity the cart holds now.
  var acknowledged: [String: Int]
  var applied: [String: Int]
  /// Succeeded charges per order id at the card provider; nil when the provider is not ours to ask.
  var chargesByOrder: [String: Int]?
  /// Orders whose card payment succeeded, as the back end says.
  var succeededCardOrders: Set<String>
}

/// The verdict printed at the end of every run and written under "correctness" in the JSON.
struct CorrectnessReport: Codable, Sendable, Equatable {
  /// Units by which some product's stock broke conservation (start = now + sold); 0 when none.
  var oversold: Int
  /// +1s acknowledged with a 2xx that the cart does not hold.
  var lostIncrements: Int
  /// Orders charged more than once, plus any difference between provider charges and succeeded payments.
  var doubleCharges: Int
  /// +1s the cart holds that were not acknowledged (e.g. a timed-out answer): not lost, reported apart.
  var unacknowledgedIncrements: Int
  var productsChecked: Int
  var cartsChecked: Int
  /// Succeeded card payments compared with the provider's charges.
  var cardPaymentsChecked: Int
  /// False when the card provider could not be asked (a `--server` run): double charges then count only
  /// what the back end shows.
  var chargesChecked: Bool

  var passed: Bool { oversold == 0 && lostIncrements == 0 && doubleCharges == 0 }

  init(
    oversold: Int, lostIncrements: Int, doubleCharges: Int, unacknowledgedIncrements: Int = 0,
    productsChecked: Int = 0, cartsChecked: Int = 0, cardPaymentsChecked: Int = 0, chargesChecked: Bool = true
  ) {
    self.oversold = oversold
    self.lostIncrements = lostIncrements
    self.doubleCharges = doubleCharges
    self.unacknowledgedIncrements = unacknowledgedIncrements
    self.productsChecked = productsChecked
    self.cartsChecked = cartsChecked
    self.cardPaymentsChecked = cardPaymentsChecked
    self.chargesChecked = chargesChecked
  }

  /// Compares the evidence. Pure, so a test can feed it an injected oversell or a lost increment.
  init(evaluating evidence: CorrectnessEvidence) {
    var oversold = 0
    for (sku, before) in evidence.stockBefore {
      let after = evidence.stockAfter[sku] ?? 0
      oversold += abs(before - after - evidence.sold[sku, default: 0]) + max(0, -after)
    }
    // A product sold that did not exist at the start is a broken ledger too.
    for (sku, units) in evidence.sold where evidence.stockBefore[sku] == nil { oversold += units }
    var lost = 0
    var unacknowledged = 0
    for (cart, acknowledged) in evidence.acknowledged {
      let applied = evidence.applied[cart, default: 0]
      lost += max(0, acknowledged - applied)
      unacknowledged += max(0, applied - acknowledged)
    }
    var doubleCharges = 0
    if let charges = evidence.chargesByOrder {
      doubleCharges += charges.values.filter { $0 > 1 }.count
      let charged = Set(charges.keys)
      doubleCharges += charged.symmetricDifference(evidence.succeededCardOrders).count
    }
    self.init(
      oversold: oversold, lostIncrements: lost, doubleCharges: doubleCharges,
      unacknowledgedIncrements: unacknowledged, productsChecked: evidence.stockBefore.count,
      cartsChecked: evidence.acknowledged.count, cardPaymentsChecked: evidence.succeededCardOrders.count,
      chargesChecked: evidence.chargesByOrder != nil)
  }

  /// Sums two engines' verdicts (the JSON has one "correctness" object per run).
  static func + (left: Self, right: Self) -> Self {
    Self(
      oversold: left.oversold + right.oversold, lostIncrements: left.lostIncrements + right.lostIncrements,
      doubleCharges: left.doubleCharges + right.doubleCharges,
      unacknowledgedIncrements: left.unacknowledgedIncrements + right.unacknowledgedIncrements,
      productsChecked: left.productsChecked + right.productsChecked,
      cartsChecked: left.cartsChecked + right.cartsChecked,
      cardPaymentsChecked: left.cardPaymentsChecked + right.cardPaymentsChecked,
      chargesChecked: left.chargesChecked && right.chargesChecked)
  }
}
