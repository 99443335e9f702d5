import TillCore

extension TillClient {
  /// `POST /v1/register-sessions`: opens this terminal's register with `openingFloat` in the drawer.
  /// Throws `.conflict` with `session-already-open` (and the open session) when one is open. Not
  /// retried: a lost answer shows as that conflict on the next call, naming the session that opened.
  public func openSession(openingFloat: Money) async throws(TillClientError) -> RegisterSession {
    let body = try Self.encode(OpenSessionRequest(openingFloat: openingFloat))
    let response = try await send("POST", "/v1/register-sessions", body: body, repeatability: .once)
    return try Self.decode(RegisterSession.self, from: response)
  }

  /// `GET /v1/register-sessions/current`: the open session's X report (nothing changes). Throws
  /// `.conflict` with `no-open-session` when the register is not open.
  public func currentSession() async throws(TillClientError) -> SessionReport {
    let response = try await send("GET", "/v1/register-sessions/current", repeatability: .safe)
    return try Self.decode(SessionReport.self, from: response)
  }

  /// `POST /v1/register-sessions/{id}/cash-moves`: a pay-in, pay-out or no-sale, recorded once per
  /// `opId` however often it is retried.
  public func recordCashMove(_ move: CashMoveRequest, sessionId: String) async throws(TillClientError)
    -> CashMove
  {
    let body = try Self.encode(move)
    let path = "/v1/register-sessions/" + PathEncoding.escape(sessionId) + "/cash-moves"
    let response = try await send("POST", path, body: body, repeatability: .safe)
    return try Self.decode(CashMove.self, from: response)
  }

  /// `POST /v1/register-sessions/{id}/close`: the count and the Z report, under `idempotencyKey`, which
  /// every retry reuses, so the session is closed once and every answer is the same Z.
  public func closeSession(id: String, countedCash: Money, idempotencyKey: String)
    async throws(TillClientError)
    -> ZReport
  {
    let body = try Self.encode(CloseSessionRequest(countedCash: countedCash))
    let path = "/v1/register-sessions/" + PathEncoding.escape(id) + "/close"
    let response = try await send(
      "POST", path, body: body, headers: [("Idempotency-Key", idempotencyKey)], repeatability: .safe)
    return try Self.decode(ZReport.self, from: response)
  }

  /// `GET /v1/z-reports` (a manager or the admin): Z reports, newest first.
  public func zReports(terminal: String? = nil, limit: Int = Limits.defaultPageSize, after: String? = nil)
    async throws(TillClientError) -> Page<ZReport>
  {
    let path =
      "/v1/z-reports"
      + PathEncoding.query([("terminal", terminal), ("limit", String(limit)), ("after", after)])
    let response = try await send("GET", path, repeatability: .safe)
    return try Self.decode(Page<ZReport>.self, from: response)
  }

  /// `GET /v1/z-reports/{id}?format=text`: the Z report laid out for `width` columns.
  public func zReportText(id: String, width: Int = 42) async throws(TillClientError) -> String {
    let path =
      "/v1/z-reports/" + PathEncoding.escape(id)
      + PathEncoding.query([("format", "text"), ("width", String(width))])
    let response = try await send("GET", path, repeatability: .safe)
    return String(decoding: response.body, as: UTF8.self)
  }
}
