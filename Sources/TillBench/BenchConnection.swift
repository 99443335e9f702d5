import Foundation
import TillHTTP

/// One worker's kept-alive connection to the back end with its bearer token: the bench's only way in.
///
/// Bodies the hot paths send are built as strings (no encoder on the client's side of the measurement);
/// answers are decoded only where the bench needs an id from them.
struct BenchConnection: Sendable {
  let connection: HTTPConnection
  let authorization: String?

  /// `token` nil: no `Authorization` header (the caller sends its own).
  init(baseURL: String, token: String?) {
    connection = HTTPConnection(
      baseURL: baseURL,
      configuration: HTTPConfiguration(connectTimeout: .seconds(2), requestTimeout: .seconds(10)))
    authorization = token.map { "Bearer " + $0 }
  }

  /// Sends and answers the response, or nil on a transport error (counted by the caller, never thrown).
  func send(_ method: String, _ path: String, body: String? = nil, headers: [(String, String)] = [])
    async -> HTTPResponse?
  {
    var all: [(name: String, value: String)] = []
    if let authorization { all.append((name: "Authorization", value: authorization)) }
    if body != nil { all.append((name: "Content-Type", value: "application/json")) }
    for (name, value) in headers { all.append((name: name, value: value)) }
    let request = HTTPRequest(method: method, path: path, headers: all, body: body.map { Array($0.utf8) })
    do {
      return try await connection.send(request)
    } catch {
      return nil
    }
  }

  /// Whether the answer came and is 2xx.
  static func succeeded(_ response: HTTPResponse?) -> Bool {
    guard let response else { return false }
    return (200..<300).contains(response.status)
  }

  /// `send` then decode a 2xx body as `T`; nil on any failure.
  func fetch<T: Decodable>(
    _ type: T.Type, _ method: String, _ path: String, body: String? = nil, headers: [(String, String)] = []
  ) async -> T? {
    let response = await send(method, path, body: body, headers: headers)
    guard Self.succeeded(response), let response else { return nil }
    return try? JSONDecoder().decode(T.self, from: Data(response.body))
  }

  /// `{"sku":…,"delta":…,"opId":…}`; SKUs and op ids of the bench need no JSON escaping.
  static func incrementBody(sku: String, delta: Int, opId: String) -> String {
    #"{"sku":"\#(sku)","delta":\#(delta),"opId":"\#(opId)"}"#
  }

  /// Percent-encodes a query parameter value.
  static func queryValue(_ text: String) -> String {
    // ASCII only: `CharacterSet.alphanumerics` would let "è" through unencoded.
    let allowed = CharacterSet(
      charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}

/// Just the id of an answer (cart, order).
struct Identified: Decodable {
  var id: String
}
