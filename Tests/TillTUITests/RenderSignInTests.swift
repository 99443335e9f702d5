import Testing
import TillCore

@testable import TillTUI

/// What the sign-in screen, the title bar and the approval dialog draw.
@Suite("render: sign-in, title bar, approval")
struct RenderSignInTests {
  static func typedSignIn(demo: Bool) -> AppState {
    var configuration = Fixtures.configuration
    configuration.showsDemoStaff = demo
    var state = AppState(configuration: configuration, size: Size(columns: 100, rows: 30))
    _ = state.start()
    _ = state.typeCredentials("1001", "1234")
    return state
  }

  @Test func thePinShowsOnlyAsDots() {
    let state = Self.typedSignIn(demo: false)
    let screen = render(state, size: state.size)
    #expect(screen.text.contains("Staff code: 1001"))
    #expect(screen.text.contains("PIN:        ••••▏"))
    #expect(!screen.text.contains("1234"))
    expectGolden(screen, "sign-in")
  }

  @Test func theDemoStaffShowOnlyForTheDemoBackEnd() {
    let demo = Self.typedSignIn(demo: true)
    #expect(render(demo, size: demo.size).text.contains("cashier 1001, PIN 1234"))
    #expect(render(demo, size: demo.size).text.contains("manager 2001, PIN 4321"))
    let shop = Self.typedSignIn(demo: false)
    #expect(!render(shop, size: shop.size).text.contains("Demo staff"))
  }

  @Test func theSignInScreenShowsNoProductsAndFitsTheSmallestTerminal() {
    var state = Self.typedSignIn(demo: true)
    _ = state.answerList()
    state.size = Size(columns: 80, rows: 24)
    let screen = render(state, size: state.size)
    #expect(!screen.text.contains("Croissant"))
    #expect(screen.text.contains("manager 2001, PIN 4321"))
    #expect(screen.text.contains("Enter sign in"))
  }

  @Test func aFailedSignInSaysSoInTheBox() {
    var state = Self.typedSignIn(demo: false)
    _ = state.press(.enter)
    _ = state.update(.signedIn(.failure(.rejected(kind: .signInFailed, message: "x"))))
    #expect(render(state, size: state.size).text.contains("Staff code or PIN not recognised — try again"))
  }

  @Test func theTitleBarNamesTheTerminalAndThePerson() {
    let state = Fixtures.state()
    let firstRow = render(state, size: state.size).text.split(separator: "\n").first.map(String.init) ?? ""
    #expect(firstRow.hasPrefix(" Bäckerei Sonne · T1 · Ana Cashier"))
  }

  @Test func aLockedTillKeepsTheNameTheServerGaveItsTerminal() {
    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    _ = state.start()
    _ = state.update(.categoriesLoaded(.success(Fixtures.categories)))
    _ = state.answerList()
    state.signInAs(SignedInStaff(person: Fixtures.cashier.person, terminal: "Front desk"))
    _ = state.press(.function(2))
    let firstRow = render(state, size: state.size).text.split(separator: "\n").first.map(String.init) ?? ""
    #expect(state.staff == nil)
    #expect(firstRow.hasPrefix(" Bäckerei Sonne · Front desk "))
  }

  @Test func theApprovalDialogMasksThePin() {
    var state = ApprovalUpdateTests.askingForApproval()
    _ = state.typeCredentials("2001", "43")
    let screen = render(state, size: state.size)
    #expect(screen.text.contains("PIN:        ••▏"))
    #expect(!screen.text.contains("4321"))
    expectGolden(screen, "approval")
  }
}
