import Foundation
import Testing
import TillCore
import TillFuzzing

/// Seeded fuzzing of every wire type's JSON decoding: random bytes, random JSON, and mutations of valid
/// bodies. Properties: decoding never crashes; it either throws or yields a value that re-encodes and
/// decodes back to an equal value. Reproducible: the seed is printed; `TILL_FUZZ_SEED=n` replays one.
@Suite struct DecoderFuzzTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["TILL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7111_2026_0008
  static let casesPerType = 3_000

  /// What one type's run saw.
  struct Tally: CustomStringConvertible {
    var accepted = 0
    var rejected = 0
    var violations: [String] = []
    var description: String { "accepted \(accepted), rejected \(rejected), violations \(violations.count)" }
  }

  // MARK: request bodies (decoded by the server)

  @Test func incrementRequest() {
    run(
      IncrementRequest.self,
      valid: .object(["sku": .string("BAK-001"), "delta": .int(1), "opId": .string("op-1")]))
  }

  @Test func placeOrderRequest() {
    run(PlaceOrderRequest.self, valid: .object(["cartId": .string("c8f1d7a2")]))
  }

  @Test func paymentRequest() {
    run(PaymentRequest.self, valid: .object(["method": .string("cash"), "tendered": Self.money(2000)]))
    run(PaymentRequest.self, valid: .object(["method": .string("card")]), salt: 1)
  }

  @Test func stockAdjustmentRequest() {
    run(StockAdjustmentRequest.self, valid: .object(["delta": .int(-5), "reason": .string("write-off")]))
  }

  // MARK: responses (decoded by the client)

  @Test func product() { run(Product.self, valid: Self.productJSON) }

  @Test func productPage() {
    run(
      Page<Product>.self,
      valid: .object(["items": .array([Self.productJSON, Self.productJSON]), "next": .null]))
  }

  @Test func categoryList() {
    run(
      CategoryList.self,
      valid: .object([
        "items": .array([.object(["name": .string("Bakery"), "count": .int(3), "taxRate": .int(700)])]),
        "next": .null,
      ]))
  }

  @Test func cart() {
    let line = JSON.object([
      "sku": .string("BAK-001"), "name": .string("Croissant"), "quantity": .int(2),
      "unitPrice": Self.money(190), "lineTotal": Self.money(342), "available": .int(7), "taxRate": .int(700),
      "discount": Self.money(38),
    ])
    let discount = JSON.object([
      "sku": .string("BAK-001"), "percent": .int(10), "amount": .null, "staff": .string("1001"),
      "approvedBy": .null,
    ])
    run(
      Cart.self,
      valid: .object([
        "id": .string("c1"), "status": .string("open"), "lines": .array([line]), "total": Self.money(342),
        "discounts": .array([discount]), "discountTotal": Self.money(38), "taxes": .array([Self.taxJSON]),
      ]))
  }

  @Test func order() { run(Order.self, valid: Self.orderJSON) }

  @Test func orderPage() {
    run(Page<Order>.self, valid: .object(["items": .array([Self.orderJSON]), "next": .string("o-2")]))
  }

  @Test func payment() { run(Payment.self, valid: Self.paymentJSON) }

  @Test func problem() {
    run(
      Problem.self,
      valid: .object([
        "type": .string("/problems/insufficient-stock"), "title": .string("Not enough stock"),
        "status": .int(409),
        "detail": .string("Not enough stock for: BAK-001."),
        "shortages": .array([
          .object(["sku": .string("BAK-001"), "requested": .int(3), "available": .int(1)])
        ]),
        "payment": Self.paymentJSON,
      ]))
  }

  @Test func health() {
    run(Health.self, valid: .object(["status": .string("ok"), "engine": .string("sqlite")]))
  }

  // MARK: validators of TillCore

  /// `Money.parse` (cash typed at the till): nil, or a non-negative amount that prints back to a string
  /// parsing to the same amount.
  @Test func moneyParse() {
    var random = SplitMix64(seed: Self.seed ^ 0x4D4F_4E45_59)
    let alphabet = Array("0123456789..-+ e,EUR\u{0660}\u{FF11}")
    var parsed = 0
    var violations: [String] = []
    let cases = 5_000
    for _ in 0..<cases {
      let length = Int(random.next() % 20)
      let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
      let currency = ["EUR", "JPY", "KWD"][Int(random.next() % 3)]
      guard let money = Money.parse(text, currency: currency) else { continue }
      parsed += 1
      let back = Money.parse(money.decimalString, currency: currency)
      if money.amount < 0 || back != money { violations.append("\(text.debugDescription) -> \(money)") }
    }
    print("DecoderFuzzTests.moneyParse seed=\(Self.seed) cases=\(cases) parsed=\(parsed)")
    #expect(violations.count == 0, "\(violations.prefix(5))")
    #expect(parsed > 0)
  }

  /// The identifier checks accept only what their documentation promises.
  @Test func identifierChecks() {
    var random = SplitMix64(seed: Self.seed ^ 0x4944_53)
    let cases = 5_000
    var accepted = (operation: 0, key: 0)
    var violations: [String] = []
    for _ in 0..<cases {
      let length = Int(random.next() % 300)
      let bytes = (0..<length).map { _ in
        random.next() % 4 == 0 ? UInt8(random.next() % 256) : UInt8(0x2D + random.next() % 0x50)
      }
      let text = String(decoding: bytes, as: UTF8.self)
      let utf8 = Array(text.utf8)
      if Identifiers.isValidOperationID(text) {
        accepted.operation += 1
        let allowed = utf8.allSatisfy { Self.operationIDBytes.contains($0) }
        if !(1...64).contains(utf8.count) || !allowed { violations.append("opId \(text.debugDescription)") }
      }
      if Identifiers.isValidIdempotencyKey(text) {
        accepted.key += 1
        if !(1...255).contains(utf8.count) || !utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
          violations.append("key \(text.debugDescription)")
        }
      }
    }
    print(
      "DecoderFuzzTests.identifierChecks seed=\(Self.seed) cases=\(cases) "
        + "validOpIds=\(accepted.operation) validKeys=\(accepted.key)")
    #expect(violations.count == 0, "\(violations.prefix(5))")
    #expect(accepted.operation > 0 && accepted.key > 0)
  }

  static let operationIDBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".utf8)

  // MARK: the fuzz loop

  /// Runs `casesPerType` inputs against `type`: a third random bytes, a third random JSON, a third
  /// mutations of `valid` (which must itself decode).
  func run<Value: Codable & Hashable>(_ type: Value.Type, valid: JSON, salt: UInt64 = 0) {
    let name = String(describing: type)
    var random = SplitMix64(seed: Self.seed ^ Self.hash(name) ^ salt)
    var tally = Tally()
    let started = ContinuousClock.now
    let validBytes = valid.bytes
    #expect((try? JSONDecoder().decode(Value.self, from: Data(validBytes))) != nil, "seed body of \(name)")
    for index in 0..<Self.casesPerType {
      let input: [UInt8]
      switch index % 3 {
      case 0: input = Mutator.randomBytes(&random)
      case 1: input = JSON.random(&random, depth: 0, keys: valid.keys).bytes
      default: input = Mutator.mutate(valid, &random)
      }
      check(Value.self, input, &tally)
    }
    let elapsed = ContinuousClock.now - started
    print(
      "DecoderFuzzTests \(name) TILL_FUZZ_SEED=\(Self.seed) (salt \(salt)) cases=\(Self.casesPerType) \(tally) in \(elapsed)"
    )
    #expect(tally.violations.count == 0, "\(name): \(tally.violations.prefix(3))")
    // A fuzz that never gets past the decoder (or never fails it) is not testing anything.
    #expect(tally.accepted > 0 && tally.rejected > 0, "\(name): \(tally)")
  }

  private func check<Value: Codable & Hashable>(_ type: Value.Type, _ input: [UInt8], _ tally: inout Tally) {
    guard let value = try? JSONDecoder().decode(Value.self, from: Data(input)) else {
      tally.rejected += 1
      return
    }
    tally.accepted += 1
    do {
      let encoded = try JSONEncoder().encode(value)
      let back = try JSONDecoder().decode(Value.self, from: encoded)
      if back != value {
        tally.violations.append("round trip changed \(String(decoding: input, as: UTF8.self))")
      }
    } catch {
      tally.violations.append("re-encoding failed (\(error)) for \(String(decoding: input, as: UTF8.self))")
    }
  }

  private static func hash(_ text: String) -> UInt64 {
    text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
  }

  static func money(_ amount: Int) -> JSON { .object(["amount": .int(amount), "currency": .string("EUR")]) }

  static let productJSON = JSON.object([
    "sku": .string("BAK-001"), "name": .string("Croissant"), "category": .string("Bakery"),
    "price": money(190), "stock": .int(12), "barcode": .string("4006381333931"),
    "taxRate": .int(700),
  ])

  /// One rate's figures: 3.42 gross at 7 %.
  static let taxJSON = JSON.object([
    "rate": .int(700), "net": money(320), "tax": money(22), "gross": money(342),
  ])

  static let paymentJSON = JSON.object([
    "id": .string("p1"), "orderId": .string("o1"), "method": .string("cash"), "status": .string("succeeded"),
    "amount": money(342), "tendered": money(500), "change": money(158), "attempt": .int(1),
    "idempotenceKey": .null, "declineReason": .null,
  ])

  static let orderJSON = JSON.object([
    "id": .string("o1"), "number": .int(42), "status": .string("paid"),
    "lines": .array([
      .object([
        "sku": .string("BAK-001"), "name": .string("Croissant"), "quantity": .int(2),
        "unitPrice": money(190), "lineTotal": money(342), "taxRate": .int(700), "discount": money(38),
        "net": money(320), "tax": money(22),
      ])
    ]),
    "total": money(342), "createdAt": .string("2026-11-25T15:30:00Z"), "payment": paymentJSON,
    "discountTotal": money(38), "taxes": .array([taxJSON]), "taxBasis": .string("inclusive"),
    "receiptNumber": .int(17), "paidAt": .string("2026-11-25T15:31:00Z"),
    "payments": .array([paymentJSON]), "paid": money(342), "due": money(0),
  ])
}
