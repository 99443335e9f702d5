import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The embedded back end's secrets: random, never guessable, never logged.
enum Secrets {
  /// `prefix` and 32 hex digits (128 bits from the system's secure generator).
  static func token(_ prefix: String) -> String {
    var generator = SystemRandomNumberGenerator()
    let digits = (0..<2).map { _ in
      let value = generator.next() as UInt64
      let hex = String(value, radix: 16)
      return String(repeating: "0", count: 16 - hex.count) + hex
    }
    return prefix + "-" + digits.joined()
  }

  /// The till's own token, kept in `path` (readable by its owner only) from the first run on: the back end
  /// knows a till by its token, so the same token on every start keeps the till's register session, its
  /// Z numbers and its orders list across restarts. A file that holds no usable token is refused, never
  /// replaced: it may be someone's edit.
  static func storedToken(at path: String, prefix: String) throws -> String {
    if FileManager.default.fileExists(atPath: path) {
      let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
      let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard token.count >= 24, token.count <= 200,
        token.unicodeScalars.allSatisfy({
          $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_".unicodeScalars.contains($0))
        })
      else {
        throw TillCommandError("\(path) holds no usable till token (24 to 200 letters, digits, - or _)")
      }
      return token
    }
    let token = token(prefix)
    // Created with its permissions in one step (no moment readable by others); a file made by another
    // till at the same moment is refused rather than overwritten.
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else {
      throw TillCommandError("cannot create \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    let line = Array((token + "\n").utf8)
    guard write(descriptor, line, line.count) == line.count, fsync(descriptor) == 0 else {
      throw TillCommandError("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    return token
  }
}
