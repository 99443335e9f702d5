import Foundation
import GRDB
import Testing
import TillCore
import TillServer
import TillStore
import TillTestSupport

/// Staff at the real `till` binary in a real pseudo-terminal (tmux), on its embedded back end: signing
/// in, locking, another person at the same till, and a manager approving in place.
@Suite("end to end: staff at the till in a real terminal")
struct StaffTerminalTests {
  @Test func sellLockAnotherPersonCancelsTheFirstOnesOrderWithAManagersApproval() async throws {
    let directory = try TemporaryDirectory.make("till-staff")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    // A second cashier besides the demo staff, put in the database before the till opens it.
    let store = try await SQLiteStore.open(path: database)
    _ = try await store.addStaff(
      code: "1002", name: "Ben Cashier", role: .cashier, pinHash: await PINHasher(cost: 4).hash("5678"),
      by: .admin)
    await store.close()

    let tmux = Tmux()
    defer { tmux.killServer() }
    try tmux.startTill(database: database, options: " --terminal-name Front")
    let signInScreen = try await tmux.waitFor("Staff code:", within: .seconds(20))
    #expect(signInScreen.contains("cashier 1001, PIN 1234"), "the embedded back end shows the demo staff")
    try await tmux.signIn(code: "1001", pin: "1234", name: "Demo Cashier")
    let selling = try await tmux.waitFor("BAK-001  Croissant")
    #expect(selling.contains("Front · Demo Cashier"), "the title bar names the till and the person")

    // Demo Cashier sells a croissant and leaves the order unpaid.
    try tmux.send("Enter")
    try await tmux.waitFor("1 Croissant")
    try tmux.send("c")
    try await tmux.waitFor("Pay order #1")
    try tmux.send("Escape")
    try await tmux.waitFor("order #1 unpaid")
    // The next customer's cart has a pain au chocolat when she locks the till.
    try tmux.send("n")
    try tmux.send("Down", "Enter")
    try await tmux.waitFor("1 Pain au chocolat")
    try tmux.send("F2")
    let locked = try await tmux.waitFor("Locked — sign in to carry on")
    #expect(!locked.contains("Demo Cashier ·") && !locked.contains("1 Pain au chocolat"))

    // Ben signs in on the same till: a cart of his own, and Demo Cashier's order needs a manager.
    try await tmux.signIn(code: "1002", pin: "5678", name: "Ben Cashier", float: nil)
    let bens = try await tmux.waitFor("BAK-001  Croissant")
    #expect(!bens.contains("1 Pain au chocolat"), "Ben does not see her cart")
    try tmux.send("o")
    try await tmux.waitFor("by 1001")
    try tmux.send("x")
    try await tmux.waitFor("Cancel order #1?")
    try tmux.send("y")
    try await tmux.waitFor("Manager approval")
    try tmux.typeCredentials(code: "2001", pin: "4321")
    let masked = try await tmux.waitFor("••••")
    #expect(!masked.contains("4321"), "the PIN shows only as dots")
    try tmux.send("Enter")
    try await tmux.waitFor("canceled with manager 2001's approval")

    // Demo Cashier comes back: her cart is as she left it.
    try tmux.send("Escape")
    try tmux.send("F2")
    try await tmux.waitFor("Locked — sign in to carry on")
    try await tmux.signIn(code: "1001", pin: "1234", name: "Demo Cashier", float: nil)
    try await tmux.waitFor("1 Pain au chocolat")
    try tmux.send("q")
    try await tmux.waitFor("Quit?")
    try tmux.send("y")
    try await tmux.waitFor("till-exit-status=0")

    // What the back end recorded: Demo Cashier's order, canceled by Ben with the manager's approval.
    let queue = try DatabaseQueue(path: database)
    let row = try await queue.read { db in
      try Row.fetchOne(
        db, sql: "SELECT status, staff_code, canceled_by, cancel_approved_by FROM orders WHERE number = 1")
    }
    let order = try #require(row)
    #expect(order["status"] as String? == "canceled")
    #expect(order["staff_code"] as String? == "1001")
    #expect(order["canceled_by"] as String? == "1002")
    #expect(order["cancel_approved_by"] as String? == "2001")
  }
}
