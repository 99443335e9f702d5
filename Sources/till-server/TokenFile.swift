import Foundation

/// Tokens read from files, so none has to appear in the process list or the shell history: one token a
/// line, blank lines and lines starting with `#` ignored. A refusal names the file, never its content.
enum TokenFile {
  static func tokens(in paths: [String], kind: String) throws -> [String] {
    try paths.flatMap { path in try tokens(in: path, kind: kind) }
  }

  static func tokens(in path: String, kind: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw StartupError("cannot read the \(kind) token file \(path)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw StartupError("the \(kind) token file \(path) is not UTF-8 text")
    }
    let tokens = text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    guard !tokens.isEmpty else { throw StartupError("the \(kind) token file \(path) holds no token") }
    return tokens
  }

  /// The one token of a file that must hold exactly one.
  static func single(in path: String, kind: String) throws -> String {
    let found = try tokens(in: path, kind: kind)
    guard found.count == 1 else {
      throw StartupError("the \(kind) token file \(path) must hold one token, not \(found.count)")
    }
    return found[0]
  }
}
