/// Percent-encoding for values placed in a path segment or a query string.
enum PathEncoding {
  /// Encodes everything but RFC 3986 unreserved characters, so an id or search text can never add a
  /// path segment, a query parameter or a fragment.
  static func escape(_ value: String) -> String {
    // A segment of only dots would be a dot-segment that the transport removes ("a/../b" is "b"):
    // its dots are encoded, so the server still sees the identifier "..".
    if value == "." || value == ".." { return String(repeating: "%2E", count: value.count) }
    var result = ""
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        result.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF".utf8)
        result +=
          "%" + String(Unicode.Scalar(hex[Int(byte >> 4)])) + String(Unicode.Scalar(hex[Int(byte & 0xF)]))
      }
    }
    return result
  }

  /// "?a=1&b=x" from the pairs whose value is not nil, or "" when none is.
  static func query(_ items: [(String, String?)]) -> String {
    let parts = items.compactMap { name, value in value.map { "\(name)=\(escape($0))" } }
    return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
  }
}
