import Foundation
import Hummingbird
import TillCore
import TillReceipt
import TillStore

/// `GET /v1/orders/{id}/refunds/{refund}/receipt?format=text|escpos&width=42|48&copy=true|false`: the
/// receipt of a refund that went back, made from its stored figures, with the same formats, widths and
/// copies as a sale's receipt (`ReceiptRoute`). The original of a cash refund opens the drawer.
struct RefundReceiptRoute {
  let store: any Store & StaffStore & RefundStore
  let shop: ShopDetails

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.get("orders/:id/refunds/:refund/receipt") { request, context -> Response in
      let actor = try context.requireActor()
      let orderId = try IdentifierValidation.orderID(in: context)
      let refundId = try IdentifierValidation.refundID(in: context)
      let parameters = QueryParameters(request)
      let format = try parameters.choice("format", as: ReceiptRoute.Format.self) ?? .text
      let width = try ReceiptRoute.width(parameters)
      let copy = try ReceiptRoute.copy(parameters)
      let order = try await store.order(id: orderId, owner: actor.owner)
      guard
        let refund = try await store.refunds(orderId: orderId, owner: actor.owner).first(where: {
          $0.id == refundId
        })
      else { throw StoreError.notFound(what: "refund") }
      guard refund.status == .succeeded, let receiptNumber = refund.receiptNumber else {
        throw Problem(
          .receiptNotIssued,
          detail: "The refund is \(refund.status.rawValue); its receipt is issued once it went back.")
      }
      let staff = try await store.staffCredentials(code: refund.staff)?.member.name ?? refund.staff
      let document = try ReceiptDocument(
        refund: refund, of: order, shop: shop, terminal: actor.terminal, staff: staff, copy: copy)
      if copy, request.method != .head {
        try await store.recordReceiptReprint(
          orderId: orderId, receiptNumber: receiptNumber, by: actor, now: Date())
      }
      switch format {
      case .text:
        return ReceiptRoute.response(
          Array(TextReceipt.render(document, width: width).utf8), type: "text/plain; charset=utf-8")
      case .escpos:
        return ReceiptRoute.response(
          EscPosReceipt.render(document, width: width, drawerPulse: !copy && refund.method == .cash),
          type: "application/octet-stream")
      }
    }
  }
}
