import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// Split tender in the store, on every engine: parts in cash and by card, each recorded once per key,
/// never more than the order owes, change only from cash, and the order paid when the parts cover it.
@Suite("Split tender in the store")
struct SplitTenderStoreTests {
  typealias Paying = PaymentStoreTests
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  @Test(arguments: StoreEngine.allCases)
  func cashThenCardPaysTheOrderOnceEachPartIsRecordedOnce(engine: StoreEngine) async throws {
    try await Paying.withPlacedOrder(engine) { store, order in
      let (owner, staff) = (Fixture.owner, Fixture.staff)
      let part = PaymentPart(amount: Self.eur(200), key: "part-1")
      let cash = try await store.payCash(
        orderId: order.id, owner: owner, staff: staff, tendered: Self.eur(500), part: part)
      #expect(cash.created)
      #expect(cash.payment.amount == Self.eur(200) && cash.payment.change == Self.eur(300))
      let again = try await store.payCash(
        orderId: order.id, owner: owner, staff: staff, tendered: Self.eur(500), part: part)
      #expect(again == PaymentRecord(payment: cash.payment, created: false), "the same key records once")
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(
            orderId: order.id, owner: owner, staff: staff, tendered: Self.eur(500),
            part: PaymentPart(amount: Self.eur(100), key: "part-1"))
        } == .failure(.idempotencyKeyReused))
      let halfway = try await store.order(id: order.id, owner: owner)
      #expect(halfway.status == .placed && halfway.paid == Self.eur(200) && halfway.due == Self.eur(440))
      #expect(halfway.receiptNumber == nil, "a part takes no receipt number")
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.beginCardPayment(
            orderId: order.id, owner: owner, staff: staff,
            part: PaymentPart(amount: Self.eur(441), key: "card-over"))
        } == .failure(.amountExceedsDue(due: Self.eur(440))),
        "a card part over the due is refused, not capped")
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.cancelOrder(id: order.id, by: Fixture.actor(owner: Fixture.owner), approval: nil)
        } == .failure(.orderPartlyPaid(paid: Self.eur(200))))
      let start = try await store.beginCardPayment(
        orderId: order.id, owner: owner, staff: staff, part: PaymentPart(key: "card-rest"))
      guard case .started(let attempt) = start else {
        Issue.record("the rest by card should start an attempt: \(start)")
        return
      }
      #expect(attempt.payment.amount == Self.eur(440) && attempt.payment.change == nil)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(
            orderId: order.id, owner: owner, staff: staff, tendered: Self.eur(100),
            part: PaymentPart(amount: Self.eur(100), key: "cash-while-pending"))
        } == .failure(.paymentPending(attempt.payment)), "no part while a card attempt is pending")
      _ = try await store.settleCardPayment(
        id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "p"))
      let paid = try await store.order(id: order.id, owner: owner)
      #expect(paid.status == .paid && paid.paid == order.total && paid.due == Self.eur(0))
      #expect(paid.payments.map(\.method) == [.cash, .card])
      #expect(paid.payments.map(\.amount.amount).reduce(0, +) == order.total.amount)
      #expect(paid.receiptNumber != nil)
      let replay = try await store.beginCardPayment(
        orderId: order.id, owner: owner, staff: staff, part: PaymentPart(key: "card-rest"))
      guard case .replayed(let replayed) = replay else {
        Issue.record("the card key again should answer its attempt: \(replay)")
        return
      }
      #expect(replayed.id == attempt.payment.id && replayed.status == .succeeded)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(
            orderId: order.id, owner: owner, staff: staff, tendered: Self.eur(100),
            part: PaymentPart(amount: Self.eur(1), key: "after-paid"))
        } == .failure(.amountExceedsDue(due: Self.eur(0))), "a paid order owes nothing")
    }
  }

  /// 50 part payments at once on one order of 6.40: cash parts of 0.30 with 0.20 change, and requests
  /// for the rest with 10.00 tendered. The order never takes more than its total, the rest (and its
  /// change) is recorded at most once, each key once, and what the rows sum to is what the order says.
  @Test(arguments: StoreEngine.allCases)
  func concurrentPartsNeverTakeMoreThanTheTotal(engine: StoreEngine) async throws {
    try await Paying.withPlacedOrder(engine) { store, order in
      let (owner, staff) = (Fixture.owner, Fixture.staff)
      let requests = (0..<50).map { index in
        index.isMultiple(of: 2)
          ? (key: "part-\(index % 20)", tendered: Self.eur(50), amount: Optional(Self.eur(30)))
          : (key: "rest-\(index)", tendered: Self.eur(1_000), amount: nil)
      }
      let results = await withTaskGroup(of: Result<PaymentRecord, StoreError>.self) { group in
        for request in requests {
          group.addTask {
            await outcome { () async throws(StoreError) in
              try await store.payCash(
                orderId: order.id, owner: owner, staff: staff, tendered: request.tendered,
                part: PaymentPart(amount: request.amount, key: request.key))
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let created = results.compactMap { try? $0.get() }.filter(\.created).map(\.payment)
      let final = try await store.order(id: order.id, owner: owner)
      let sum = final.payments.filter { $0.status == .succeeded }.map(\.amount.amount).reduce(0, +)
      #expect(sum == final.paid.amount, "the stored paid amount is the sum of the parts")
      #expect(sum <= order.total.amount)
      #expect(created.count == final.payments.count, "every created part is stored, none twice")
      #expect(Set(created.map(\.id)).count == created.count)
      let rests = created.filter { $0.tendered == Self.eur(1_000) }
      #expect(rests.count <= 1, "the rest, and its change, is taken at most once: \(rests)")
      #expect(final.status == (sum == order.total.amount ? .paid : .placed))
      #expect(final.status == .paid, "a request for the rest pays the order")
      let partKeys = created.filter { $0.tendered == Self.eur(50) }.count
      #expect(partKeys <= 10, "each of the 10 part keys records at most one part: \(partKeys)")
      for failure in results.compactMap({ if case .failure(let error) = $0 { error } else { nil } }) {
        switch failure {
        case .amountExceedsDue: break
        default: Issue.record("unexpected refusal: \(failure)")
        }
      }
    }
  }
}
