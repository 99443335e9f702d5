import ArgumentParser
import Foundation
import TillStore

/// A staff command's refusal: one line on standard error (`till-server: …`) and exit status 1.
struct StaffCommandFailure: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) { self.description = description }

  /// The operator's words for what went wrong; never a PIN or a hash (none reaches an error).
  static func describing(_ error: any Error) -> StaffCommandFailure {
    switch error {
    case let failure as StaffCommandFailure: failure
    case let error as StoreError: StaffCommandFailure(describe(error))
    default: StaffCommandFailure(String(describing: error))
    }
  }

  private static func describe(_ error: StoreError) -> String {
    switch error {
    case .staffExists(let code): "staff code \(code) is already taken; nothing was changed"
    case .notFound(let what): "no such \(what); see: till-server staff list"
    case .engine(let message): message
    default: "the database refused: \(error)"
    }
  }

  /// Runs `body`; a failure is printed as one line and ends the command with exit status 1.
  static func reported(_ body: () async throws -> Void) async throws {
    do {
      try await body()
    } catch {
      let line = describing(error).description.split(whereSeparator: \.isNewline).joined(separator: " ")
      FileHandle.standardError.write(Data("till-server: \(line)\n".utf8))
      throw ExitCode(1)
    }
  }
}
