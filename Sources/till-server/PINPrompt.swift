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
    // Ctrl+C while typing would otherwise end the process with the terminal's echo still off.
    echoToRestore = saved
    signal(SIGINT, restoreEchoAndExit)
    // The prompt only once the echo is off: whatever is typed after it stays hidden.
    FileHandle.standardError.write(Data(prompt.utf8))
    let line = readLine(strippingNewline: true)
    _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    signal(SIGINT, SIG_DFL)
    // The Enter the person typed was not echoed either.
    FileHandle.standardError.write(Data("\n".utf8))
    guard let line else { throw StaffCommandFailure("no PIN was typed") }
    return line
  }
}

/// The terminal's settings from before the echo was turned off, for `restoreEchoAndExit`. Written only
/// before that handler is installed, read only by it.
nonisolated(unsafe) private var echoToRestore = termios()

/// SIGINT while a PIN is typed: puts the echo back and ends like an interrupted command (130), using
/// only calls that are safe in a signal handler.
private func restoreEchoAndExit(_: Int32) {
  _ = tcsetattr(STDIN_FILENO, TCSANOW, &echoToRestore)
  _ = write(STDERR_FILENO, "\n", 1)
  _exit(130)
}
