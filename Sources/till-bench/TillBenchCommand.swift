import ArgumentParser

/// `till-bench`: load generator and performance report (being built).
@main
struct TillBenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "till-bench", abstract: "Measure Till's back ends against ceilings measured in the same run."
  )

  func run() async throws {}
}
