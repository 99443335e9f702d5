/// Secrets taken out of text that names a URL, for every message and log line that does.
///
/// Works on the text itself, not on a parsed URL, so a URL that does not parse (a typo in the port, say)
/// is redacted as well: the password of `scheme://user:password@host…` (up to the last `@` before the
/// query, so a password may hold `@` and `/`) and the values of query parameters whose names hold
/// "password", "secret", "token" or "key" become `***`. A user name alone is kept: the back end's URLs
/// carry no secret there.
public enum Redaction {
  public static func url(_ text: String) -> String {
    guard let schemeEnd = text.firstRange(of: "://") else { return redactQuery(text) }
    let afterScheme = text[schemeEnd.upperBound...]
    let isQueryStart: (Character) -> Bool = { $0 == "?" || $0 == "#" }
    let queryStart = afterScheme.firstIndex(where: isQueryStart) ?? afterScheme.endIndex
    var result = String(text[..<schemeEnd.upperBound])
    var rest = afterScheme
    // The userinfo ends at the last "@" before the query: a password may hold "@" and "/" itself.
    if let at = afterScheme[..<queryStart].lastIndex(of: "@") {
      let userinfo = afterScheme[..<at]
      if let colon = userinfo.firstIndex(of: ":") {
        result += String(userinfo[..<colon]) + ":***"
      } else {
        result += String(userinfo)
      }
      rest = afterScheme[at...]
    }
    return result + redactQuery(String(rest))
  }

  private static let secretWords = ["password", "secret", "token", "key"]

  private static func redactQuery(_ text: String) -> String {
    guard let question = text.firstIndex(of: "?") else { return text }
    let fragmentStart = text[question...].firstIndex(of: "#") ?? text.endIndex
    let query = text[text.index(after: question)..<fragmentStart]
    let items = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
      guard let equals = item.firstIndex(of: "=") else { return String(item) }
      let name = item[..<equals].lowercased()
      let isSecret = secretWords.contains { name.contains($0) }
      return isSecret ? String(item[..<equals]) + "=***" : String(item)
    }
    return String(text[...question]) + items.joined(separator: "&") + String(text[fragmentStart...])
  }
}
