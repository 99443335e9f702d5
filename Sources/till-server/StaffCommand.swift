import ArgumentParser
import Foundation
import Logging
import TillCommandLine
import TillCore
import TillServer
import TillStore

/// `till-server staff …`: the people who sign in at the tills, managed on the server's own database
/// (the same `--database` and default as serving), so the first manager can be created before any
/// token or admin route exists.
struct StaffCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "staff",
    abstract: "Add, list, disable people and reset their PINs on the server's database.",
    discussion: """
      A PIN is typed twice without echo when standard input is a terminal; otherwise the first line of \
      standard input is the PIN (e.g. `printf '%s\\n' "$PIN" | till-server staff add …`). It is stored \
      only as a bcrypt hash and never printed. Each change is written to the audit trail as the admin's.
      """,
    subcommands: [
      StaffAddCommand.self, StaffListCommand.self, StaffDisableCommand.self, StaffResetPINCommand.self,
    ])
}

/// `--database`, exactly as the serve command reads it.
struct StaffDatabaseOptions: ParsableArguments {
  @Option(name: .long, help: StoreLocation.help)
  var database: String?

  /// Opens the database (migrating it, leaving its catalogue alone), runs `body` on its staff and
  /// closes it; every failure becomes one line for the operator.
  func withStaff<Result>(_ body: (any StaffStore) async throws -> Result) async throws -> Result {
    try await withStore { store in
      guard let staff = store as? any StaffStore else {
        throw StaffCommandFailure("the \(store.engine) store cannot keep staff")
      }
      return try await body(staff)
    }
  }

  /// The same for the trading day's records (`till-server report`).
  func withRegister<Result>(_ body: (any RegisterStore) async throws -> Result) async throws -> Result {
    try await withStore { store in
      guard let register = store as? any RegisterStore else {
        throw StaffCommandFailure("the \(store.engine) store cannot keep register sessions")
      }
      return try await body(register)
    }
  }

  private func withStore<Result>(_ body: (any Store & PaymentStore) async throws -> Result) async throws
    -> Result
  {
    let environment = ProcessInfo.processInfo.environment
    let path = database ?? DataDirectory.defaultDatabasePath(environment: environment)
    var logger = Logger(label: "till.staff") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .error
    let store: any Store & PaymentStore
    do {
      store = try await StoreLocation(path, environment: environment).connect(logger: logger)
    } catch {
      throw StaffCommandFailure.describing(error)
    }
    do {
      let result = try await body(store)
      await store.close()
      return result
    } catch {
      await store.close()
      throw StaffCommandFailure.describing(error)
    }
  }
}

/// `--pin-cost`: bcrypt's cost for new PIN hashes, shared by serving and the staff commands.
struct PINCostOption: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "bcrypt cost of PIN hashes, \(PINHasher.allowedCosts.lowerBound)-\(PINHasher.allowedCosts.upperBound)"
        + " (each step doubles the time of a sign-in's check).", valueName: "n"))
  var pinCost = 10

  func validate() throws {
    guard PINHasher.allowedCosts.contains(pinCost) else {
      throw ValidationError(
        "the PIN cost must be \(PINHasher.allowedCosts.lowerBound) to \(PINHasher.allowedCosts.upperBound),"
          + " not \(pinCost)")
    }
  }

  var hasher: PINHasher { PINHasher(cost: pinCost) }
}

/// `--code`, checked with the shared rule.
struct StaffCodeOption: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The person's staff code (1-12 digits).", valueName: "digits"))
  var code: String

  func validate() throws {
    guard StaffRules.isValidCode(code) else {
      throw ValidationError("a staff code is 1 to 12 digits, not '\(code)'")
    }
  }
}

struct StaffAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a person; their PIN is read as described above.")

  @OptionGroup var code: StaffCodeOption

  @Option(name: .long, help: ArgumentHelp("The name shown on the till.", valueName: "name"))
  var name: String

  @Option(name: .long, help: ArgumentHelp("cashier or manager.", valueName: "role"))
  var role: String

  @OptionGroup var database: StaffDatabaseOptions
  @OptionGroup var cost: PINCostOption

  func validate() throws {
    guard StaffRules.isValidName(name) else {
      throw ValidationError("a name is 1 to 60 characters without control characters")
    }
    guard StaffRole(rawValue: role) != nil else {
      throw ValidationError("the role must be cashier or manager, not '\(role)'")
    }
  }

  func run() async throws {
    try await StaffCommandFailure.reported {
      let pinHash = try await StaffPIN.read(for: code.code, hasher: cost.hasher)
      let role = StaffRole(rawValue: role) ?? .cashier
      let member = try await database.withStaff { staff in
        try await staff.addStaff(code: code.code, name: name, role: role, pinHash: pinHash, by: .admin)
      }
      print("added \(member.code) \(member.name) (\(member.role.rawValue))")
    }
  }
}

struct StaffListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "Everyone, by code: code, role, enabled or disabled, name.")

  @OptionGroup var database: StaffDatabaseOptions

  func run() async throws {
    try await StaffCommandFailure.reported {
      let members = try await database.withStaff { staff in try await staff.staff() }
      if members.isEmpty {
        // On standard error: the list itself stays empty for scripts that read it.
        let hint =
          "nobody yet; add the first manager with: till-server staff add --code CODE --name NAME --role manager"
        FileHandle.standardError.write(Data((hint + "\n").utf8))
      }
      for member in members {
        let code = member.code.padding(toLength: max(12, member.code.count), withPad: " ", startingAt: 0)
        let role = member.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        print("\(code)  \(role)  \(member.enabled ? "enabled " : "disabled")  \(member.name)")
      }
    }
  }
}

struct StaffDisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Disable a person: their sessions end, they cannot sign in.")

  @OptionGroup var code: StaffCodeOption
  @OptionGroup var database: StaffDatabaseOptions

  func run() async throws {
    try await StaffCommandFailure.reported {
      let member = try await database.withStaff { staff in
        try await staff.disableStaff(code: code.code, by: .admin)
      }
      print("disabled \(member.code) \(member.name)")
    }
  }
}

struct StaffResetPINCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset-pin", abstract: "Give a person a new PIN; their sessions end.")

  @OptionGroup var code: StaffCodeOption
  @OptionGroup var database: StaffDatabaseOptions
  @OptionGroup var cost: PINCostOption

  func run() async throws {
    try await StaffCommandFailure.reported {
      let pinHash = try await StaffPIN.read(for: code.code, hasher: cost.hasher)
      let member = try await database.withStaff { staff in
        try await staff.resetPIN(code: code.code, pinHash: pinHash, by: .admin)
      }
      print("new PIN set for \(member.code) \(member.name); their sessions have ended")
    }
  }
}

/// The PIN read, its shape checked, and hashed: only the hash goes on.
enum StaffPIN {
  static func read(for code: String, hasher: PINHasher) async throws -> String {
    let pin = try PINPrompt.newPIN(for: code)
    guard StaffRules.isValidPIN(pin) else { throw StaffCommandFailure("a PIN is 4 to 8 digits") }
    return await hasher.hash(pin)
  }
}
