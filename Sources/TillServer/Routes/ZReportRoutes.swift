import Hummingbird
import TillCore
import TillReceipt
import TillStore

/// The back office's Z reports, for a manager or the admin token: every terminal's, newest first
/// (`terminal=` narrows to one), and one report as JSON, printable text or CSV for the accountant.
struct ZReportRoutes {
  let store: any RegisterStore
  let shop: ShopDetails

  enum Format: String {
    case json, text, csv
  }

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.get("z-reports") { request, context -> ListBody<ZReport> in
      try context.requireManagerOrAdmin()
      let parameters = QueryParameters(request)
      let page = try await store.zReports(
        terminal: try parameters.text("terminal", maxLength: 64), limit: try parameters.limit(),
        after: try parameters.text("after", maxLength: 255))
      return ListBody(page)
    }

    v1.get("z-reports/:id") { request, context -> Response in
      try context.requireManagerOrAdmin()
      let raw = try context.parameters.require("id")
      guard let id = raw.removingPercentEncoding, IdentifierValidation.isValidRecordID(id) else {
        throw Problem(.notFound, detail: "No such Z report.")
      }
      let parameters = QueryParameters(request)
      let format = try parameters.choice("format", as: Format.self) ?? .json
      let report = try await store.zReport(id: id)
      switch format {
      case .json:
        return try TillResponseEncoder().encode(report, from: request, context: context)
      case .text:
        let width = try ReceiptRoute.width(parameters)
        return ReceiptRoute.response(
          Array(ZReportDocument.text(report, shop: shop, width: width).utf8),
          type: "text/plain; charset=utf-8")
      case .csv:
        return ReceiptRoute.response(Array(ZReportDocument.csv(report).utf8), type: "text/csv; charset=utf-8")
      }
    }
  }
}
