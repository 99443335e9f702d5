import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a new PIN for the staff commands. At a terminal it is typed twice with echo off (the prompts go
/// to standard error); otherwise standard input holds it on its first line, so a script can pipe it in.
/// The PIN is never printed, whatever happens.
enum PINPrompt {
  static func newPIN(for code: String) throws -> String {
    guard isatty(STDIN_FILENO) == 1 else {
      guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw StaffCommandFailure("no PIN on standard input (give it on the first line)")
      }
      return line.trimmingCharacters(in: .whitespaces)
    }
    let first = try hiddenLine(prompt: "PIN for \(code): ")
    let second = try hiddenLine(prompt: "The same PIN again: ")
    guard first == second else { throw StaffCommandFailure("the two PINs differ; nothing was changed") }
    return first
  }

  /// One line typed with the terminal's echo off; the echo is restored before returning.
  private static func hiddenLine(prompt: String) throws -> String {
    var saved = termios()
    guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
      throw StaffCommandFailure("cannot turn the terminal's echo off: \(String(cString: strerror(errno)))")
    }
    var silent = saved
    silent.c_lflag &= ~tcflag_t(ECHO)
    guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else {
      throw StaffCommandFailure("cannot turn the terminal's echo off: \(String(cString: strerror(errno)))")
    }
    // The prompt only once the echo is off: whatever is typed after it stays hidden.
    FileHandle.standardError.write(Data(prompt.utf8))
    let line = readLine(strippingNewline: true)
    _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    // The Enter the person typed was not echoed either.
    FileHandle.standardError.write(Data("\n".utf8))
    guard let line else { throw StaffCommandFailure("no PIN was typed") }
    return line
  }
}
