import Foundation
import Logging
import Testing
import TillCore
import TillServer
import TillStore
import TillTestSupport

/// Named terminals and the staff settings of the configuration: what is accepted, what is refused with
/// which one-line reason, and a named terminal's name reaching sign-in.
@Suite("Terminals and staff settings in the configuration")
struct TerminalConfigurationTests {
  static let tokenA = "terminal-token-alpha-0123456789"
  static let tokenB = "terminal-token-bravo-0123456789"
  static let admin = "terminal-admin-token-0123456789"

  typealias Terminal = ServerConfiguration.Terminal

  @Test("unnamed tokens are till-1, till-2, … and named terminals keep their names")
  func names() throws {
    let configuration = try ServerConfiguration(
      staffTokens: ["", Self.tokenA], adminToken: Self.admin,
      terminals: [Terminal(name: "Front desk_2-b", token: Self.tokenB)]
    ).validated()
    #expect(configuration.allTerminals.map(\.name) == ["till-1", "Front desk_2-b"])
    #expect(
      try ServerConfiguration(staffTokens: [], terminals: [Terminal(name: "A", token: Self.tokenA)])
        .validated()
        .allTerminals.count == 1)
    #expect(!"\(Terminal(name: "A", token: Self.tokenA))".contains(Self.tokenA))
  }

  @Test("bad names, clashes and bad settings are refused with a one-line reason")
  func refusals() {
    func refusal(_ configuration: ServerConfiguration) -> ServerConfigurationError? {
      do {
        _ = try configuration.validated()
        return nil
      } catch { return error }
    }
    let named = { (name: String) in
      ServerConfiguration(staffTokens: [], terminals: [Terminal(name: name, token: Self.tokenA)])
    }
    #expect(refusal(ServerConfiguration(staffTokens: [])) == .noStaffToken)
    for name in ["", String(repeating: "a", count: 33), "till/1", "Kasse ü", "tab\there"] {
      #expect(refusal(named(name)) == .invalidTerminalName(place: 1), "\(name)")
    }
    #expect(refusal(named(String(repeating: "a", count: 32))) == nil)
    let clash = ServerConfiguration(
      staffTokens: [Self.tokenA], terminals: [Terminal(name: "till-1", token: Self.tokenB)])
    #expect(refusal(clash) == .duplicateTerminalName("till-1"))
    let shared = ServerConfiguration(
      staffTokens: [Self.tokenA], terminals: [Terminal(name: "B", token: Self.tokenA)])
    #expect(refusal(shared) == .sharedTerminalToken("B"))
    let adminShared = ServerConfiguration(
      staffTokens: [], adminToken: Self.tokenA, terminals: [Terminal(name: "B", token: Self.tokenA)])
    #expect(refusal(adminShared) == .sharedAdminToken)
    let short = ServerConfiguration(staffTokens: [], terminals: [Terminal(name: "B", token: "short")])
    #expect(refusal(short) == .tokenTooShort(name: "the token of terminal B", length: 5))
    let reserved = ServerConfiguration(staffTokens: ["st-" + Self.tokenA])
    #expect(refusal(reserved) == .reservedTokenPrefix(name: "the token of terminal till-1"))
    for cost in [3, 17] {
      #expect(
        refusal(ServerConfiguration(staffTokens: [Self.tokenA], pinHashCost: cost))
          == .invalidPINHashCost(cost))
    }
    for cost in [4, 16] {
      #expect(refusal(ServerConfiguration(staffTokens: [Self.tokenA], pinHashCost: cost)) == nil)
    }
    #expect(
      refusal(ServerConfiguration(staffTokens: [Self.tokenA], sessionIdle: .zero)) == .invalidSessionIdle)
    let noAttempts = ServerConfiguration(staffTokens: [Self.tokenA], attemptPolicy: AttemptPolicy(perCode: 0))
    #expect(refusal(noAttempts) == .invalidAttemptPolicy)
    for error in [
      ServerConfigurationError.invalidTerminalName(place: 2), .duplicateTerminalName("x"),
      .sharedTerminalToken("x"), .reservedTokenPrefix(name: "x"), .invalidPINHashCost(3), .invalidSessionIdle,
    ] {
      #expect(!error.description.contains("\n") && !error.description.isEmpty)
    }
  }

  @Test("a named terminal's name is what sign-in answers and the audit trail records")
  func namedTerminalSignsIn() async throws {
    let store = try #require(
      try await makeTestStore(.sqlite, products: [])
        as? any Store & PaymentStore & StaffStore & RegisterStore & RefundStore
    )
    do {
      _ = try await store.addStaff(
        code: "1001", name: "Ana", role: .cashier, pinHash: await PINHasher(cost: 4).hash("1234"), by: .admin)
      let configuration = ServerConfiguration(
        port: 0, staffTokens: [], terminals: [Terminal(name: "Front desk", token: Self.tokenA)],
        pinHashCost: 4)
      let server = try await RunningServer.start(
        store: store, configuration: configuration,
        logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
      let answer = try await ServerHarness.signIn(
        ServerHarness.Person(code: "1001", pin: "1234"), terminalToken: Self.tokenA, at: server.baseURL)
      await server.stop()
      #expect(answer.terminal == "Front desk")
      #expect(try await store.audit(limit: 1, after: nil).items.first?.terminal == "Front desk")
    } catch {
      await disposeTestStore(store)
      throw error
    }
    await disposeTestStore(store)
  }
}
