/// A register session: one terminal's trading period, from the opening float to the counted close.
///
/// At most one session per terminal is open at a time (the database enforces it). While it is open,
/// every order placed and every cash move on the terminal belongs to it; its close writes the Z report.
public struct RegisterSession: Codable, Hashable, Sendable {
  public enum Status: String, Codable, Hashable, Sendable, CaseIterable {
    case open, closed
  }

  public var id: String
  /// The terminal's name, as the server knows it.
  public var terminal: String
  public var status: Status
  /// The cash in the drawer when the session was opened.
  public var openingFloat: Money
  /// RFC 3339 timestamp in UTC.
  public var openedAt: String
  /// The staff code of the person who opened it.
  public var openedBy: String
  public var closedAt: String?
  public var closedBy: String?
  /// The Z report its close wrote.
  public var zReportId: String?

  public init(
    id: String, terminal: String, status: Status, openingFloat: Money, openedAt: String, openedBy: String,
    closedAt: String? = nil, closedBy: String? = nil, zReportId: String? = nil
  ) {
    self.id = id
    self.terminal = terminal
    self.status = status
    self.openingFloat = openingFloat
    self.openedAt = openedAt
    self.openedBy = openedBy
    self.closedAt = closedAt
    self.closedBy = closedBy
    self.zReportId = zReportId
  }
}

/// `POST /v1/register-sessions` body.
public struct OpenSessionRequest: Codable, Hashable, Sendable {
  public var openingFloat: Money

  public init(openingFloat: Money) {
    self.openingFloat = openingFloat
  }
}

/// Cash put into or taken out of the drawer outside a sale, or the drawer opened without one.
public struct CashMove: Codable, Hashable, Sendable {
  public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
    /// Cash put in (e.g. more change).
    case payIn = "pay-in"
    /// Cash taken out (e.g. to the safe, or to pay a supplier); needs a manager.
    case payOut = "pay-out"
    /// The drawer opened without a sale; moves no money.
    case noSale = "no-sale"
  }

  public var id: String
  public var sessionId: String
  public var kind: Kind
  /// Zero for `noSale`.
  public var amount: Money
  public var reason: String
  /// The staff code of the person who made it.
  public var staff: String
  /// The manager who approved a cashier's pay-out.
  public var approvedBy: String?
  public var createdAt: String

  public init(
    id: String, sessionId: String, kind: Kind, amount: Money, reason: String, staff: String,
    approvedBy: String?, createdAt: String
  ) {
    self.id = id
    self.sessionId = sessionId
    self.kind = kind
    self.amount = amount
    self.reason = reason
    self.staff = staff
    self.approvedBy = approvedBy
    self.createdAt = createdAt
  }
}

/// `POST /v1/register-sessions/{id}/cash-moves` body: applied once per `opId`, like an increment.
public struct CashMoveRequest: Codable, Hashable, Sendable, CustomStringConvertible {
  public var opId: String
  public var kind: CashMove.Kind
  /// Required for pay-in and pay-out (above zero); absent or zero for no-sale.
  public var amount: Money?
  public var reason: String
  /// A manager's code and PIN, for a cashier's pay-out.
  public var approval: Approval?

  public init(
    opId: String, kind: CashMove.Kind, amount: Money? = nil, reason: String, approval: Approval? = nil
  ) {
    self.opId = opId
    self.kind = kind
    self.amount = amount
    self.reason = reason
    self.approval = approval
  }

  public var description: String {
    "CashMoveRequest(\(opId), \(kind.rawValue), \(amount.map(String.init(describing:)) ?? "-"), "
      + "approval: \(approval == nil ? "none" : "<redacted>"))"
  }
}

/// `POST /v1/register-sessions/{id}/close` body: the cash counted in the drawer.
public struct CloseSessionRequest: Codable, Hashable, Sendable {
  public var countedCash: Money

  public init(countedCash: Money) {
    self.countedCash = countedCash
  }
}

/// An order that keeps a session from closing: unpaid, or with a card payment still pending.
public struct OpenOrder: Codable, Hashable, Sendable {
  public var id: String
  public var number: Int
  /// True when a card payment or a card refund is pending (it settles by itself); false when the order
  /// waits for payment or a cancel.
  public var paymentPending: Bool

  public init(id: String, number: Int, paymentPending: Bool) {
    self.id = id
    self.number = number
    self.paymentPending = paymentPending
  }
}
