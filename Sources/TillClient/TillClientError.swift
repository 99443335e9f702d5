import TillCore
import TillHTTP

/// Why a `TillClient` call failed, in the kinds a caller acts on differently.
///
/// Every case has a `message` a cashier can read; the problem document, when the server sent one, keeps
/// the details (`problem`).
public enum TillClientError: Error, Equatable, Sendable {
  /// Checkout found lines that stock cannot cover; every short line is listed.
  case insufficientStock([Shortage])
  /// The product, cart or order does not exist, or belongs to another till.
  case notFound
  /// No token, or a token the server does not know.
  case unauthorized
  /// The token is valid but may not do this (e.g. stock adjustments need the admin token).
  case forbidden
  /// The card was declined; the problem usually carries the payment with its `declineReason`.
  case paymentDeclined(Problem)
  /// The request clashes with the current state: cart checked out, order already paid, key in flight, ...
  case conflict(Problem)
  /// The request was malformed or a value is out of range (400, 422).
  case invalid(Problem)
  /// The request body was larger than the server accepts.
  case payloadTooLarge
  /// The card provider refuses the shop's settings (wrong shop id or key): no card payment can go
  /// through until they are fixed; cash still works.
  case cardPaymentsUnavailable(Problem)
  /// The server failed on its side (5xx).
  case server(Problem)
  /// No complete answer: the back end is down, slow, or the connection broke.
  case transport(HTTPError)
  /// An answer that is neither the expected success nor a problem document, or that does not decode.
  case unexpectedResponse(status: Int)
  /// Sign-in refused: unknown code, wrong PIN or a disabled person (the server does not say which).
  case signInFailed(Problem)
  /// Too many wrong PINs for this code or on this terminal: sign-in is refused for a while
  /// (`Retry-After`, in whole seconds, when the server sent it).
  case tooManyAttempts(retryAfterSeconds: Int?, Problem)
  /// Selling needs a signed-in person; this client holds only the terminal's token.
  case signInRequired(Problem)
  /// The action needs a manager's approval (code and PIN), e.g. canceling another person's order.
  case approvalRequired(Problem)
  /// The approval was refused: wrong PIN, or the approver is not an enabled manager.
  case approvalRefused(Problem)
  /// The signed-in person's session is over (signed out, expired, disabled): sign in again.
  case sessionEnded
  /// A refusal of a session this client no longer holds (another person signed in since): it says
  /// nothing about the current session, and the same call sent again goes out under it.
  case staleSession
}

extension TillClientError {
  /// The server's problem document, when it sent one.
  public var problem: Problem? {
    switch self {
    case .paymentDeclined(let problem), .conflict(let problem), .invalid(let problem), .server(let problem),
      .cardPaymentsUnavailable(let problem), .signInFailed(let problem), .tooManyAttempts(_, let problem),
      .signInRequired(let problem), .approvalRequired(let problem), .approvalRefused(let problem):
      problem
    default: nil
    }
  }

  /// True when the back end could not be reached or did not answer: the front end shows "offline".
  public var isTransport: Bool {
    if case .transport = self { return true }
    return false
  }

  /// The decline reason of a declined card payment, when the server gave one.
  public var declineReason: String? {
    guard case .paymentDeclined(let problem) = self else { return nil }
    return problem.payment?.declineReason ?? problem.detail
  }

  /// One sentence for the status line, in words a cashier understands.
  public var message: String {
    switch self {
    case .insufficientStock(let shortages):
      let lines = shortages.map { "\($0.sku) (wanted \($0.requested), \($0.available) left)" }
      return "Not enough stock: " + lines.joined(separator: ", ") + "."
    case .notFound:
      return "Not found: it may have been removed, or it belongs to another till."
    case .unauthorized:
      return "This till is not signed in: check its access token."
    case .forbidden:
      return "This till is not allowed to do that; ask a manager."
    case .paymentDeclined:
      return "Card declined" + (declineReason.map { ": \($0)." } ?? ".")
    case .conflict(let problem), .invalid(let problem):
      return problem.detail ?? problem.title
    case .payloadTooLarge:
      return "The request was too large for the server."
    case .cardPaymentsUnavailable:
      return "Card payments are unavailable — check the provider settings."
    case .server(let problem):
      // An internal error's detail is for developers; a named condition (no card payments, provider
      // unreachable) already reads as advice.
      guard let kind = problem.kind, kind != .internalError else {
        return "The till server had a problem. Please try again."
      }
      return problem.detail ?? problem.title
    case .transport(let error):
      return Self.message(for: error)
    case .unexpectedResponse(let status):
      return "The server gave an answer this till does not understand (HTTP \(status))."
    case .signInFailed:
      return "Staff code or PIN not recognised."
    case .tooManyAttempts(let seconds, _):
      return "Too many wrong PINs: try again " + Self.wait(seconds) + "."
    case .signInRequired:
      return "Sign in with your staff code and PIN first."
    case .approvalRequired:
      return "This needs a manager's approval."
    case .approvalRefused:
      return "The manager's code or PIN was not accepted."
    case .sessionEnded:
      return "Your session has ended: sign in again."
    case .staleSession:
      return "The answer was for an earlier session: try again."
    }
  }

  /// "in 30 seconds", "in 2 minutes", or "later" when the server gave no time.
  static func wait(_ seconds: Int?) -> String {
    guard let seconds, seconds > 0 else { return "later" }
    if seconds < 90 { return seconds == 1 ? "in 1 second" : "in \(seconds) seconds" }
    return "in \((seconds + 59) / 60) minutes"
  }

  private static func message(for error: HTTPError) -> String {
    switch error {
    case .connectionRefused: "Cannot reach the till server: it is not running, or the address is wrong."
    case .timedOut: "The till server did not answer in time."
    case .nameNotResolved: "The till server's address could not be found."
    case .tls(let detail): "The secure connection to the till server failed (\(detail))."
    case .responseTooLarge: "The till server's answer was too large."
    case .connectionLost: "The connection to the till server was lost."
    case .other(_, let detail): "Network problem: \(detail)."
    }
  }
}

extension TillClientError: CustomStringConvertible {
  public var description: String { message }
}
