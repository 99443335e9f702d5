import Foundation
import TillHTTP

/// What a YooKassa v3 answer to a `POST` of a payment or a refund says, before it is read as the one or
/// the other: both objects carry an `id`, a `status` and, when canceled, `cancellation_details`.
enum ProviderVerdict: Hashable, Sendable {
  case succeeded(id: String)
  /// Canceled by the provider: a definite no, with its reason when it gave one.
  case canceled(reason: String?)
  /// The outcome is not known: unreachable, processing (202, maybe with when to ask again), 429 or 5xx.
  case unknown(detail: String, retryAfterMilliseconds: Int?)
  /// 401 or 403: the shop's credentials were refused before the request was looked at.
  case credentialsRefused(detail: String)
  /// Any other 4xx: this request was refused for good; nothing was done under its key.
  case refused(detail: String)
}

extension YooKassaProvider {
  /// `POST path` of `body` under `key`, read as a verdict; `object` names what was asked for in the
  /// details ("payment", "refund").
  func post(path: String, key: String, body: some Encodable, object: String) async -> ProviderVerdict {
    let encoded: Data
    do { encoded = try JSONEncoder().encode(body) } catch {
      return .unknown(detail: "could not encode the \(object)", retryAfterMilliseconds: nil)
    }
    let response: HTTPResponse
    do { response = try await send(path: path, key: key, body: encoded) } catch {
      // Refused, timed out or dropped: it may or may not have happened; the key makes asking again safe.
      return .unknown(detail: "card provider unreachable: \(error)", retryAfterMilliseconds: nil)
    }
    return Self.verdict(response, object: object)
  }

  static func verdict(_ response: HTTPResponse, object: String) -> ProviderVerdict {
    let decoder = JSONDecoder()
    switch response.status {
    case 200, 201:
      guard let answer = try? decoder.decode(ProviderObject.self, from: Data(response.body)) else {
        return .unknown(detail: "unreadable provider answer", retryAfterMilliseconds: nil)
      }
      switch answer.status {
      case "succeeded": return .succeeded(id: answer.id)
      case "canceled": return .canceled(reason: answer.cancellationDetails?.reason)
      default: return .unknown(detail: "\(object) \(answer.status)", retryAfterMilliseconds: nil)
      }
    case 202:
      let processing = try? decoder.decode(ProviderProcessing.self, from: Data(response.body))
      return .unknown(detail: "processing", retryAfterMilliseconds: processing?.retryAfter)
    case 429, 500...599:
      return .unknown(detail: "card provider answered HTTP \(response.status)", retryAfterMilliseconds: nil)
    case 401, 403:
      return .credentialsRefused(
        detail: "card provider answered HTTP \(response.status)" + errorText(response))
    default:
      return .refused(detail: "HTTP \(response.status)" + errorText(response))
    }
  }

  /// ": <description>" from the provider's error body, or nothing.
  private static func errorText(_ response: HTTPResponse) -> String {
    guard let error = try? JSONDecoder().decode(ProviderError.self, from: Data(response.body)) else {
      return ""
    }
    return ": \(error.description ?? error.code ?? "")"
  }
}

/// An amount as the provider writes it: a decimal string and a currency.
struct ProviderAmount: Encodable {
  var value: String
  var currency: String
}

/// A payment or a refund as the provider answers it.
private struct ProviderObject: Decodable {
  struct CancellationDetails: Decodable {
    var reason: String?
  }
  var id: String
  var status: String
  var cancellationDetails: CancellationDetails?

  enum CodingKeys: String, CodingKey {
    case id, status
    case cancellationDetails = "cancellation_details"
  }
}

private struct ProviderProcessing: Decodable {
  var retryAfter: Int?

  enum CodingKeys: String, CodingKey { case retryAfter = "retry_after" }
}

private struct ProviderError: Decodable {
  var code: String?
  var description: String?
}
