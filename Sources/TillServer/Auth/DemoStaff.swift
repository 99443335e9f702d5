import TillCore
import TillStore

/// The demo people of the embedded back end and `till-server --demo-staff`: a cashier and a manager with
/// well-known PINs, for trying the till out. A real shop never seeds them.
public enum DemoStaff {
  public struct Person: Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var name: String
    public var role: StaffRole
    public var pin: String

    public var description: String { "DemoStaff.Person(\(code), \(name), \(role), pin: <redacted>)" }
  }

  public static let cashier = Person(code: "1001", name: "Demo Cashier", role: .cashier, pin: "1234")
  public static let manager = Person(code: "2001", name: "Demo Manager", role: .manager, pin: "4321")
  public static let everyone = [cashier, manager]

  /// Adds whichever demo person the store does not have yet (by code; a person already there keeps
  /// their PIN and state), audited as the admin.
  public static func seed(into store: any StaffStore, hasher: PINHasher) async throws {
    for person in everyone where try await store.staffCredentials(code: person.code) == nil {
      let pinHash = await hasher.hash(person.pin)
      do {
        _ = try await store.addStaff(
          code: person.code, name: person.name, role: person.role, pinHash: pinHash, by: .admin)
      } catch .staffExists {
        // Another back end on the same database seeded it in the meantime.
      }
    }
  }
}
