import Foundation
import Hummingbird
import TillCore
import TillReceipt
import TillStore

/// `GET /v1/orders/{id}/receipt?format=text|escpos&width=42|48&copy=true|false`: the receipt of a paid
/// order, for a person signed in on the terminal that owns it, made from the order's stored figures
/// (never priced again). `text` answers `text/plain; charset=utf-8`; `escpos` the printer's bytes, with
/// the cash drawer's pulse only on the original receipt of a cash sale. A copy is marked `COPY` and
/// leaves a `receipt-reprint` audit row; a HEAD request answers the same headers and writes nothing.
struct ReceiptRoute {
  let store: any Store & StaffStore
  let shop: ShopDetails

  enum Format: String {
    case text, escpos
  }

  /// The paper widths receipts are laid out for, in characters per line.
  static let widths = [42, 48]

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.get("orders/:id/receipt") { request, context -> Response in
      let actor = try context.requireActor()
      let id = try IdentifierValidation.orderID(in: context)
      let parameters = QueryParameters(request)
      let format = try parameters.choice("format", as: Format.self) ?? .text
      let width = try Self.width(parameters)
      let copy = try Self.copy(parameters)
      let order = try await store.order(id: id, owner: actor.owner)
      guard order.status == .paid else { throw StoreError.receiptNotIssued(status: order.status) }
      guard let receiptNumber = order.receiptNumber else {
        throw Problem(.receiptNotIssued, detail: "The order was paid before receipts were numbered.")
      }
      let staff = try await staffName(of: order)
      let document = try ReceiptDocument(
        order: order, shop: shop, terminal: actor.terminal, staff: staff, copy: copy)
      if copy, request.method != .head {
        try await store.recordReceiptReprint(
          orderId: id, receiptNumber: receiptNumber, by: actor, now: Date())
      }
      switch format {
      case .text:
        return Self.response(
          Array(TextReceipt.render(document, width: width).utf8), type: "text/plain; charset=utf-8")
      case .escpos:
        let drawerPulse =
          !copy && order.payments.contains { $0.method == .cash && $0.status == .succeeded }
        return Self.response(
          EscPosReceipt.render(document, width: width, drawerPulse: drawerPulse),
          type: "application/octet-stream")
      }
    }
  }

  /// The name of the person who placed the order, as the staff list has it now; the code itself for an
  /// order from before sign-in or a person no longer listed.
  private func staffName(of order: Order) async throws -> String {
    guard let code = order.staff else { return LegacyStaff.code }
    return try await store.staffCredentials(code: code)?.member.name ?? code
  }

  static func width(_ parameters: QueryParameters) throws(Problem) -> Int {
    guard let text = try parameters.text("width", maxLength: 8) else { return widths[0] }
    guard let width = Int(text), widths.contains(width) else {
      throw Problem.invalidField("width", "width must be 42 or 48 characters.")
    }
    return width
  }

  static func copy(_ parameters: QueryParameters) throws(Problem) -> Bool {
    switch try parameters.text("copy", maxLength: 8) {
    case nil, "false": false
    case "true": true
    default: throw Problem.invalidField("copy", "copy must be true or false.")
    }
  }

  static func response(_ bytes: [UInt8], type: String) -> Response {
    var headers: HTTPFields = [:]
    headers[.contentType] = type
    headers[.cacheControl] = "no-store"
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
  }
}
