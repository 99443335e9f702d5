import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// The trading day over HTTP, on each engine: open with a float, the X report (blind for a cashier),
/// cash moves with an opId and a manager's approval, the close with its Idempotency-Key, and the back
/// office's Z reports as JSON, text and CSV.
@Suite("Register sessions over HTTP", .serialized)
struct RegisterRouteTests {
  static func euros(_ cents: Int) -> Money { PaymentFixtures.eur(cents) }

  static func move(_ kind: CashMove.Kind, _ cents: Int?, op: String, approval: Approval? = nil)
    -> CashMoveRequest
  {
    CashMoveRequest(
      opId: op, kind: kind, amount: cents.map(euros), reason: "till \(kind.rawValue)", approval: approval)
  }

  @Test("a day: float, sales, moves, X, close, Z", arguments: StoreEngine.allCases)
  func aDay(engine: StoreEngine) async throws {
    try await withVATServer(engine, opensRegisters: false) { harness in
      let cashier = harness.client()
      let manager = harness.client(as: .manager)
      let none = try await cashier.get("/v1/register-sessions/current")
      #expect(none.status == 409 && none.problem?.kind == .noOpenSession)

      let opened = try await cashier.post(
        "/v1/register-sessions", json: OpenSessionRequest(openingFloat: Self.euros(100_00)))
      let session = try opened.decoded(RegisterSession.self, expecting: 201)
      #expect(opened.headers["location"] == "/v1/register-sessions/\(session.id)")
      #expect(session.terminal == "till-1" && session.openedBy == "1001")
      let twice = try await manager.post(
        "/v1/register-sessions", json: OpenSessionRequest(openingFloat: Self.euros(0)))
      #expect(
        twice.status == 409 && twice.problem?.kind == .sessionAlreadyOpen && twice.problem?.session == session
      )

      let cart = try await cashier.cart(with: [("TEA", 2), ("BUN", 1)])
      let sale = try await cashier.paidInCash(cartId: cart.id, tendered: 10_00)
      #expect(sale.sessionId == session.id)

      let payIn = try await cashier.post(
        "/v1/register-sessions/\(session.id)/cash-moves", json: Self.move(.payIn, 20_00, op: "in-1"))
      #expect(payIn.status == 201)
      let replay = try await cashier.post(
        "/v1/register-sessions/\(session.id)/cash-moves", json: Self.move(.payIn, 20_00, op: "in-1"))
      let first = try payIn.decoded(CashMove.self, expecting: 201)
      #expect(replay.status == 200)
      #expect(try replay.decoded(CashMove.self) == first)
      let unapproved = try await cashier.post(
        "/v1/register-sessions/\(session.id)/cash-moves", json: Self.move(.payOut, 5_00, op: "out-1"))
      #expect(unapproved.status == 403 && unapproved.problem?.kind == .approvalRequired)
      let wrong = try await cashier.post(
        "/v1/register-sessions/\(session.id)/cash-moves",
        json: Self.move(.payOut, 5_00, op: "out-1", approval: Approval(code: "2001", pin: "9999")))
      #expect(wrong.status == 403 && wrong.problem?.kind == .approvalRefused)
      let approved = try await cashier.post(
        "/v1/register-sessions/\(session.id)/cash-moves",
        json: Self.move(
          .payOut, 5_00, op: "out-1", approval: Approval(code: "2001", pin: ServerHarness.manager.pin)))
      #expect(try approved.decoded(CashMove.self, expecting: 201).approvedBy == "2001")

      let blind = try await cashier.get("/v1/register-sessions/current").decoded(SessionReport.self)
      #expect(blind.cash == nil, "a cashier's X report leaves the expected cash out")
      #expect(blind.salesCount == 1 && blind.salesTotal == sale.total)
      let x = try await manager.get("/v1/register-sessions/current").decoded(SessionReport.self)
      let expected = 100_00 + sale.total.amount + 20_00 - 5_00
      #expect(x.cash?.expected == Self.euros(expected))

      let unkeyed = try await cashier.post(
        "/v1/register-sessions/\(session.id)/close",
        json: CloseSessionRequest(countedCash: Self.euros(expected)))
      #expect(unkeyed.status == 400 && unkeyed.problem?.kind == .missingHeader)
      let key = [(name: "Idempotency-Key", value: "close-\(session.id)")]
      let closed = try await cashier.post(
        "/v1/register-sessions/\(session.id)/close",
        json: CloseSessionRequest(countedCash: Self.euros(expected + 1_00)),
        headers: key)
      let z = try closed.decoded(ZReport.self, expecting: 201)
      #expect(z.number == 1 && z.variance == Self.euros(1_00) && z.report.salesTotal == sale.total)
      #expect(closed.headers["location"] == "/v1/z-reports/\(z.id)")
      let again = try await cashier.post(
        "/v1/register-sessions/\(session.id)/close",
        json: CloseSessionRequest(countedCash: Self.euros(expected + 1_00)),
        headers: key)
      #expect(again.headers["idempotent-replayed"] == "true")
      #expect(try again.decoded(ZReport.self, expecting: 201) == z)
      let late = try await cashier.post(
        "/v1/register-sessions/\(session.id)/cash-moves", json: Self.move(.noSale, nil, op: "ns-1"))
      #expect(late.status == 409 && late.problem?.kind == .sessionClosed)

      // The back office: managers and the admin read Z reports; a cashier does not.
      #expect(try await cashier.get("/v1/z-reports").status == 403)
      let listed = try await harness.client(as: .admin).get("/v1/z-reports?terminal=till-1").decoded(
        Page<ZReport>.self)
      #expect(listed.items == [z])
      let text = try await manager.get("/v1/z-reports/\(z.id)?format=text")
      #expect(text.headers["content-type"] == "text/plain; charset=utf-8")
      let printed = String(decoding: text.body, as: UTF8.self)
      #expect(printed.contains("Z REPORT 1") && printed.contains("Variance") && printed.contains("1.00"))
      let csv = String(
        decoding: try await manager.get("/v1/z-reports/\(z.id)?format=csv").body, as: UTF8.self)
      #expect(csv.hasPrefix("section,key,count,amount\r\n") && csv.contains("cash,variance,,1.00\r\n"))
      #expect(try await manager.get("/v1/z-reports/nope").status == 404)
      #expect(try await manager.get("/v1/z-reports/\(z.id)?format=pdf").status == 422)

      let actions = try await StaffFixtures.audit(harness).map(\.action)
      #expect(["session-open", "pay-in", "pay-out", "session-close"].allSatisfy(actions.contains))
    }
  }

  @Test("bad bodies are 422 and change nothing", arguments: StoreEngine.allCases)
  func badInput(engine: StoreEngine) async throws {
    try await withVATServer(engine, opensRegisters: false) { harness in
      let cashier = harness.client()
      for body in [
        #"{"openingFloat": {"amount": -1, "currency": "EUR"}}"#,
        #"{"openingFloat": {"amount": 1, "currency": "USD"}}"#,
        #"{"openingFloat": {"amount": 10000000001, "currency": "EUR"}}"#,
      ] {
        let answer = try await cashier.send("POST", "/v1/register-sessions", body: Array(body.utf8))
        #expect(answer.status == 422 && answer.problem?.kind == .invalidField, "\(body)")
      }
      let malformed = try await cashier.send("POST", "/v1/register-sessions", body: Array("{".utf8))
      #expect(malformed.status == 400)
      #expect(try await cashier.get("/v1/register-sessions/current").problem?.kind == .noOpenSession)
      let session = try await cashier.post(
        "/v1/register-sessions", json: OpenSessionRequest(openingFloat: Self.euros(0))
      )
      .decoded(RegisterSession.self, expecting: 201)
      for move in [
        Self.move(.payIn, nil, op: "a"), Self.move(.payIn, 0, op: "b"), Self.move(.noSale, 1, op: "c"),
        Self.move(.payIn, 1, op: "bad op id!"),
      ] {
        let answer = try await cashier.post("/v1/register-sessions/\(session.id)/cash-moves", json: move)
        #expect(answer.status == 422, "\(move)")
      }
      let unknown = try await cashier.post(
        "/v1/register-sessions/nope/cash-moves", json: Self.move(.payIn, 1, op: "d"))
      #expect(unknown.status == 404)
      let report = try await harness.client(as: .manager).get("/v1/register-sessions/current").decoded(
        SessionReport.self)
      #expect(report.payIns.count == 0 && report.noSales == 0)
    }
  }
}

extension APITestClient {
  /// The terminal's open register session, opened with an empty float when there is none.
  func openRegister() async throws -> RegisterSession {
    let current = try await get("/v1/register-sessions/current")
    if current.status == 200 { return try current.decoded(SessionReport.self).session }
    return try await post(
      "/v1/register-sessions", json: OpenSessionRequest(openingFloat: PaymentFixtures.eur(0))
    )
    .decoded(RegisterSession.self, expecting: 201)
  }
}
