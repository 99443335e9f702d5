import Testing
import TillCore

@testable import TillTUI

@Suite("update: cart edits as increment operations")
struct CartUpdateTests {
  @Test func firstAddCreatesTheCartThenSendsTheIncrement() {
    var state = Fixtures.state()
    #expect(state.press(.enter) == [.createCart(staff: "1001")])
    #expect(state.pendingDelta(sku: "BAK-001") == 1)
    let effects = state.update(.cartCreated(staff: "1001", .success(Fixtures.cart([]))))
    #expect(effects == [.increment(cartId: "cart-1", sku: "BAK-001", delta: 1, opId: "S-op-1")])
    #expect(Identifiers.isValidOperationID("S-op-1"))
  }

  @Test func everyOperationHasItsOwnValidOpId() {
    var state = Fixtures.state(withCart: [])
    state.configuration.sessionId = "0F8FAD5B-D9CB-469F-A165-70867728950E"
    var seen = Set<String>()
    for _ in 0..<20 {
      let sent = increments(state.press(.character("+")))
      #expect(sent.count == 1)
      guard let operation = sent.first else { return }
      #expect(Identifiers.isValidOperationID(operation.opId))
      #expect(seen.insert(operation.opId).inserted)
      _ = state.update(
        .incrementFinished(
          opId: operation.opId, .success(Fixtures.cart([Fixtures.line(Fixtures.croissant, seen.count)]))))
    }
  }

  @Test func serverAnswerIsTheTruth() {
    var state = Fixtures.state(withCart: [])
    let sent = increments(state.press(.character("+")))
    #expect(state.displayedCartLines.first?.pending == 1)
    // The server says 5 (another till added to the same cart): the screen shows 5, nothing pending.
    _ = state.update(
      .incrementFinished(opId: sent[0].opId, .success(Fixtures.cart([Fixtures.line(Fixtures.croissant, 5)]))))
    #expect(state.displayedCartLines.map(\.quantity) == [5])
    #expect(state.displayedCartLines.map(\.pending) == [0])
  }

  @Test func multiplierThenEnterAddsThatMany() {
    var state = Fixtures.state(withCart: [])
    #expect(state.type("3*").isEmpty)
    #expect(state.multiplier == 3)
    let sent = increments(state.press(.enter))
    #expect(sent.map(\.delta) == [3])
    #expect(state.multiplier == nil, "the multiplier is used once")
    #expect(increments(state.press(.character("+"))).isEmpty, "held until the first is answered")
    #expect(state.heldKeys == [.key(.character("+"))])
    let next = increments(state.answerIncrement([Fixtures.line(Fixtures.croissant, 3)]))
    #expect(next.map(\.delta) == [1], "one, not the multiplier")
  }

  @Test func multiplierAboveTheLargestDeltaIsSplit() {
    var state = Fixtures.state(withCart: [])
    _ = state.type("2500*")
    let sent = increments(state.press(.character("+")))
    #expect(sent.map(\.delta) == [999])
    #expect(state.queue.map(\.delta) == [999, 502])
  }

