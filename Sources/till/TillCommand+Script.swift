import ArgumentParser
import Foundation
import TillTUI

extension TillCommand {
  /// Reads and parses the script before anything starts, so a bad file costs nothing.
  static func loadScript(_ path: String) throws -> Script {
    guard let data = FileManager.default.contents(atPath: path) else {
      FrontEnd.printError("till: cannot read the script \(path)")
      throw ExitCode(2)
    }
    do {
      return try Script(bytes: Array(data), name: path)
    } catch {
      FrontEnd.printError("till: \(path):\(error.line): \(error.message)")
      throw ExitCode(2)
    }
  }
}
