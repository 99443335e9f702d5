/// Secrets taken out of text that names a URL, for every message and log line that does.
///
/// Works on the text itself, not on a parsed URL, so a URL that does not parse (a typo in the port, say)
/// is redacted as well: the password of `scheme://user:password@host…` and the values of query
/// parameters whose names hold "password", "secret", "token" or "key" become `***`.
public enum Redaction {
  public static func url(_ text: String) -> String {
    guard let schemeEnd = text.firstRange(of: "://") else { return redactQuery(text) }
    let afterScheme = text[schemeEnd.upperBound...]
    let isAuthorityEnd: (Character) -> Bool = { $0 == "/" || $0 == "?" || $0 == "#" }
    let authorityEnd = afterScheme.firstIndex(where: isAuthorityEnd) ?? afterScheme.endIndex
    let authority = afterScheme[..<authorityEnd]
    var result = String(text[..<schemeEnd.upperBound])
    // The userinfo ends at the last "@" of the authority (a password may hold "@" itself).
    if let at = authority.lastIndex(of: "@") {
      let userinfo = authority[..<at]
      if let colon = userinfo.firstIndex(of: ":") {
        result += String(userinfo[..<colon]) + ":***"
      } else {
        result += String(userinfo)
      }
      result += String(authority[at...])
    } else {
      result += String(authority)
    }
    return result + redactQuery(String(afterScheme[authorityEnd...]))
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