  @Test func pressesWhileOfflineCoalesceAndNoneIsLost() {
    var state = Fixtures.state(withCart: [])
    var sent = increments(state.press(.character("+")))
    state.failIncrementOffline()
    for _ in 0..<199 { sent += increments(state.press(.character("+"))) }
    #expect(sent.count == 1)
    #expect(state.queue == [PendingOperation(sku: "BAK-001", delta: 199)])
    #expect(state.displayedCartLines.first?.pending == 200)
    #expect(
      state.update(.tick).contains(.increment(cartId: "cart-1", sku: "BAK-001", delta: 1, opId: sent[0].opId))
    )
    sent += increments(
      state.update(
        .incrementFinished(
          opId: sent[0].opId, .success(Fixtures.cart([Fixtures.line(Fixtures.croissant, 1)])))))
    #expect(sent.map(\.delta) == [1, 199])
    #expect(sent.reduce(0) { $0 + $1.delta } == 200)
    #expect(Set(sent.map(\.opId)).count == 2)
  }

  @Test func oppositeSignsDoNotCoalesce() {
    // max(0, q + delta) is not associative across signs, so -1 then +1 must stay two ops.
    var state = Fixtures.state(withCart: [Fixtures.line(Fixtures.croissant, 1)])
    _ = state.press(.character("+"))
    state.failIncrementOffline()
    _ = state.press(.character("-"), .character("-"), .character("+"))
    #expect(state.queue.map(\.delta) == [-2, 1])
  }

  @Test func aRemovalCancelsAQueuedAddition() {
    var state = Fixtures.state(withCart: [Fixtures.line(Fixtures.croissant, 1)])
    _ = state.press(.character("+"))
    state.failIncrementOffline()
    _ = state.press(.character("+"), .character("+"), .character("-"))
    #expect(state.queue == [PendingOperation(sku: "BAK-001", delta: 1)])
    _ = state.press(.character("-"))
    #expect(state.queue.isEmpty)
  }

  @Test func minusOnAProductNotInTheCartWarns() {
    var state = Fixtures.state(withCart: [])
    #expect(state.press(.character("-")).isEmpty)
    #expect(state.status?.text == "Croissant is not in the cart")
  }

  @Test func cartFocusEditsTheSelectedLine() {
    var state = Fixtures.state(withCart: [
      Fixtures.line(Fixtures.croissant, 2), Fixtures.line(Fixtures.cafe, 1),
    ])
    _ = state.press(.tab, .down)
    #expect(increments(state.press(.character("+"))).map { "\($0.sku) \($0.delta)" } == ["COF-001 1"])
    #expect(state.queue.isEmpty)
    let after = [Fixtures.line(Fixtures.croissant, 2), Fixtures.line(Fixtures.cafe, 2)]
    #expect(state.press(.character("-")) == [.noticeKeysWaiting(hold: 1)], "waits for the +1")
    #expect(increments(state.answerIncrement(after)).map { "\($0.sku) \($0.delta)" } == ["COF-001 -1"])
  }

  @Test func soldOutProductIsNotAdded() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.down, .down)
    #expect(state.press(.enter).isEmpty)
    #expect(state.status?.text == "Crème brûlée is sold out")
  }

  @Test func lowStockWarnsInWords() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.down)
    _ = state.type("3*")
    #expect(increments(state.press(.enter)).map(\.delta) == [3])
    #expect(state.status?.text == "Only 2 left of Brötchen")
  }

  @Test func barcodeDigitsThenEnterAddOneAtOnce() {
    var state = Fixtures.state(withCart: [])
    #expect(state.type("4001000000017").isEmpty)
    let sent = increments(state.press(.enter))
    #expect(sent.map { "\($0.sku) \($0.delta)" } == ["COF-001 1"])
    #expect(state.entry.isEmpty)
  }

  @Test func scannerIntoSearchFieldAddsOnExactMatch() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("/"))
    _ = state.type("4012802137743")
    // The filtered list has not come back yet, so Enter waits for it, then finds the exact match there.
    #expect(state.press(.enter) == [.noticeKeysWaiting(hold: 1)])
    let answer = state.answerList([Fixtures.croissant])
    #expect(increments(answer).map { "\($0.sku) \($0.delta)" } == ["BAK-001 1"])
    #expect(state.searchText.isEmpty, "the field is ready for the next scan")
    #expect(
      answer.contains(.loadProducts(ProductQuery(limit: 200), .list(generation: state.productGeneration))))
  }

  @Test func skuMatchesExactlyIgnoringCase() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("/"))
    _ = state.type("tea-007")
    _ = state.update(
      .productsLoaded(
        .list(generation: state.productGeneration), .success(Page(items: [Fixtures.matcha], next: nil))))
    let sent = increments(state.press(.enter))
    #expect(sent.map(\.sku) == ["TEA-007"])
  }

  @Test func unknownCodeIsAnnounced() {
    var state = Fixtures.state(withCart: [])
    _ = state.type("999")
    let effects = state.press(.enter)
    let lookup = ProductLoad.lookup(code: "999")
    #expect(effects == [.loadProducts(ProductQuery(text: "999", limit: 20), lookup)])
    _ = state.update(.productsLoaded(lookup, .success(Page(items: [], next: nil))))
    #expect(state.status?.text == "No product with code 999")
  }

  @Test func offlineIncrementIsResentWithTheSameOpId() {
    var state = Fixtures.state(withCart: [])
    let first = increments(state.press(.enter))
    #expect(state.update(.incrementFinished(opId: first[0].opId, .failure(.offline("timed out")))).isEmpty)
    #expect(state.status?.text == "Offline — retrying")
    #expect(!state.online)
    _ = state.press(.character("+"))
    let retry = increments(state.update(.tick))
    #expect(retry.map(\.opId) == [first[0].opId])
    #expect(retry.map(\.delta) == [1])
    let next = increments(
      state.update(
        .incrementFinished(
          opId: first[0].opId, .success(Fixtures.cart([Fixtures.line(Fixtures.croissant, 1)])))))
    #expect(state.online)
    #expect(next.map(\.delta) == [1])
    #expect(next.first?.opId != first[0].opId)
  }

  @Test func rejectedIncrementIsDroppedWithAMessage() {
    var state = Fixtures.state(withCart: [])
    let first = increments(state.press(.enter))
    _ = state.update(
      .incrementFinished(opId: first[0].opId, .failure(.rejected(kind: .quantityLimit, message: "limit"))))
    #expect(!state.hasPendingEdits)
    #expect(state.status?.text == "A line cannot hold more than 9999")
  }

  @Test func newOrderWaitsForPendingEdits() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.enter)
    _ = state.press(.character("n"))
    #expect(state.cart != nil, "n waits for the edit's answer")
    state.answerIncrement([Fixtures.line(Fixtures.croissant, 1)])
    #expect(state.cart == nil)
    #expect(state.status?.text == "New order")
  }

  @Test func newOrderIsRefusedWhileAnEditWaitsOffline() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.enter)
    state.failIncrementOffline()
    _ = state.press(.character("n"))
    #expect(state.cart != nil)
    #expect(state.status?.text == "Wait — the cart is still being saved")
  }
}
