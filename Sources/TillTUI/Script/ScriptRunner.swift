import Foundation

/// A script step that did not hold, with the screen at that moment.
public struct ScriptFailure: Error, Hashable, Sendable, CustomStringConvertible {
  public var scriptName: String
  public var line: Int
  public var source: String
  public var message: String
  public var screen: String

  public var description: String {
    "\(scriptName):\(line): \(source)\n  \(message)\n--- screen ---\n\(screen)\n--------------"
  }
}

/// Drives a `Program` with a script: keys go in as if typed, expectations read the program's screen.
///
/// Works with any terminal; `resize` needs a `HeadlessTerminal`.
public struct ScriptRunner: Sendable {
  public var script: Script
  public var program: Program
  public var headless: HeadlessTerminal?
  /// Where `snapshot NAME` writes `NAME.txt`; nil keeps snapshots in `snapshots` only.
  public var snapshotDirectory: String?
  /// How long `expect` waits for typed keys and back-end answers to settle before it looks.
  public var settleTimeout: Duration

  public init(
    script: Script, program: Program, headless: HeadlessTerminal? = nil, snapshotDirectory: String? = nil,
    settleTimeout: Duration = .seconds(5)
  ) {
    self.script = script
    self.program = program
    self.headless = headless
    self.snapshotDirectory = snapshotDirectory
    self.settleTimeout = settleTimeout
  }

  /// Runs every step; the first that fails ends the run.
  /// - Returns: the snapshots taken, by name.
  @discardableResult
  public func run() async throws(ScriptFailure) -> [String: String] {
    var snapshots: [String: String] = [:]
    for step in script.steps {
      try await perform(step, snapshots: &snapshots)
    }
    return snapshots
  }

  private func failure(_ step: ScriptStep, _ message: String) -> ScriptFailure {
    ScriptFailure(
      scriptName: script.name, line: step.line, source: step.source, message: message,
      screen: program.screen.text)
  }

  private func perform(_ step: ScriptStep, snapshots: inout [String: String]) async throws(ScriptFailure) {
    if program.isFinished, step.command.needsProgram {
      throw failure(step, "the program has already ended")
    }
    switch step.command {
    case .type(let text):
      for character in text {
        program.send(.key(character == "\n" ? .enter : character == "\t" ? .tab : .character(character)))
      }
    case .press(let key):
      program.send(.key(key))
    case .scan(let code):
      program.send(.scan(code))
    case .sleep(let duration):
      try? await Task.sleep(for: duration)
    case .resize(let size):
      guard let headless else { throw failure(step, "resize works only headless (--headless)") }
      headless.resize(to: size)
    case .waitFor(let text, let within):
      let deadline = ContinuousClock.now + within
      while !program.screen.contains(text) {
        if ContinuousClock.now >= deadline {
          throw failure(step, "\"\(text)\" did not appear within \(within)")
        }
        if program.isFinished { throw failure(step, "the program ended before \"\(text)\" appeared") }
        try? await Task.sleep(for: .milliseconds(10))
      }
    case .expect(let text):
      await settle()
      guard program.screen.contains(text) else { throw failure(step, "expected \"\(text)\" on the screen") }
    case .expectNot(let text):
      await settle()
      guard !program.screen.contains(text) else {
        throw failure(step, "did not expect \"\(text)\" on the screen")
      }
    case .snapshot(let name):
      await settle()
      let text = program.screen.text
      snapshots[name] = text
      if let directory = snapshotDirectory {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(name + ".txt")
        do {
          try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
          try Data((text + "\n").utf8).write(to: url)
        } catch {
          throw failure(step, "could not write \(url.path): \(error)")
        }
      }
    }
  }

  /// Waits until every key sent has been handled and no back-end call is on its way (or the timeout).
  private func settle() async {
    let deadline = ContinuousClock.now + settleTimeout
    // Two idle looks in a row, so an answer that queues a follow-up call is not mistaken for the end.
    var idleLooks = 0
    while ContinuousClock.now < deadline && !program.isFinished {
      idleLooks = program.isIdle ? idleLooks + 1 : 0
      if idleLooks >= 2 { return }
      try? await Task.sleep(for: .milliseconds(5))
    }
  }
}

extension ScriptCommand {
  fileprivate var needsProgram: Bool {
    switch self {
    case .type, .press, .scan, .waitFor, .resize: return true
    case .expect, .expectNot, .snapshot, .sleep: return false
    }
  }
}

extension Program {
  /// Runs the program with a script typing into it, then stops the program. The script's failure, if any,
  /// is thrown after the terminal is restored.
  public func run(script: Script, headless: HeadlessTerminal? = nil, snapshotDirectory: String? = nil)
    async throws -> [String: String]
  {
    let runner = ScriptRunner(
      script: script, program: self, headless: headless, snapshotDirectory: snapshotDirectory)
    let loop = Task { try await self.run() }
    // Let the loop start the terminal before keys arrive (keys sent earlier would still be queued).
    var outcome: Result<[String: String], ScriptFailure>
    do {
      outcome = .success(try await runner.run())
    } catch {
      outcome = .failure(error)
    }
    stop()
    try await loop.value
    return try outcome.get()
  }
}
