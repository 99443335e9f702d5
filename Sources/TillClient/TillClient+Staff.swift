import TillCore

extension TillClient {
  /// `POST /v1/sign-in` with the terminal's token: signs a person in on this till. From then on every
  /// request carries the person's session token, until `signOut()` or the server ends the session.
  ///
  /// Sent once, never retried: each attempt counts against the code's and the terminal's guesses.
  /// Throws `.signInFailed` for an unknown code, a wrong PIN or a disabled person, and
  /// `.tooManyAttempts` while sign-in is locked.
  public func signIn(code: String, pin: String) async throws(TillClientError) -> SignInResponse {
    let body = try Self.encode(SignInRequest(code: code, pin: pin))
    // The terminal's token signs in, whoever was signed in before on this till.
    session.withLock { $0 = nil }
    let response = try await send("POST", "/v1/sign-in", body: body, repeatability: .once)
    let answer = try Self.decode(SignInResponse.self, from: response)
    session.withLock { $0 = answer.token }
    return answer
  }

  /// `POST /v1/sign-out`: ends the signed-in person's session. The client forgets the session whatever
  /// the answer (a session the server already ended is just as ended), and goes back to the terminal's
  /// token. Does nothing when nobody is signed in.
  public func signOut() async throws(TillClientError) {
    guard let sessionToken = session.withLock({ $0 }) else { return }
    defer { session.withLock { if $0 == sessionToken { $0 = nil } } }
    do {
      _ = try await send("POST", "/v1/sign-out", repeatability: .safe)
    } catch .sessionEnded {
      return
    }
  }

  /// Whether a person is signed in on this client (as far as it knows: the server may have ended the
  /// session since, which the next call finds out).
  public var isSignedIn: Bool { session.withLock { $0 != nil } }
}
