import Testing
import TillCore

@testable import TillTUI

/// The manager-approval dialog: a cancel that needs a manager asks for their code and PIN and is sent
/// again with them.
@Suite("update: manager approval")
struct ApprovalUpdateTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 1)]
  static let anasOrder = Fixtures.order(lines, number: 4, id: "order-4")

  /// Ben (a cashier) has asked to cancel Ana's order #4 from the orders list; the server said it needs
  /// a manager.
  static func askingForApproval() -> AppState {
    var state = Fixtures.state()
    _ = state.press(.function(2))
    _ = state.update(.signedOut)
    state.signInAs(Fixtures.otherCashier)
    _ = state.press(.character("o"))
    _ = state.update(.ordersLoaded(.success([anasOrder])))
    _ = state.press(.character("x"))
    #expect(state.press(.character("y")) == [.cancelOrder(id: "order-4", approval: nil)])
    _ = state.update(.orderCanceled(.failure(.rejected(kind: .approvalRequired, message: "x"))))
    return state
  }

  @Test func approvalRequiredOpensTheDialogWithNothingFilledIn() {
    let state = Self.askingForApproval()
    #expect(state.mode == .approval(ApprovalDialog(order: Self.anasOrder)))
    #expect(!state.cancelInFlight)
    let screen = render(state, size: state.size).text
    #expect(screen.contains("Manager approval"))
    #expect(screen.contains("Cancel order #4"))
  }

  @Test func theManagersCodeAndPinResendTheCancelWithTheApproval() {
    var state = Self.askingForApproval()
    _ = state.typeCredentials("2001", "4321")
    #expect(render(state, size: state.size).text.contains("PIN:        ••••"))
    let effects = state.press(.enter)
    #expect(effects == [.cancelOrder(id: "order-4", approval: Approval(code: "2001", pin: "4321"))])
    #expect(state.cancelInFlight)
    var canceled = Self.anasOrder
    canceled.status = .canceled
    state.orders = [Self.anasOrder]
    _ = state.update(.orderCanceled(.success(canceled)))
    #expect(state.mode == .orders)
    #expect(state.orders == [canceled])
    #expect(state.status?.text == "Order #4 canceled with manager 2001's approval — stock returned")
  }

  @Test func aRefusedApprovalAsksForThePinAgain() {
    var state = Self.askingForApproval()
    _ = state.type("2001")
    _ = state.press(.enter)
    _ = state.type("0000")
    _ = state.press(.enter)
    _ = state.update(.orderCanceled(.failure(.rejected(kind: .approvalRefused, message: "x"))))
    guard case .approval(let dialog) = state.mode else {
      Issue.record("the dialog closed: \(state.mode)")
      return
    }
    #expect(dialog.form.code == "2001" && dialog.form.pin.isEmpty && dialog.form.field == .pin)
    #expect(dialog.form.message?.text == "Manager code or PIN not accepted — try again")
  }

  @Test func escGivesUpAndTheOrderStays() {
    var state = Self.askingForApproval()
    _ = state.type("20")
    #expect(state.press(.escape).isEmpty)
    #expect(state.mode == .orders)
    #expect(state.status?.text == "Order #4 kept — no approval given")
  }

  @Test func anotherRefusalClosesTheDialogAndReloadsTheList() {
    var state = Self.askingForApproval()
    _ = state.typeCredentials("2001", "4321")
    _ = state.press(.enter)
    let effects = state.update(
      .orderCanceled(.failure(.rejected(kind: .orderNotCancelable, message: "paid meanwhile"))))
    #expect(effects == [.loadOrders])
    #expect(state.mode == .orders)
    #expect(state.status?.text == "Only unpaid orders can be canceled")
  }

  @Test func ownOrdersCancelWithoutAnyDialog() {
    var state = Fixtures.state()
    _ = state.press(.character("o"))
    _ = state.update(.ordersLoaded(.success([Self.anasOrder])))
    _ = state.press(.character("x"))
    _ = state.press(.character("y"))
    var canceled = Self.anasOrder
    canceled.status = .canceled
    _ = state.update(.orderCanceled(.success(canceled)))
    #expect(state.mode == .orders)
    #expect(state.status?.text == "Order #4 canceled — stock returned")
  }
}
