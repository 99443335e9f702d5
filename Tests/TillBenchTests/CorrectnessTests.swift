import Testing

@testable import TillBench

/// The verdict is a pure function of the evidence, so each kind of breakage is injected by hand.
@Suite struct CorrectnessTests {
  /// A consistent run: 10 A and 5 B sold, 7 increments acknowledged and held, two orders charged once.
  private func cleanEvidence() -> CorrectnessEvidence {
    CorrectnessEvidence(
      stockBefore: ["A": 100, "B": 50], stockAfter: ["A": 90, "B": 45], sold: ["A": 10, "B": 5],
      acknowledged: ["cart-1": 7, "cart-2": 0], applied: ["cart-1": 7, "cart-2": 0],
      chargesByOrder: ["order-1": 1, "order-2": 1], succeededCardOrders: ["order-1", "order-2"])
  }

  @Test func cleanRunPasses() {
    let report = CorrectnessReport(evaluating: cleanEvidence())
    #expect(report.oversold == 0)
    #expect(report.lostIncrements == 0)
    #expect(report.doubleCharges == 0)
    #expect(report.unacknowledgedIncrements == 0)
    #expect(report.productsChecked == 2)
    #expect(report.cartsChecked == 2)
    #expect(report.cardPaymentsChecked == 2)
    #expect(report.chargesChecked)
    #expect(report.passed)
  }

  /// Stock now + units sold must equal stock at the start; a gap either way is counted in units.
  @Test(arguments: [
    (88, 2),  // now + sold = 98 < 100: units vanished
    (93, 3),  // now + sold = 103 > 100: units sold that stock never gave up
  ])
  func brokenStockConservationIsCountedInUnits(after: Int, expected: Int) {
    var evidence = cleanEvidence()
    evidence.stockAfter["A"] = after
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.oversold == expected)
    #expect(report.lostIncrements == 0)
    #expect(report.doubleCharges == 0)
    #expect(!report.passed)
  }

  @Test func gapsOnSeveralProductsAddUp() {
    var evidence = cleanEvidence()
    evidence.stockAfter = ["A": 88, "B": 46]
    #expect(CorrectnessReport(evaluating: evidence).oversold == 3)
  }

  /// Selling 7 of 5 in stock leaves -2: conserved arithmetically, but 2 units were sold that did not exist.
  @Test func negativeStockIsAnOversell() {
    var evidence = cleanEvidence()
    evidence.stockBefore["B"] = 5
    evidence.sold["B"] = 7
    evidence.stockAfter["B"] = -2
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.oversold == 2)
    #expect(!report.passed)
  }

  @Test func sellingAProductThatDidNotExistIsAnOversell() {
    var evidence = cleanEvidence()
    evidence.sold["GHOST"] = 4
    #expect(CorrectnessReport(evaluating: evidence).oversold == 4)
  }

  @Test func acknowledgedIncrementsMissingFromTheCartAreLost() {
    var evidence = cleanEvidence()
    evidence.acknowledged["cart-1"] = 10
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.lostIncrements == 3)
    #expect(report.unacknowledgedIncrements == 0)
    #expect(report.oversold == 0)
    #expect(!report.passed)
  }

  @Test func aCartThatCannotBeReadLosesEveryAcknowledgedIncrement() {
    var evidence = cleanEvidence()
    evidence.applied["cart-1"] = nil
    #expect(CorrectnessReport(evaluating: evidence).lostIncrements == 7)
  }

  /// An increment applied whose answer never came back (a timeout) is not lost, and does not fail the run.
  @Test func unacknowledgedIncrementsAreReportedApartAndDoNotFailTheRun() {
    var evidence = cleanEvidence()
    evidence.applied["cart-1"] = 10
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.unacknowledgedIncrements == 3)
    #expect(report.lostIncrements == 0)
    #expect(report.passed)
  }

  /// One cart's extra +1s must not hide another cart's lost ones.
  @Test func unacknowledgedIncrementsDoNotOffsetLostOnes() {
    var evidence = cleanEvidence()
    evidence.acknowledged = ["cart-1": 7, "cart-2": 5]
    evidence.applied = ["cart-1": 11, "cart-2": 3]
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.lostIncrements == 2)
    #expect(report.unacknowledgedIncrements == 4)
    #expect(!report.passed)
  }

  @Test func twoSucceededChargesForOneOrderAreADoubleCharge() {
    var evidence = cleanEvidence()
    evidence.chargesByOrder = ["order-1": 2, "order-2": 1]
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.doubleCharges == 1)
    #expect(!report.passed)
  }

  @Test func aPaymentRecordedAsSucceededWithoutACardChargeIsReported() {
    var evidence = cleanEvidence()
    evidence.succeededCardOrders.insert("order-3")
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.doubleCharges == 1)
    #expect(report.cardPaymentsChecked == 3)
    #expect(!report.passed)
  }

  @Test func aCardChargeTheBackEndDoesNotRecordIsReported() {
    var evidence = cleanEvidence()
    evidence.chargesByOrder?["order-9"] = 1
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.doubleCharges == 1)
    #expect(!report.passed)
  }

  /// Against `--server` the provider cannot be asked: nothing is compared, and the report says so.
  @Test func withoutTheProviderChargesAreNotCompared() {
    var evidence = cleanEvidence()
    evidence.chargesByOrder = nil
    evidence.succeededCardOrders.insert("order-3")
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.doubleCharges == 0)
    #expect(!report.chargesChecked)
    #expect(report.passed)
  }

  @Test func everyKindOfBreakageIsCountedTogether() {
    var evidence = cleanEvidence()
    evidence.stockAfter["A"] = 89
    evidence.applied["cart-1"] = 5
    evidence.chargesByOrder?["order-2"] = 3
    let report = CorrectnessReport(evaluating: evidence)
    #expect(report.oversold == 1)
    #expect(report.lostIncrements == 2)
    #expect(report.doubleCharges == 1)
    #expect(!report.passed)
  }

  @Test(arguments: [
    CorrectnessReport(oversold: 1, lostIncrements: 0, doubleCharges: 0),
    CorrectnessReport(oversold: 0, lostIncrements: 1, doubleCharges: 0),
    CorrectnessReport(oversold: 0, lostIncrements: 0, doubleCharges: 1),
  ])
  func anyNonZeroCountFailsTheRun(report: CorrectnessReport) {
    #expect(!report.passed)
  }

  @Test func twoEnginesVerdictsAddUp() {
    let sqlite = CorrectnessReport(
      oversold: 1, lostIncrements: 2, doubleCharges: 0, unacknowledgedIncrements: 3, productsChecked: 10,
      cartsChecked: 4, cardPaymentsChecked: 5, chargesChecked: true)
    let postgres = CorrectnessReport(
      oversold: 0, lostIncrements: 1, doubleCharges: 2, unacknowledgedIncrements: 0, productsChecked: 10,
      cartsChecked: 6, cardPaymentsChecked: 1, chargesChecked: false)
    #expect(
      sqlite + postgres
        == CorrectnessReport(
          oversold: 1, lostIncrements: 3, doubleCharges: 2, unacknowledgedIncrements: 3, productsChecked: 20,
          cartsChecked: 10, cardPaymentsChecked: 6, chargesChecked: false))
    #expect(
      CorrectnessReport(oversold: 0, lostIncrements: 0, doubleCharges: 0)
        + CorrectnessReport(oversold: 0, lostIncrements: 0, doubleCharges: 0, unacknowledgedIncrements: 2)
        == CorrectnessReport(oversold: 0, lostIncrements: 0, doubleCharges: 0, unacknowledgedIncrements: 2))
  }
}

