import Testing

@testable import TillCore

@Suite struct MoneyTests {
  @Test(arguments: [
    (1250, "EUR", "12.50"), (5, "EUR", "0.05"), (-5, "EUR", "-0.05"), (0, "EUR", "0.00"),
    (100_000, "EUR", "1000.00"), (1250, "JPY", "1250"), (1234, "KWD", "1.234"),
  ])
  func decimalString(amount: Int, currency: String, expected: String) {
    #expect(Money(amount: amount, currency: currency).decimalString == expected)
  }

  @Test(arguments: [("12.50", 1250), ("12.5", 1250), ("12", 1200), ("0.05", 5), ("007.10", 710)])
  func parsesDecimalStrings(text: String, minorUnits: Int) {
    #expect(Money.parse(text, currency: "EUR") == Money(amount: minorUnits, currency: "EUR"))
  }

  @Test(arguments: ["", ".", "1.", ".5", "1.234", "-1", "1e3", "1,50", "abc", "1.2.3", " 1", "9999999999999"])
  func rejectsWhatIsNotAPlainAmount(text: String) {
    #expect(Money.parse(text, currency: "EUR") == nil)
  }

  @Test func roundTripsEveryCentUpToTenEuros() {
    for amount in 0...1_000 {
      let money = Money(amount: amount, currency: "EUR")
      #expect(Money.parse(money.decimalString, currency: "EUR") == money)
    }
  }
}

@Suite struct IdentifierTests {
  @Test func operationIDs() {
    #expect(Identifiers.isValidOperationID("a"))
    #expect(Identifiers.isValidOperationID(String(repeating: "x", count: 64)))
    #expect(Identifiers.isValidOperationID("op_1-A"))
    #expect(!Identifiers.isValidOperationID(""))
    #expect(!Identifiers.isValidOperationID(String(repeating: "x", count: 65)))
    #expect(!Identifiers.isValidOperationID("op 1"))
    #expect(!Identifiers.isValidOperationID("café"))
  }

  @Test func idempotencyKeys() {
    #expect(Identifiers.isValidIdempotencyKey("checkout-1:attempt/2"))
    #expect(Identifiers.isValidIdempotencyKey(String(repeating: "k", count: 255)))
    #expect(!Identifiers.isValidIdempotencyKey(""))
    #expect(!Identifiers.isValidIdempotencyKey(String(repeating: "k", count: 256)))
    #expect(!Identifiers.isValidIdempotencyKey("has space"))
    #expect(!Identifiers.isValidIdempotencyKey("tab\there"))
    #expect(!Identifiers.isValidIdempotencyKey("ünï"))
  }

  @Test func cardKeysAreDeterministicPerOrderAndAttempt() {
    #expect(Payment.idempotenceKey(orderId: "o1", attempt: 2) == "order-o1-payment-2")
  }
}

@Suite struct ProblemTests {
  @Test func everyKindRoundTripsThroughItsURI() throws {
    for kind in ProblemKind.allCases {
      let problem = Problem(kind, status: 400)
      #expect(problem.kind == kind)
      #expect(!problem.title.isEmpty)
    }
  }

  @Test func unknownTypeHasNoKind() {
    var problem = Problem(.notFound, status: 404)
    problem.type = "about:blank"
    #expect(problem.kind == nil)
  }
}
