import TillCore

/// The person signed in on this till, and the terminal's name, as the sign-in answer gave them.
public struct SignedInStaff: Sendable, Hashable {
  public var person: StaffSummary
  /// The terminal's name as the server knows it (shown in the title bar).
  public var terminal: String
  /// The terminal's open register session at sign-in, nil when it is not open.
  public var register: RegisterSession?
  /// The shop sells only with the register open: the float is asked for after sign-in.
  public var registerRequired: Bool

  public init(
    person: StaffSummary, terminal: String, register: RegisterSession? = nil, registerRequired: Bool = false
  ) {
    self.person = person
    self.terminal = terminal
    self.register = register
    self.registerRequired = registerRequired
  }

  public var code: String { person.code }
  public var name: String { person.name }
}

/// Which field of a code-and-PIN form the typing goes to.
public enum CredentialField: Sendable, Hashable {
  case code, pin
}

/// A staff code and a PIN being typed: the sign-in screen's form, and the manager-approval dialog's.
/// Nothing is ever pre-filled; the PIN is shown only as dots.
public struct CredentialForm: Sendable, Hashable {
  public var code = ""
  public var pin = ""
  public var field = CredentialField.code
  /// The request is on its way; keys wait for its answer.
  public var sending = false
  /// Why the last attempt did not go through, or why the till is locked.
  public var message: StatusMessage?

  public init(message: StatusMessage? = nil) { self.message = message }

  /// The PIN as the screen shows it: one dot per digit.
  public var maskedPIN: String { String(repeating: "•", count: pin.count) }

  /// Typing into the form: digits go to the field being typed (up to the longest code or PIN),
  /// Backspace takes one back, Tab and the arrows move between the fields. Answers false for keys the
  /// form does not take (Enter, Esc, ...), which the caller decides upon.
  mutating func edit(_ key: Key) -> Bool {
    switch key {
    case .character(let character) where character.isASCII && character.isNumber:
      switch field {
      case .code: if code.count < 12 { code.append(character) }
      case .pin: if pin.count < 8 { pin.append(character) }
      }
    case .backspace:
      switch field {
      case .code: if !code.isEmpty { code.removeLast() }
      case .pin: if !pin.isEmpty { pin.removeLast() }
      }
    case .tab, .backTab, .up, .down:
      field = field == .code ? .pin : .code
    default:
      return false
    }
    return true
  }

  /// What is wrong with the code and PIN typed, in words, or nil when they can be sent.
  var shapeProblem: String? {
    if code.isEmpty { return "Type the staff code" }
    if !StaffRules.isValidCode(code) { return "A staff code is 1 to 12 digits" }
    if !StaffRules.isValidPIN(pin) { return "A PIN is 4 to 8 digits" }
    return nil
  }
}

/// An action waiting for a manager's approval, and the dialog that asks for it.
public struct ApprovalDialog: Sendable, Hashable {
  /// What needs the approval.
  public enum Purpose: Sendable, Hashable {
    /// An unpaid order of another person to cancel.
    case cancel(Order)
    /// A discount past the cashier's limit, sent again with the same opId; `label` names it.
    case discount(DiscountRequest, cartId: String, label: String)
    /// A cashier's pay-out, sent again with the same opId.
    case cashMove(CashMoveRequest, sessionId: String)
    /// A cashier's return, sent again under the same key with the tender chosen.
    case refund(ReturnDialog, Payment.Method)
  }

  public var purpose: Purpose
  public var form = CredentialForm()

  public init(order: Order) { self.purpose = .cancel(order) }

  public init(discount: DiscountRequest, cartId: String, label: String) {
    self.purpose = .discount(discount, cartId: cartId, label: label)
  }

  public init(cashMove: CashMoveRequest, sessionId: String) {
    self.purpose = .cashMove(cashMove, sessionId: sessionId)
  }

  public init(refund: ReturnDialog, method: Payment.Method) {
    self.purpose = .refund(refund, method)
  }
}

/// A person's sale kept on this till while they are signed out: their cart (and edits not yet saved),
/// codes not yet looked up, and the order in hand. Restored when the same person signs in again.
public struct ParkedSale: Sendable, Hashable {
  var cart: Cart?
  var cartIndex: Int
  var queue: [PendingOperation]
  var pendingNames: [String: String]
  var inFlight: InFlightOperation?
  var pendingCodes: [PendingCode]
  var order: Order?
  var focus: Focus

  /// Whether there is anything worth keeping.
  var isEmpty: Bool {
    (cart?.lines.isEmpty ?? true) && queue.isEmpty && inFlight == nil && pendingCodes.isEmpty && order == nil
  }
}

/// The time the idle lock measures, read by `update`: the system's monotonic clock, or a clock a test
/// moves by hand. Not part of the state's value (two states differing only in their clock are equal).
public struct TillClock: Sendable, Hashable {
  private let read: @Sendable () -> Duration

  public init(_ read: @escaping @Sendable () -> Duration) { self.read = read }

  /// Time since an arbitrary fixed point.
  public func now() -> Duration { read() }

  private static let origin = ContinuousClock.now
  public static let system = TillClock { ContinuousClock.now - origin }

  public static func == (lhs: TillClock, rhs: TillClock) -> Bool { true }
  public func hash(into hasher: inout Hasher) {}
}
