import HummingbirdBcrypt
import NIOPosix

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

  public init(cost: Int) {
    self.cost = min(max(cost, Self.allowedCosts.lowerBound), Self.allowedCosts.upperBound)
  }

  /// A new salted bcrypt hash of `pin`.
  public func hash(_ pin: String) async -> String {
    let cost = UInt8(self.cost)
    do {
      return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(pin, cost: cost) }
    } catch {
      // The shared pool stops only when the process is ending; hashing here is still right.
      return Bcrypt.hash(pin, cost: cost)
    }
  }

  /// Whether `pin` matches `hash`. A nil hash (an unknown code) is checked against a stand-in hash of
  /// the same cost, which nothing matches, so an unknown code takes as long as a wrong PIN.
  public func verify(_ pin: String, against hash: String?) async -> Bool {
    let known = hash != nil
    let checked = hash ?? dummyHash
    let matches: Bool
    do {
      matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(pin, hash: checked) }
    } catch {
      matches = Bcrypt.verify(pin, hash: checked)
    }
    return known && matches
  }

  /// A well-formed bcrypt hash at this cost with a fixed salt and digest: checking a PIN against it
  /// costs the same rounds as a real one.
  private var dummyHash: String {
    let digits = cost < 10 ? "0\(cost)" : "\(cost)"
    return "$2b$\(digits)$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
  }
}
