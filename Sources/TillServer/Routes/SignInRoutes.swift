import Foundation
import Hummingbird
import TillCore
import TillStore

/// `POST /v1/sign-in` (with a terminal's token) and `POST /v1/sign-out` (with the session's), on the
/// `/v1` group.
///
/// Sign-in answers an unknown code, a wrong PIN and a disabled person with the same 401
/// `sign-in-failed`, after the same bcrypt work; a locked code or terminal with 429 `too-many-attempts`
/// and `Retry-After`, without looking at the PIN. The new session token is answered once and stored
/// only as its keyed digest. The answer names the terminal's open register session, if any, and whether
/// the shop sells only with the register open, so the till knows at once whether to ask for the float.
struct SignInRoutes {
  let store: any StaffStore & RegisterStore
  /// `ServerConfiguration.requireRegisterSession`, told to the till with each sign-in.
  let registerRequired: Bool
  let authenticator: TokenAuthenticator
  let pins: PINCheck
  let sessionIdle: Duration

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("sign-in") { request, context -> SignInResponse in
      let terminal = try context.requireTerminal()
      let body = try await request.decode(as: SignInRequest.self, context: context)
      try PINCheck.validate(code: body.code, pin: body.pin)
      guard
        let credentials = try await pins.verify(
          code: body.code, pin: body.pin, terminal: terminal.name, failure: .signInFailed, subject: nil)
      else { throw Problem(StoreError.signInRefused) }
      let token = SessionTokens.make()
      let session: StaffSession
      do {
        session = try await store.startSession(
          tokenDigest: authenticator.sessionDigest(of: token), verified: credentials, owner: terminal.owner,
          terminal: terminal.name, now: Date(), idle: sessionIdle)
      } catch StoreError.signInRefused {
        // Disabled or given a new PIN between the PIN check and the session's transaction: refused like
        // any other failed sign-in, with its audit row.
        try await store.recordFailedAttempt(
          .signInFailed, code: body.code, terminal: terminal.name, subject: nil, now: Date())
        throw StoreError.signInRefused
      }
      return SignInResponse(
        token: token, staff: session.staff, terminal: session.terminal, expiresAt: session.expiresAt,
        register: try await store.currentSession(owner: terminal.owner), registerRequired: registerRequired)
    }

    v1.post("sign-out") { _, context -> Response in
      _ = try context.requireStaff()
      guard let digest = context.sessionDigest else { throw Problem.internalError }
      _ = try await store.endSession(tokenDigest: digest, now: Date())
      return Response(status: .noContent)
    }
  }
}

extension SignInResponse: ResponseEncodable {}
extension StaffMember: ResponseEncodable {}
