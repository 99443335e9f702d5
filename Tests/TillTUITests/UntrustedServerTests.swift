import Testing
import TillClient
import TillCore
import TillHTTP

@testable import TillTUI

/// A back end whose certificate the till does not trust: the client's TLS refusal reaches the cashier as
/// one clear sentence, not as "offline".
@Suite("update: an untrusted server")
struct UntrustedServerTests {
  @Test func aTLSRefusalIsNamedAtSignIn() {
    let failure = TillClientBackend.failure(
      for: .transport(.tls("SSL certificate problem: unable to get local issuer certificate")))
    #expect(failure == .untrusted("SSL certificate problem: unable to get local issuer certificate"))
    #expect(
      TillClientBackend.failure(for: .transport(.connectionRefused)) != failure, "down is not untrusted")

    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    _ = state.start()
    _ = state.typeCredentials("1001", "1234")
    #expect(state.press(.enter) == [.signIn(code: "1001", pin: "1234")])
    _ = state.update(.signedIn(.failure(failure)))
    #expect(
      state.signIn.message?.text.hasPrefix("The till server's certificate is not trusted — nothing was sent")
        == true, "\(String(describing: state.signIn.message))")
    #expect(render(state, size: state.size).text.contains("not trusted"))
  }
}
