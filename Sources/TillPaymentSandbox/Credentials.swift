import Foundation

/// The shop's HTTP Basic credentials (shop id : secret key) that every sandbox route requires.
struct Credentials: Sendable {
  let shopId: String
  let secretKey: String

  /// Whether an `Authorization` header value carries exactly these credentials.
  func accept(authorization: String?) -> Bool {
    guard let authorization else { return false }
    let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
    guard parts.count == 2, parts[0].lowercased() == "basic",
      let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces))
    else { return false }
    let expected = Data("\(shopId):\(secretKey)".utf8)
    return Self.constantTimeEqual(decoded, expected)
  }

  /// Compares without an early exit so response timing does not reveal how much of a guess was right.
  private static func constantTimeEqual(_ left: Data, _ right: Data) -> Bool {
    var difference = UInt8(left.count == right.count ? 0 : 1)
    for index in 0..<min(left.count, right.count) {
      difference |= left[left.startIndex + index] ^ right[right.startIndex + index]
    }
    return difference == 0
  }
}
