import TillBench

// The bench lives in the TillBench library (its tests link the library, not this executable); this
// entry point parses the command line and runs it, as `AsyncParsableCommand.main()` would for a root
// command declared here.
do {
  let command = try TillBenchCommand.parse()
  try await command.run()
} catch {
  TillBenchCommand.exit(withError: error)
}
