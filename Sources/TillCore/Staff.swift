/// What a signed-in person may do. Cashiers sell, take payment and cancel their own unpaid orders;
/// managers may also cancel anyone's, approve what needs a manager, and read the audit trail.
public enum StaffRole: String, Codable, Hashable, Sendable, CaseIterable {
  case cashier, manager
}

/// A person who works the tills, as the staff routes answer it. The PIN and its hash never leave the store.
public struct StaffMember: Codable, Hashable, Sendable {
  /// Digits only (`StaffRules.isValidCode`): what the person types at sign-in.
  public var code: String
  public var name: String
  public var role: StaffRole
  public var enabled: Bool

  public init(code: String, name: String, role: StaffRole, enabled: Bool) {
    self.code = code
    self.name = name
    self.role = role
    self.enabled = enabled
  }

  public var summary: StaffSummary { StaffSummary(code: code, name: name, role: role) }
}

/// The person of a staff session, as sign-in answers it.
public struct StaffSummary: Codable, Hashable, Sendable {
  public var code: String
  public var name: String
  public var role: StaffRole

  public init(code: String, name: String, role: StaffRole) {
    self.code = code
    self.name = name
    self.role = role
  }
}

/// `POST /v1/staff` body (admin). The PIN is hashed before it reaches the store.
public struct NewStaffRequest: Codable, Hashable, Sendable, CustomStringConvertible {
  public var code: String
  public var name: String
  public var role: StaffRole
  public var pin: String

  public init(code: String, name: String, role: StaffRole, pin: String) {
    self.code = code
    self.name = name
    self.role = role
    self.pin = pin
  }

  public var description: String {
    "NewStaffRequest(code: \(code), name: \(name), role: \(role), pin: <redacted>)"
  }
}

/// `POST /v1/staff/{code}/pin` body (admin): the person's new PIN.
public struct ResetPINRequest: Codable, Hashable, Sendable, CustomStringConvertible {
  public var pin: String

  public init(pin: String) { self.pin = pin }

  public var description: String { "ResetPINRequest(pin: <redacted>)" }
}

/// `POST /v1/sign-in` body, sent with the terminal's token.
public struct SignInRequest: Codable, Hashable, Sendable, CustomStringConvertible {
  public var code: String
  public var pin: String

  public init(code: String, pin: String) {
    self.code = code
    self.pin = pin
  }

  public var description: String { "SignInRequest(code: \(code), pin: <redacted>)" }
}

/// `POST /v1/sign-in` answer: a staff session token bound to this person and this terminal.
public struct SignInResponse: Codable, Hashable, Sendable, CustomStringConvertible {
  public var token: String
  public var staff: StaffSummary
  /// The terminal's name, as the server knows it (shown in the till's title bar).
  public var terminal: String
  /// RFC 3339, UTC: when the session ends unless it is used before (inactivity moves it on).
  public var expiresAt: String
  /// The terminal's open register session, nil when its register is not open.
  public var register: RegisterSession?
  /// Whether the shop sells only with the register open (the default; `--no-require-register-session`): the
  /// till then asks for the float right after sign-in. Absent (from an older server) means no.
  public var registerRequired: Bool

  public init(
    token: String, staff: StaffSummary, terminal: String, expiresAt: String, register: RegisterSession? = nil,
    registerRequired: Bool = false
  ) {
    self.token = token
    self.staff = staff
    self.terminal = terminal
    self.expiresAt = expiresAt
    self.register = register
    self.registerRequired = registerRequired
  }

  private enum CodingKeys: String, CodingKey {
    case token, staff, terminal, expiresAt, register, registerRequired
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    token = try container.decode(String.self, forKey: .token)
    staff = try container.decode(StaffSummary.self, forKey: .staff)
    terminal = try container.decode(String.self, forKey: .terminal)
    expiresAt = try container.decode(String.self, forKey: .expiresAt)
    register = try container.decodeIfPresent(RegisterSession.self, forKey: .register)
    registerRequired = try container.decodeIfPresent(Bool.self, forKey: .registerRequired) ?? false
  }

  public var description: String {
    "SignInResponse(token: <redacted>, staff: \(staff.code), terminal: \(terminal), expiresAt: \(expiresAt))"
  }
}

/// A manager's code and PIN carried by a request whose action needs a manager.
public struct Approval: Codable, Hashable, Sendable, CustomStringConvertible {
  public var code: String
  public var pin: String

  public init(code: String, pin: String) {
    self.code = code
    self.pin = pin
  }

  public var description: String { "Approval(code: \(code), pin: <redacted>)" }
}

/// `POST /v1/orders/{id}/cancel` body (optional): a manager's approval when the order is someone else's.
public struct CancelRequest: Codable, Hashable, Sendable {
  public var approval: Approval?

  public init(approval: Approval? = nil) { self.approval = approval }
}

/// One row of the audit trail: who did what, when, on which terminal, approved by whom. Never a PIN, a
/// hash or a token.
public struct AuditEntry: Codable, Hashable, Sendable {
  /// The entry's position in the trail (increasing), as a string; the paging cursor.
  public var id: String
  /// RFC 3339, UTC.
  public var at: String
  /// What happened, e.g. `sign-in`, `sign-in-failed`, `order-cancel` (`AuditAction`).
  public var action: String
  /// The person who acted (staff code), or nil for the admin token and unknown codes.
  public var staff: String?
  /// The terminal's name, or nil for the admin token.
  public var terminal: String?
  /// The manager who approved the action, when one did.
  public var approvedBy: String?
  /// What the action was about: an order id, a SKU, a staff code.
  public var subject: String?
  /// A short, secret-free description (a stock delta and reason, the code a failed sign-in named).
  public var detail: String?

  public init(
    id: String, at: String, action: String, staff: String?, terminal: String?, approvedBy: String?,
    subject: String?, detail: String?
  ) {
    self.id = id
    self.at = at
    self.action = action
    self.staff = staff
    self.terminal = terminal
    self.approvedBy = approvedBy
    self.subject = subject
    self.detail = detail
  }
}

/// The actions the audit trail records; the raw value is `AuditEntry.action`.
public enum AuditAction: String, Codable, Hashable, Sendable, CaseIterable {
  case signIn = "sign-in"
  case signOut = "sign-out"
  case signInFailed = "sign-in-failed"
  case lockOut = "lock-out"
  case approvalRefused = "approval-refused"
  case orderCancel = "order-cancel"
  case stockAdjustment = "stock-adjustment"
  case staffAdd = "staff-add"
  case staffDisable = "staff-disable"
  case staffPINReset = "staff-pin-reset"
  case discount
  case taxRate = "tax-rate"
  case receiptReprint = "receipt-reprint"
  case sessionOpen = "session-open"
  case sessionClose = "session-close"
  case payIn = "pay-in"
  case payOut = "pay-out"
  case noSale = "no-sale"
  case refund
}

/// The shapes of staff codes and PINs, checked once for every caller (server, command line, front end).
public enum StaffRules {
  /// Codes are 1 to 12 ASCII digits.
  public static func isValidCode(_ code: String) -> Bool {
    (1...12).contains(code.utf8.count) && code.utf8.allSatisfy { (0x30...0x39).contains($0) }
  }

  /// PINs are 4 to 8 ASCII digits.
  public static func isValidPIN(_ pin: String) -> Bool {
    (4...8).contains(pin.utf8.count) && pin.utf8.allSatisfy { (0x30...0x39).contains($0) }
  }

  /// Names are 1 to 60 characters, none of them control characters.
  public static func isValidName(_ name: String) -> Bool {
    (1...60).contains(name.count)
      && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }
}
