import Testing
import TillCore

@Suite("redaction of secrets in URLs")
struct RedactionTests {
  @Test(arguments: [
    ("postgres://till:s3cret@db:54x32/till", "postgres://till:***@db:54x32/till"),
    ("postgres://till:s3cret@db:5432/till", "postgres://till:***@db:5432/till"),
    ("postgresql://till:p@ss@word@[::1]:5432/till", "postgresql://till:***@[::1]:5432/till"),
    ("https://shop:k3y@pay.example/v3?x=1", "https://shop:***@pay.example/v3?x=1"),
    ("https://pay.example/v3?api_key=abc&mode=live", "https://pay.example/v3?api_key=***&mode=live"),
    ("http://h/?Password=x#frag", "http://h/?Password=***#frag"),
    ("postgres://till@db/till", "postgres://till@db/till"),
    ("not a url at all", "not a url at all"),
    ("postgres://:only@db/x", "postgres://:***@db/x"),
    ("postgres://till:pa/ss@db:54x32/till", "postgres://till:***@db:54x32/till"),
    ("http://shop:pa/ss@h/", "http://shop:***@h/"),
  ])
  func secretsAreReplaced(input: String, expected: String) {
    #expect(Redaction.url(input) == expected)
  }

  @Test func noSecretSurvivesInAnyOfTheseShapes() {
    for url in [
      "postgres://u:SECRETXYZ@h:bad/d", "x://u:SECRETXYZ@",
      "a://b:SECRETXYZ@c@d/e?token=SECRETXYZ",
    ] {
      let shown = Redaction.url(url)
      #expect(!shown.contains("SECRETXYZ"), "\(url) → \(shown)")
    }
  }
}
