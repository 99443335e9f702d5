import Foundation

/// The machine the figures were measured on, printed above the table and written under "machine".
struct Machine: Codable, Sendable {
  var cores: Int
  var memoryGB: Double
  var os: String
  var cpu: String
  /// "debug" or "release": debug builds are several times slower and their figures are not comparable.
  var build: String
  var swift: String

  static func current() -> Machine {
    let info = ProcessInfo.processInfo
    #if DEBUG
      let build = "debug"
    #else
      let build = "release"
    #endif
    #if swift(>=6.3)
      let swift = "6.3+"
    #else
      let swift = "6.x"
    #endif
    return Machine(
      cores: info.activeProcessorCount,
      memoryGB: (Double(info.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
      os: osName() ?? info.operatingSystemVersionString, cpu: cpuModel() ?? "unknown", build: build,
      swift: swift)
  }

  var summary: String {
    "\(cores) cores (\(cpu)), \(memoryGB) GB, \(os), \(build) build"
  }

  private static func osName() -> String? {
    guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
      return String(line.dropFirst(12)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    return nil
  }

  private static func cpuModel() -> String? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
    }
    return nil
  }
}
