import TillStore

/// The bcrypt cost of the stand-in hash an unknown code is checked against: the highest cost among the
/// stored PIN hashes, so an unknown code takes as long as a wrong PIN even when the people were added at
/// a cost other than the server's (`staff add --pin-cost`). Without stored hashes it is the server's own.
///
/// The stored hashes are read once, when the server starts; a hash the server makes (a person added or a
/// PIN reset through it) raises the cost when it is higher. A hash added by the command line while the
/// server runs is not seen until the server restarts: until then an unknown code may take less time
/// than a wrong PIN of that person, if the command line used a higher cost than any stored before.
actor StandInCost {
  private let fallback: Int
  private var highest: Int?
  private var reading: Task<Int?, Never>?

  init(fallback: Int, readingHashesIn store: (any StaffStore)?) {
    self.fallback = fallback
    reading = store.map { store in Task { try? await Self.highestCost(in: store) } }
  }

  /// The cost to make the stand-in hash at, once the stored hashes have been read.
  func current() async -> Int {
    if let reading {
      merge(await reading.value)
      self.reading = nil
    }
    return highest ?? fallback
  }

  /// A hash at `cost` is about to be stored.
  func raise(to cost: Int) {
    merge(cost)
  }

  private func merge(_ cost: Int?) {
    guard let cost else { return }
    highest = max(highest ?? cost, cost)
  }

  /// The highest cost among the stored hashes; nil when there are none.
  static func highestCost(in store: any StaffStore) async throws -> Int? {
    var highest: Int?
    for member in try await store.staff() {
      guard let hash = try await store.staffCredentials(code: member.code)?.pinHash,
        let cost = PINHasher.cost(of: hash)
      else { continue }
      highest = max(highest ?? cost, cost)
    }
    return highest
  }
}
