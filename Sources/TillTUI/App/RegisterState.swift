import TillCore

/// The terminal's register as the till knows it: the open session (from the sign-in answer and every
/// register answer since), whether the shop sells only with it open, and the call on its way.
public struct RegisterState: Sendable, Hashable {
  /// The open session, nil when the register is not open (or not known to be).
  public var session: RegisterSession?
  /// The shop sells only with the register open: the till asks for the float after sign-in.
  public var required = false
  /// A register call is on its way: keys wait for its answer, like any other.
  public var sending = false
  /// The X report was asked for with `x`: its answer opens the report (a refresh does not).
  public var showingX = false
  /// The close's Idempotency-Key and the count sent under it, kept until a definite answer: a close whose
  /// answer was lost is sent again with the same count, never another.
  public var closeKey: String?
  public var closeCount: String?

  public init() {}
}

/// What the register part of the screen shows.
public enum RegisterScreen: Sendable, Hashable {
  /// Typing the cash in the drawer to open the register.
  case openFloat(String)
  /// F3: the register's keys.
  case menu
  /// A pay-in or pay-out being typed.
  case move(CashMoveDialog)
  /// `d`: the drawer opens for no sale once Enter confirms it.
  case confirmNoSale
  /// The X report (changes nothing).
  case x(SessionReport)
  /// Typing the cash counted at the close; the expected figure is not shown (blind count).
  case count(String)
  /// The Z report of the close just made.
  case z(ZReport)
}

/// A pay-in or pay-out: the amount, then the reason; Enter on the reason sends it. The opId is made when
/// it is first sent and kept, so a retry (or the same move sent with a manager's approval) applies once.
public struct CashMoveDialog: Sendable, Hashable {
  public enum Field: Sendable, Hashable { case amount, reason }
  public var kind: CashMove.Kind
  public var amount = ""
  public var reason = ""
  public var field = Field.amount
  public var opId: String?

  public init(kind: CashMove.Kind) { self.kind = kind }

  /// How the move is named on screen: "Pay-in" or "Pay-out".
  public var title: String { kind == .payIn ? "Pay-in" : kind == .payOut ? "Pay-out" : "No sale" }
}
