import Foundation
import Hummingbird
import TillCore
import TillStore

/// The people at the tills (admin only) and the audit trail (managers and the admin), on the `/v1`
/// group. PINs arrive here, are hashed here, and go nowhere else: not to the store, not to a log.
struct StaffRoutes {
  let store: any StaffStore
  let hasher: PINHasher

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("staff") { request, context -> EditedResponse<StaffMember> in
      try context.requireAdmin()
      let body = try await request.decode(as: NewStaffBody.self, context: context).validated()
      let member = try await store.addStaff(
        code: body.code, name: body.name, role: body.role, pinHash: await hasher.hash(body.pin), by: .admin)
      return EditedResponse(status: .created, response: member)
    }

    v1.get("staff") { _, context -> ListBody<StaffMember> in
      try context.requireAdmin()
      return ListBody(items: try await store.staff(), next: nil)
    }

    v1.post("staff/:code/disable") { _, context -> StaffMember in
      try context.requireAdmin()
      return try await store.disableStaff(code: try Self.code(in: context), by: .admin)
    }

    v1.post("staff/:code/pin") { request, context -> StaffMember in
      try context.requireAdmin()
      let code = try Self.code(in: context)
      let body = try await request.decode(as: ResetPINRequest.self, context: context)
      guard StaffRules.isValidPIN(body.pin) else {
        throw Problem.invalidField("pin", "pin must be 4 to 8 digits.")
      }
      return try await store.resetPIN(code: code, pinHash: await hasher.hash(body.pin), by: .admin)
    }

    v1.get("audit") { request, context -> ListBody<AuditEntry> in
      try context.requireManagerOrAdmin()
      let parameters = QueryParameters(request)
      let after = try parameters.text("after", maxLength: 19)
      if let after, !after.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
        throw Problem.invalidField("after", "after must be the next cursor of a previous page.")
      }
      return ListBody(try await store.audit(limit: try parameters.limit(), after: after))
    }
  }

  /// The staff code named by the path, or 404 (a malformed code names nobody).
  static func code(in context: TillRequestContext) throws -> String {
    let raw = try context.parameters.require("code")
    guard let code = raw.removingPercentEncoding, StaffRules.isValidCode(code) else {
      throw Problem(.notFound, detail: "No such staff member.")
    }
    return code
  }
}

/// `NewStaffRequest` as sent: `role` is read as text so an unknown role is a 422 naming the field (a
/// well-formed body with a bad value), not a 400 decoding error.
private struct NewStaffBody: Decodable, CustomStringConvertible {
  var code: String
  var name: String
  var role: String
  var pin: String

  var description: String { "NewStaffBody(code: \(code), pin: <redacted>)" }

  func validated() throws(Problem) -> NewStaffRequest {
    guard StaffRules.isValidCode(code) else {
      throw Problem.invalidField("code", "code must be 1 to 12 digits.")
    }
    guard StaffRules.isValidName(name) else {
      throw Problem.invalidField("name", "name must be 1 to 60 characters without control characters.")
    }
    guard let role = StaffRole(rawValue: role) else {
      throw Problem.invalidField("role", "role must be \"cashier\" or \"manager\".")
    }
    guard StaffRules.isValidPIN(pin) else { throw Problem.invalidField("pin", "pin must be 4 to 8 digits.") }
    return NewStaffRequest(code: code, name: name, role: role, pin: pin)
  }
}
