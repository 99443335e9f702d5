import HummingbirdBcrypt
import NIOPosix
import TillStore

/// Hashes and checks staff PINs with bcrypt, off the async executors: the work runs on NIO's shared
/// blocking thread pool, so a slow hash never stalls request handling.
///
/// A PIN has at most 10^8 values, so the hash is what keeps a stolen database from giving up every PIN at
/// once: `cost` is bcrypt's log2 of its rounds (10 in production; the tests use 4, the least bcrypt
/// allows). Costs outside 4…16 are brought to the nearest end, because bcrypt refuses below 4 and above 16
/// a sign-in would take seconds.
public struct PINHasher: Sendable {
  public static let allowedCosts = 4...16

  public let cost: Int
  private let standIn: StandInCost

  /// A hasher whose stand-in hash (for unknown codes) is at `cost`.
  public init(cost: Int) {
    self.init(cost: cost, standInFollowing: nil)
  }

  /// A hasher whose stand-in hash follows the highest cost among `store`'s PIN hashes, read now.
  public init(cost: Int, standInFollowing store: (any StaffStore)?) {
    self.cost = min(max(cost, Self.allowedCosts.lowerBound), Self.allowedCosts.upperBound)
    standIn = StandInCost(fallback: self.cost, readingHashesIn: store)
  }

  /// The cost an unknown code's stand-in hash is checked at.
  public func standInCost() async -> Int {
    await standIn.current()
  }

  /// A new salted bcrypt hash of `pin`. Hashes are made to be stored, so the stand-in follows their cost.
  public func hash(_ pin: String) async -> String {
    await standIn.raise(to: self.cost)
    let cost = UInt8(self.cost)
    do {
      return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(pin, cost: cost) }
    } catch {
      // The shared pool stops only when the process is ending; hashing here is still right.
      return Bcrypt.hash(pin, cost: cost)
    }
  }

  /// Whether `pin` matches `hash`. A nil hash (an unknown code) is checked against a stand-in hash at the
  /// highest stored cost (`StandInCost`), which nothing matches, so an unknown code takes as long as a
  /// wrong PIN.
  public func verify(_ pin: String, against hash: String?) async -> Bool {
    let known = hash != nil
    let checked: String
    if let hash { checked = hash } else { checked = Self.standInHash(cost: await standIn.current()) }
    let matches: Bool
    do {
      matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(pin, hash: checked) }
    } catch {
      matches = Bcrypt.verify(pin, hash: checked)
    }
    return known && matches
  }

  /// A well-formed bcrypt hash at `cost` with a fixed salt and digest: checking a PIN against it costs
  /// the same rounds as a real one of that cost.
  static func standInHash(cost: Int) -> String {
    let digits = cost < 10 ? "0\(cost)" : "\(cost)"
    return "$2b$\(digits)$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
  }

  /// The cost a bcrypt string carries (`$2b$10$…` is 10); nil when it is not one within `allowedCosts`.
  public static func cost(of hash: String) -> Int? {
    let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
    guard fields.count == 4, fields[0].isEmpty, let cost = Int(fields[2]), allowedCosts.contains(cost) else {
      return nil
    }
    return cost
  }
}