/// The ledger the increment scenarios fill, from which the lost-increment check reads its carts.
@Suite struct IncrementLedgerTests {
  @Test func acknowledgementsAddUpPerCart() {
    let ledger = IncrementLedger()
    ledger.acknowledge(cart: "a", delta: 1)
    ledger.acknowledge(cart: "a", delta: 1)
    ledger.acknowledge(cart: "b", delta: 1)
    #expect(ledger.snapshot == ["a": 2, "b": 1])
  }

  @Test func concurrentAcknowledgementsAreAllCounted() async {
    let ledger = IncrementLedger()
    await withTaskGroup(of: Void.self) { group in
      for worker in 0..<16 {
        group.addTask {
          for _ in 0..<500 { ledger.acknowledge(cart: "cart-\(worker % 4)", delta: 1) }
        }
      }
    }
    #expect(ledger.snapshot == ["cart-0": 2_000, "cart-1": 2_000, "cart-2": 2_000, "cart-3": 2_000])
  }

  /// `register` promises that a cart whose every +1 failed is still checked (its unacknowledged
  /// increments reported): so it must appear in the snapshot with 0.
  @Test func aRegisteredCartWithNothingAcknowledgedIsInTheSnapshot() {
    let ledger = IncrementLedger()
    ledger.register(cart: "quiet")
    ledger.acknowledge(cart: "busy", delta: 1)
    #expect(ledger.snapshot == ["quiet": 0, "busy": 1])
  }
}
