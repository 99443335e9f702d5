import Foundation
import Testing
import TillCore
import TillFuzzing

/// The trading day's wire types under the same decoding fuzz as every other wire type.
extension DecoderFuzzTests {
  @Test func registerRequests() {
    run(OpenSessionRequest.self, valid: .object(["openingFloat": Self.money(10_000)]))
    run(
      CashMoveRequest.self,
      valid: .object([
        "opId": .string("m-1"), "kind": .string("pay-out"), "amount": Self.money(500),
        "reason": .string("safe"),
        "approval": .object(["code": .string("2001"), "pin": .string("4321")]),
      ]))
    run(CloseSessionRequest.self, valid: .object(["countedCash": Self.money(11_150)]))
  }

  static let sessionJSON = JSON.object([
    "id": .string("s-1"), "terminal": .string("till-1"), "status": .string("closed"),
    "openingFloat": money(10_000), "openedAt": .string("2026-12-02T08:00:00Z"), "openedBy": .string("1001"),
    "closedAt": .string("2026-12-02T18:00:00Z"), "closedBy": .string("2001"), "zReportId": .string("z-1"),
  ])

  static func counted(_ count: Int, _ amount: Int) -> JSON {
    .object(["count": .int(count), "amount": money(amount)])
  }

  @Test func zReport() {
    let report = JSON.object([
      "session": Self.sessionJSON, "salesCount": .int(2), "salesTotal": Self.money(920),
      "payments": .array([.object(["method": .string("cash"), "count": .int(1), "amount": Self.money(700)])]),
      "taxes": .array([
        .object([
          "rate": .int(700), "net": Self.money(860), "tax": Self.money(60), "gross": Self.money(920),
        ])
      ]),
      "discountTotal": Self.money(0), "cancels": Self.counted(1, 350), "payIns": Self.counted(1, 2000),
      "payOuts": Self.counted(1, 1500), "noSales": .int(1),
      "people": .array([
        .object(["staff": .string("1001"), "salesCount": .int(2), "salesTotal": Self.money(920)])
      ]),
      "cash": .object([
        "openingFloat": Self.money(10_000), "taken": Self.money(1000), "change": Self.money(300),
        "payIns": Self.money(2000), "payOuts": Self.money(1500), "expected": Self.money(11_200),
      ]),
    ])
    run(SessionReport.self, valid: report)
    run(
      ZReport.self,
      valid: .object([
        "id": .string("z-1"), "number": .int(1), "terminal": .string("till-1"),
        "closedAt": .string("2026-12-02T18:00:00Z"), "closedBy": .string("2001"), "report": report,
        "countedCash": Self.money(11_150), "variance": Self.money(-50),
      ]))
    run(RegisterSession.self, valid: Self.sessionJSON)
  }
}
