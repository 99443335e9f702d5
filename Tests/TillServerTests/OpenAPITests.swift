import Foundation
import Logging
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillResources
import TillStore
import TillTestSupport

@testable import TillServer

/// `Resources/openapi.yaml` against the running server: it is served, it lists exactly the routes the
/// router has, its examples validate against its schemas, and real answers of every route validate too.
@Suite("The OpenAPI description matches the server")
struct OpenAPITests {
  @Test("GET /openapi.yaml serves the shipped description, with or without a token")
  func servesTheDescription() async throws {
    try await withServer(products: [Fixtures.product("OA-1", stock: 1)]) { harness in
      let url = try #require(TillResources.openAPIURL, "openapi.yaml is missing from the resources")
      let shipped = try Data(contentsOf: url)
      #expect(String(decoding: shipped, as: UTF8.self).hasPrefix("openapi: 3.1."))
      for token in [nil, "not-a-configured-token", ServerHarness.staffToken] as [String?] {
        let response = try await harness.client(token: token).get("/openapi.yaml")
        #expect(response.status == 200, "token \(token ?? "none"): \(response.text.prefix(200))")
        #expect(response.header("Content-Type") == "application/yaml")
        #expect(Data(response.body) == shipped)
      }
      let post = try await harness.client().send("POST", "/openapi.yaml", body: nil)
      #expect(post.status == 405)
      #expect(post.header("Allow") == "GET, HEAD")
    }
  }

  @Test("every route of the router is described, and every described operation is routed")
  func routesMatch() async throws {
    try await withServer(products: [Fixtures.product("OA-1", stock: 1)]) { harness in
      let report = try await OpenAPICheck.run(specFrom: harness)
      let described = Set(report.operations.map { $0.joined(separator: " ") })
      let routed = RouterListing.routes(store: harness.store)
      #expect(routed.count >= 14, "the router lists \(routed.sorted())")
      let comparison = RouteComparison(routed: routed, described: described)
      #expect(comparison.undescribed.isEmpty, "routes missing from openapi.yaml: \(comparison.undescribed)")
      #expect(comparison.unrouted.isEmpty, "described but not routed: \(comparison.unrouted)")

      // The comparison notices a missing operation either way.
      let fewer = described.subtracting(["POST /v1/orders"])
      #expect(RouteComparison(routed: routed, described: fewer).undescribed == ["POST /v1/orders"])
      let more = described.union(["DELETE /v1/carts/{id}"])
      #expect(RouteComparison(routed: routed, described: more).unrouted == ["DELETE /v1/carts/{id}"])

      // And the live server answers every described operation from a route (not "no such route"/405).
      let staff = harness.client()
      for operation in described.sorted() {
        let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
        let path = parts[1].replacing(#/\{[^}]+\}/#, with: "oa-probe")
        let response = try await staff.send(parts[0], path, body: parts[0] == "POST" ? Array("{}".utf8) : nil)
        #expect(response.status != 405, "\(operation) answered 405")
        #expect(response.problem?.detail != "There is no such route.", "\(operation) is not routed")
      }
    }
  }

  @Test("every example validates against its schema; a broken example is caught")
  func examplesValidate() async throws {
    try await withServer(products: [Fixtures.product("OA-1", stock: 1)]) { harness in
      let report = try await OpenAPICheck.run(specFrom: harness)
      #expect(report.errors.isEmpty, "\(report.errors.joined(separator: "\n"))")
      #expect(report.examples >= 80, "only \(report.examples) examples were checked")
      print("OpenAPITests: \(report.examples) examples validated, \(report.operations.count) operations")

      // The same checker on a copy with one wrong example (stock as a string) must complain.
      let spec = try await OpenAPICheck.download(from: harness)
      let broken = spec.replacingOccurrences(of: "stock: 114", with: "stock: \"114\"")
      #expect(broken != spec)
      let brokenReport = try await OpenAPICheck.run(spec: broken)
      #expect(brokenReport.errors.contains { $0.contains("restocked") && $0.contains("integer") })
    }
  }

  @Test("real answers of every route and status validate against the description")
  func liveAnswersValidate() async throws {
    var recorder = ExchangeRecorder()
    let scarce = Fixtures.product("OA-SCARCE", stock: 1, price: 99)
    try await withPaymentServer(
      products: PaymentFixtures.products + [scarce],
      retryPolicy: .init(maxCalls: 2, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(10))
    ) { harness, sandbox in
      try await LiveScenario(harness: harness, sandbox: sandbox).run(recording: &recorder)
    }
    try await withServer(products: PaymentFixtures.products) { harness in
      try await StaffScenario(harness: harness).run(recording: &recorder)
    }
    try await withVATServer { harness in
      try await VATScenario(harness: harness).run(recording: &recorder)
    }
    try await withVATServer(opensRegisters: false) { harness in
      try await RegisterScenario(harness: harness).run(recording: &recorder)
    }
    // Without a card provider, card answers 503.
    try await withServer(products: PaymentFixtures.products) { harness in
      let order = try await harness.client().placedOrder()
      let staff = harness.client()
      try await recorder.record(
        "POST", "/v1/orders/{id}/payments", try await staff.pay(order.id, .card), expecting: 503)
    }
    // With a provider refusing the shop's key, card answers 503 too.
    try await withPaymentServer(secretKey: "not-the-shop-key") { harness, _ in
      let order = try await harness.client().placedOrder()
      let answer = try await harness.client().pay(order.id, .card)
      #expect(answer.problem?.kind == .cardPaymentsUnavailable)
      try await recorder.record("POST", "/v1/orders/{id}/payments", answer, expecting: 503)
    }
    // Readiness, and its refusal for a schema of a newer build.
    try await withServer(products: PaymentFixtures.products) { harness in
      let nobody = harness.client(token: nil)
      try await recorder.record("GET", "/v1/ready", try await nobody.get("/v1/ready"), expecting: 200)
      try await OutOfBoundsDataTests.execute("INSERT INTO grdb_migrations VALUES ('v99-newer')", on: harness)
      try await recorder.record("GET", "/v1/ready", try await nobody.get("/v1/ready"), expecting: 503)
    }
    let statuses = Set(recorder.exchanges.map(\.status))
    #expect(statuses.isSuperset(of: [200, 201, 202, 204, 400, 401, 402, 403, 404, 409, 413, 422, 429, 503]))
    let spec = try String(contentsOf: try #require(TillResources.openAPIURL), encoding: .utf8)
    let report = try await OpenAPICheck.run(spec: spec, exchanges: recorder.exchanges)
    #expect(report.errors.isEmpty, "\(report.errors.joined(separator: "\n"))")
    #expect(report.exchanges == recorder.exchanges.count)
    print("OpenAPITests: \(report.exchanges) live answers validated (statuses \(statuses.sorted()))")
  }
}
