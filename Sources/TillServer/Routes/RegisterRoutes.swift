import Foundation
import Hummingbird
import TillCore
import TillStore

/// The trading day of the caller's terminal, for a person signed in on it: open the register with a
/// float, read the X report, record pay-ins, pay-outs and no-sales, close with the counted cash.
///
/// A cashier's pay-out needs a manager's `approval` (code and PIN), checked here like a sign-in PIN and
/// re-checked by the store in the move's own transaction. The X report leaves out the cash figures for a
/// cashier unless the shop shows the expected cash (`--show-expected-cash`): counting is blind, so the
/// count at the close is not led by the figure it is checked against.
struct RegisterRoutes {
  let store: any RegisterStore & StaffStore
  let pins: PINCheck
  /// `ServerConfiguration.showExpectedCash`.
  let showExpectedCash: Bool

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("register-sessions") { request, context -> EditedResponse<RegisterSession> in
      let actor = try context.requireActor()
      let body = try await request.decode(as: OpenSessionRequest.self, context: context)
      let session = try await store.openSession(openingFloat: body.openingFloat, by: actor)
      return EditedResponse(
        status: .created, headers: [.location: "/v1/register-sessions/\(session.id)"], response: session)
    }

    v1.get("register-sessions/current") { _, context -> SessionReport in
      let actor = try context.requireActor()
      guard let session = try await store.currentSession(owner: actor.owner) else {
        throw StoreError.noOpenSession
      }
      var report = try await store.sessionReport(id: session.id, owner: actor.owner)
      if actor.role != .manager && !showExpectedCash { report.cash = nil }
      return report
    }

    v1.post("register-sessions/:id/cash-moves") { request, context -> EditedResponse<CashMove> in
      let actor = try context.requireActor()
      let id = try Self.sessionID(in: context)
      let move = try Self.validated(try await request.decode(as: CashMoveRequest.self, context: context))
      var verified: VerifiedApproval?
      if let approval = move.approval, RegisterRules.needsApproval(move.kind, actor: actor) {
        verified = try await pins.verifiedApproval(approval, subject: id, terminal: actor.terminal)
      }
      do {
        let record = try await store.recordCashMove(move, sessionId: id, by: actor, approval: verified)
        return EditedResponse(status: record.created ? .created : .ok, response: record.move)
      } catch StoreError.approvalRequired {
        throw Problem(.approvalRequired, detail: "A pay-out needs a manager's approval (code and PIN).")
      } catch StoreError.approvalRefused {
        if let verified {
          try await store.recordFailedAttempt(
            .approvalRefused, code: verified.code, terminal: actor.terminal, subject: id, now: Date())
        }
        throw StoreError.approvalRefused
      }
    }

    v1.post("register-sessions/:id/close") { request, context -> EditedResponse<ZReport> in
      let actor = try context.requireActor()
      let id = try Self.sessionID(in: context)
      let key = try IdentifierValidation.idempotencyKey(of: request)
      let body = try await request.decode(as: CloseSessionRequest.self, context: context)
      let closing = try await store.closeSession(
        id: id, countedCash: body.countedCash, idempotencyKey: key, by: actor)
      var headers: HTTPFields = [.location: "/v1/z-reports/\(closing.report.id)"]
      if closing.replayed { headers[.idempotentReplayed] = "true" }
      return EditedResponse(status: .created, headers: headers, response: closing.report)
    }
  }

  /// The session id named by the path parameter `id`, or 404.
  static func sessionID(in context: TillRequestContext) throws -> String {
    let raw = try context.parameters.require("id")
    guard let value = raw.removingPercentEncoding, IdentifierValidation.isValidRecordID(value) else {
      throw Problem(.notFound, detail: "No such register session.")
    }
    return value
  }

  /// The move's shape, checked before any PIN is counted: every refusal is 422 naming the field (the
  /// amounts, currency and reason are the store's rule, `RegisterRules.check`).
  static func validated(_ move: CashMoveRequest) throws(Problem) -> CashMoveRequest {
    _ = try IdentifierValidation.operationID(move.opId)
    if let approval = move.approval {
      try PINCheck.validate(code: approval.code, pin: approval.pin, field: "approval.")
    }
    return move
  }
}

extension RegisterSession: ResponseEncodable {}
extension SessionReport: ResponseEncodable {}
extension CashMove: ResponseEncodable {}
extension ZReport: ResponseEncodable {}
