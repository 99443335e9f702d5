import Foundation
import Synchronization
import Testing
import TillCore
import TillHTTP

@testable import TillClient

/// Retry rules and answer mapping, against a scripted loopback HTTP server (for answers the real server
/// gives only under faults: 503, lost answers, non-problem errors).
@Suite("TillClient retries and answer mapping")
struct ClientRetryTests {
  static let configuration = TillClient.Configuration(
    connectTimeout: .seconds(1), requestTimeout: .seconds(2),
    retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(40)))

  static func problem(_ kind: ProblemKind, _ status: Int) -> LoopbackHTTPServer.Reply {
    let body = (try? JSONEncoder().encode(Problem(kind, status: status, detail: "scripted"))) ?? Data()
    return .init(status: status, headers: [("Content-Type", Problem.mediaType)], body: Array(body))
  }

  @Test("503 is retried for reads and keyed writes until it clears; createCart is sent once")
  func unavailableRetried() async throws {
    let hits = Mutex<[String: Int]>([:])
    let server = try LoopbackHTTPServer { request in
      let count = hits.withLock { hits in
        hits[request.path, default: 0] += 1
        return hits[request.path, default: 0]
      }
      guard count > 2 else { return Self.problem(.internalError, 503) }
      return .init(status: 200, body: Array(#"{"status":"ok","engine":"scripted"}"#.utf8))
    }
    defer { server.stop() }
    let client = TillClient(baseURL: server.baseURL, token: "t", configuration: Self.configuration)
    let health = try await client.health()
    #expect(health.engine == "scripted")
    #expect(client.retryCount == 2)
    #expect(hits.withLock { $0["/v1/health"] } == 3)

    let error = await #expect(throws: TillClientError.self) { _ = try await client.createCart() }
    #expect(error?.problem?.status == 503)
    #expect(hits.withLock { $0["/v1/carts"] } == 1)
  }

  @Test("retries are bounded: a key that stays in flight gives up after maxAttempts")
  func bounded() async throws {
    let hits = Atomic<Int>(0)
    let server = try LoopbackHTTPServer { _ in
      hits.add(1, ordering: .sequentiallyConsistent)
      return Self.problem(.requestInFlight, 409)
    }
    defer { server.stop() }
    let client = TillClient(baseURL: server.baseURL, token: "t", configuration: Self.configuration)
    let error = await #expect(throws: TillClientError.self) { _ = try await client.placeOrder(cartId: "c") }
    #expect(error?.problem?.kind == .requestInFlight)
    #expect(hits.load(ordering: .sequentiallyConsistent) == 3)
  }

  @Test("every attempt of one placeOrder carries the same key; the next call a new one")
  func sameKeyOnRetry() async throws {
    let keys = Mutex<[String]>([])
    let server = try LoopbackHTTPServer { request in
      let count = keys.withLock { keys in
        keys.append(request.headers["idempotency-key"] ?? "")
        return keys.count
      }
      // The first answer of each call is lost; the server has seen the request.
      return .init(status: 200, abort: count == 1 || count == 3)
    }
    defer { server.stop() }
    let client = TillClient(baseURL: server.baseURL, token: "t", configuration: Self.configuration)
    _ = await #expect(throws: TillClientError.self) { _ = try await client.placeOrder(cartId: "c") }
    _ = await #expect(throws: TillClientError.self) { _ = try await client.placeOrder(cartId: "c") }
    let sent = keys.withLock { $0 }
    #expect(sent.count == 4)
    #expect(sent[0] == sent[1] && sent[2] == sent[3])
    #expect(sent[0] != sent[2])
    #expect(sent.allSatisfy(Identifiers.isValidIdempotencyKey))
  }

  @Test("answers map to typed errors by problem kind, then by bare status")
  func mapping() {
    func response(_ status: Int, _ reply: LoopbackHTTPServer.Reply? = nil) -> HTTPResponse {
      var headers: [String: String] = [:]
      for (name, value) in reply?.headers ?? [] { headers[name.lowercased()] = value }
      return HTTPResponse(status: status, headers: headers, body: reply?.body ?? [])
    }
    #expect(TillClient.error(for: response(401)) == .unauthorized)
    #expect(TillClient.error(for: response(413)) == .payloadTooLarge)
    #expect(TillClient.error(for: response(418)) == .unexpectedResponse(status: 418))
    #expect(TillClient.error(for: response(404, Self.problem(.notFound, 404))) == .notFound)
    #expect(TillClient.error(for: response(403, Self.problem(.forbidden, 403))) == .forbidden)
    #expect(TillClient.error(for: response(500, Self.problem(.internalError, 500))).problem?.status == 500)
    let declined = TillClient.error(for: response(402, Self.problem(.paymentDeclined, 402)))
    #expect(declined.declineReason == "scripted")
    guard case .invalid = TillClient.error(for: response(422, Self.problem(.invalidField, 422))) else {
      Issue.record("422 should be invalid")
      return
    }
  }

  @Test("backoff doubles from the initial pause, with at most 20 % jitter, capped")
  func backoff() {
    let policy = RetryPolicy(
      maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(350))
    let first = policy.backoff(after: 1)
    let second = policy.backoff(after: 2)
    let capped = policy.backoff(after: 4)
    #expect(first >= .milliseconds(100) && first <= .milliseconds(120))
    #expect(second >= .milliseconds(200) && second <= .milliseconds(240))
    #expect(capped >= .milliseconds(350) && capped <= .milliseconds(420))
  }
}
