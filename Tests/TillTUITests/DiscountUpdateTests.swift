import Testing
import TillCore

@testable import TillTUI

/// Discounts: `%` on a cart line, `$` on the whole order, a percentage or (Tab) an amount, sent once
/// per opId; past the cashier's limit the manager-approval dialog, and the same opId sent again with the
/// approval. The cart shows the server's figures only.
@Suite("update: discounts")
struct DiscountUpdateTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 2), Fixtures.line(Fixtures.cafe, 1)]

  /// The cart focused, the cursor on the croissant line.
  static func cartFocused() -> AppState {
    var state = Fixtures.state(withCart: lines)
    _ = state.press(.tab)
    return state
  }

  /// The server's answer to a 10 % line discount on the croissants (figures as it would price them).
  static func discountedCart(approvedBy: String? = nil) -> Cart {
    var croissants = Fixtures.line(Fixtures.croissant, 2)
    croissants.discount = euro(38)
    croissants.lineTotal = euro(342)
    return Cart(
      id: "cart-1", status: .open, lines: [croissants, Fixtures.line(Fixtures.cafe, 1)], total: euro(662),
      discounts: [
        Discount(sku: "BAK-001", percent: 10, amount: nil, staff: "1001", approvedBy: approvedBy)
      ],
      discountTotal: euro(38))
  }

  /// The one discount request among `effects`, with its cart.
  func sent(_ effects: [Effect]) -> (cartId: String, request: DiscountRequest)? {
    for effect in effects {
      if case .applyDiscount(let cartId, let request) = effect { return (cartId, request) }
    }
    return nil
  }

  @Test func percentOnTheSelectedLineSendsOneRequest() throws {
    var state = Self.cartFocused()
    #expect(state.press(.character("%")).isEmpty)
    guard case .discount(let dialog) = state.mode else {
      Issue.record("no discount dialog: \(state.mode)")
      return
    }
    #expect(dialog.sku == "BAK-001" && dialog.unit == .percent)
    #expect(render(state, size: state.size).text.contains("Discount on Croissant"))
    _ = state.type("10")
    let (cartId, request) = try #require(sent(state.press(.enter)))
    #expect(cartId == "cart-1")
    #expect(request.sku == "BAK-001" && request.percent == 10 && request.amount == nil)
    #expect(request.approval == nil && request.opId.hasPrefix("S-discount-"))
    #expect(state.discountInFlight == request)
    _ = state.update(.discountApplied(opId: request.opId, .success(Self.discountedCart())))
    #expect(state.mode == .browse)
    #expect(state.cart == Self.discountedCart())
    #expect(state.status?.text == "10% off Croissant")
  }

  @Test func tabTypesAnAmountAndDollarDiscountsTheWholeOrder() throws {
    var state = Self.cartFocused()
    _ = state.press(.character("$"))
    _ = state.press(.tab)
    _ = state.type("2,50")
    #expect(render(state, size: state.size).text.contains("Amount off: 2.50"))
    let (_, request) = try #require(sent(state.press(.enter)))
    #expect(request.sku == nil && request.percent == nil && request.amount == euro(250))
  }

  @Test func keysTypedAfterTheDiscountActOnTheAnswer() throws {
    var state = Self.cartFocused()
    let effects = state.press(.character("%")) + state.type("10") + state.press(.enter)
    let request = try #require(sent(effects)).request
    // `+` and Down typed before the answer wait for it: they act on the cart it brings, not on the dialog.
    #expect(state.press(.character("+"), .down).count == 1)  // the waiting notice only
    #expect(state.heldKeys == [.key(.character("+")), .key(.down)])
    let released = state.update(.discountApplied(opId: request.opId, .success(Self.discountedCart())))
    #expect(increments(released).map(\.sku) == ["BAK-001"])
    // Down waits in turn for the increment `+` sent, then moves on the cart that answer brings.
    #expect(state.heldKeys == [.key(.down)])
    var more = Self.discountedCart()
    more.lines[0].quantity = 3
    _ = state.update(.incrementFinished(opId: try #require(state.inFlight).opId, .success(more)))
    #expect(state.heldKeys.isEmpty && state.cartIndex == 1)
    #expect(state.cart == more)
  }

  @Test func pastTheLimitTheManagerApprovesTheSameOperation() throws {
    var state = Self.cartFocused()
    let first = try #require(sent(state.press(.character("%")) + state.type("50") + state.press(.enter)))
    _ = state.update(
      .discountApplied(opId: first.request.opId, .failure(.rejected(kind: .approvalRequired, message: "x"))))
    guard case .approval(let dialog) = state.mode else {
      Issue.record("no approval dialog: \(state.mode)")
      return
    }
    #expect(dialog.form == CredentialForm())
    #expect(render(state, size: state.size).text.contains("50% off Croissant"))
    _ = state.typeCredentials("2001", "4321")
    let again = try #require(sent(state.press(.enter)))
    var expected = first.request
    expected.approval = Approval(code: "2001", pin: "4321")
    #expect(again.request == expected, "same opId, now with the approval")
    _ = state.update(
      .discountApplied(opId: first.request.opId, .success(Self.discountedCart(approvedBy: "2001"))))
    #expect(state.mode == .browse)
    #expect(state.status?.text == "50% off Croissant — approved by manager 2001")
  }

  @Test func aRefusedApprovalAsksAgainAndEscGivesNoDiscount() throws {
    var state = Self.cartFocused()
    let first = try #require(sent(state.press(.character("$")) + state.type("40") + state.press(.enter)))
    _ = state.update(
      .discountApplied(opId: first.request.opId, .failure(.rejected(kind: .approvalRequired, message: "x"))))
    _ = state.typeCredentials("2001", "0000")
    _ = state.press(.enter)
    _ = state.update(
      .discountApplied(opId: first.request.opId, .failure(.rejected(kind: .approvalRefused, message: "x"))))
    guard case .approval(let dialog) = state.mode else {
      Issue.record("the dialog closed: \(state.mode)")
      return
    }
    #expect(
      dialog.form.pin.isEmpty && dialog.form.message?.text == "Manager code or PIN not accepted — try again")
    #expect(state.press(.escape).isEmpty)
    #expect(state.mode == .browse)
    #expect(state.status?.text == "40% off the order not given — no approval")
    #expect(state.cart == Fixtures.cart(Self.lines))
  }

  @Test func offlineKeepsTheDialogAndEnterResendsTheSameOpId() throws {
    var state = Self.cartFocused()
    let first = try #require(sent(state.press(.character("%")) + state.type("5") + state.press(.enter)))
    _ = state.update(.discountApplied(opId: first.request.opId, .failure(.offline("refused"))))
    guard case .discount(let dialog) = state.mode else {
      Issue.record("the dialog closed: \(state.mode)")
      return
    }
    #expect(dialog.message?.text == "Offline — not given yet; Enter tries again")
    let again = try #require(sent(state.press(.enter)))
    #expect(again.request == first.request)
    // Another value is another operation.
    _ = state.update(.discountApplied(opId: first.request.opId, .failure(.offline("refused"))))
    _ = state.press(.backspace)
    let changed = try #require(sent(state.type("7") + state.press(.enter)))
    #expect(changed.request.opId != first.request.opId && changed.request.percent == 7)
  }

  @Test func refusalsAreInCashierWords() throws {
    var state = Self.cartFocused()
    let first = try #require(
      sent(state.press(.character("%")) + state.press(.tab) + state.type("99") + state.press(.enter)))
    _ = state.update(
      .discountApplied(
        opId: first.request.opId,
        .failure(
          .rejected(
            kind: .invalidField,
            message: "The discount is larger than what it applies to (360 minor units)."))))
    guard case .discount(let dialog) = state.mode else {
      Issue.record("the dialog closed: \(state.mode)")
      return
    }
    #expect(dialog.message?.text == "Not given: the discount is more than what it applies to")
  }

  @Test func badValuesAndAnEmptyCartSendNothing() {
    var state = Self.cartFocused()
    _ = state.press(.character("%"))
    #expect(state.type("150").isEmpty && state.press(.enter).isEmpty)
    guard case .discount(let dialog) = state.mode else {
      Issue.record("the dialog closed: \(state.mode)")
      return
    }
    #expect(dialog.message?.text == "Type a percentage from 0 to 100")
    _ = state.press(.escape)
    #expect(state.status?.text == "No discount given")

    var empty = Fixtures.state()
    #expect(empty.press(.character("$")).isEmpty && empty.mode == .browse)
    #expect(empty.press(.character("%")).isEmpty && empty.mode == .browse)
  }

  @Test func aScanNeverTypesIntoTheDiscount() {
    var state = Self.cartFocused()
    _ = state.press(.character("%"))
    #expect(state.update(.scan("4012802137743")).isEmpty)
    guard case .discount(let dialog) = state.mode else {
      Issue.record("the dialog closed: \(state.mode)")
      return
    }
    #expect(dialog.text.isEmpty)
  }

  @Test func theCartShowsTheServersDiscountsAndTotal() {
    var state = Self.cartFocused()
    var cart = Self.discountedCart()
    cart.discounts.append(Discount(sku: nil, percent: 5, amount: nil, staff: "1001"))
    cart.discountTotal = euro(71)
    cart.total = euro(629)
    state.cart = cart
    let screen = render(state, size: state.size).text
    #expect(screen.contains("-10%"))
    #expect(screen.contains("3.42"))
    #expect(screen.contains("Discounts (order -5%)"))
    #expect(screen.contains("-0.71"))
    #expect(screen.contains("6.29 EUR"))
  }
}
