import Logging
import Testing
import TillCore
import TillStore
import TillTestSupport

@testable import TillServer

@Suite("Store errors map to problems")
struct ProblemMappingTests {
  static let cases: [(StoreError, Int, ProblemKind)] = [
    (.notFound(what: "cart"), 404, .notFound),
    (.cartClosed, 409, .cartClosed),
    (.emptyCart, 422, .emptyCart),
    (.insufficientStock([Shortage(sku: "A", requested: 2, available: 1)]), 409, .insufficientStock),
    (.quantityLimit(sku: "A", limit: 9_999), 422, .quantityLimit),
    (.cartLineLimit(limit: 200), 422, .cartLineLimit),
    (.stockBelowZero(sku: "A", available: 3), 422, .stockBelowZero),
    (.stockAboveLimit(sku: "A", available: 999_999_999, limit: 1_000_000_000), 422, .invalidField),
    (.operationReused(opId: "op"), 422, .operationReused),
    (.idempotencyKeyReused, 422, .idempotencyKeyReused),
    (.requestInFlight, 409, .requestInFlight),
    (.orderNotCancelable(status: .paid), 409, .orderNotCancelable),
    (.orderNotPayable(status: .canceled), 409, .orderNotPayable),
    (.engine("disk I/O error at /secret/path"), 500, .internalError),
    (.invalidCatalogue("product 1 (SKU \"A\"): the SKU is given twice"), 500, .internalError),
  ]

  @Test("every case has its status and kind", arguments: 0..<cases.count)
  func mapping(_ index: Int) {
    let (error, status, kind) = Self.cases[index]
    let problem = Problem(error)
    #expect(problem.status == status)
    #expect(problem.kind == kind)
    #expect(problem.detail?.isEmpty == false)
  }

  @Test("shortages travel with the problem; engine messages never do")
  func extras() {
    let shortages = [
      Shortage(sku: "A", requested: 2, available: 1), Shortage(sku: "B", requested: 5, available: 0),
    ]
    #expect(Problem(.insufficientStock(shortages)).shortages == shortages)
    #expect(Problem(.engine("disk I/O error at /secret/path")).detail?.contains("secret") == false)
  }
}

@Suite("Unexpected errors")
struct UnexpectedErrorTests {
  struct DiskFull: Error {
    var path = "/var/lib/till/till.sqlite"
  }
  /// Wraps the error that happened, as postgres-nio's transaction error does.
  struct TransactionFailed: Error {
    var line = 42
    var closureError: (any Error)?
  }

  @Test("logged with the full description, the wrapped error included; the client gets the generic 500")
  func loggedInFullAnsweredGenerically() async throws {
    let log = CapturedLog()
    let logger = Logger(label: "till.test.unexpected") { _ in CapturingLogHandler(log: log) }
    let problem = ProblemMiddleware.unexpected(TransactionFailed(closureError: DiskFull()), logger: logger)

    #expect(problem == .internalError)
    #expect(problem.status == 500)
    #expect(problem.detail?.contains("DiskFull") == false)

    let entry = try #require(log.entries.first)
    #expect(log.entries.count == 1)
    #expect(entry.level == .error)
    for part in ["TransactionFailed", "DiskFull", "/var/lib/till/till.sqlite", "42"] {
      #expect(entry.metadata.contains(part), "\(part) missing from \(entry.metadata)")
    }
  }
}
