import Foundation
import Testing
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// A YooKassa-shaped error body.
struct ErrorBody: Decodable, Equatable {
  var type: String
  var code: String
  var description: String
  var parameter: String?
}

/// A `processing` answer.
struct ProcessingAnswer: Decodable {
  var type: String
  var retryAfter: Int

  enum CodingKeys: String, CodingKey {
    case type
    case retryAfter = "retry_after"
  }
}

extension HTTPResponse {
  /// The YooKassa error body; throws if the status is not `status` or the body is not an error.
  func error(expecting status: Int) throws -> ErrorBody {
    let body = try decoded(ErrorBody.self, expecting: status)
    #expect(body.type == "error")
    #expect(header("Content-Type") == "application/json")
    return body
  }
}

/// Runs `body` with a fresh sandbox and always stops it, even when the test throws.
func withSandbox(_ body: (SandboxHarness) async throws -> Void) async throws {
  let harness = try await SandboxHarness.start()
  do {
    try await body(harness)
  } catch {
    await harness.stop()
    throw error
  }
  await harness.stop()
}

/// Sends one payment on its own connection.
func pay(
  _ harness: SandboxHarness, key: String?, body: [UInt8] = SandboxHarness.paymentBody(),
  authorization: String? = SandboxHarness.authorization
) async throws -> HTTPResponse {
  try await harness.connection().send(
    SandboxHarness.paymentRequest(key: key, body: body, authorization: authorization))
}
