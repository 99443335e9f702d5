import Synchronization
import Testing

@testable import TillTUI

/// The headless terminal hands keys on in the order they were typed, also when keys are typed while
/// the ones typed before the program started are still being handed on.
@Suite struct HeadlessTerminalTests {
  final class Received: Sendable {
    let keys = Mutex<[Key]>([])
  }

  @Test func aKeyTypedWhileTheEarlyOnesAreDeliveredComesAfterThem() throws {
    let terminal = HeadlessTerminal()
    for key in "1001" { terminal.press(.character(key)) }
    let received = Received()
    try terminal.start { event in
      guard case .key(let key) = event else { return }
      let count = received.keys.withLock { keys in
        keys.append(key)
        return keys.count
      }
      // The person goes on typing while the first early key is being handed on.
      if count == 1 { terminal.press(.tab) }
    }
    terminal.press(.enter)
    let keys = received.keys.withLock { $0 }
    #expect(keys == "1001".map(Key.character) + [.tab, .enter])
  }
}
