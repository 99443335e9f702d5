import TillCore

/// Runs one effect against the back end and answers the action that carries its result.
enum EffectRunner {
  static func perform(_ effect: Effect, on backend: any CashierBackend) async -> Action? {
    switch effect {
    case .loadProducts(let query, let load):
      return .productsLoaded(
        load, await result { () async throws(BackendFailure) in try await backend.products(query) })
    case .loadCategories:
      return .categoriesLoaded(
        await result { () async throws(BackendFailure) in try await backend.categories() })
    case .createCart(let staff):
      return .cartCreated(
        staff: staff, await result { () async throws(BackendFailure) in try await backend.createCart() })
    case .increment(let cartId, let sku, let delta, let opId):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.increment(cartId: cartId, sku: sku, delta: delta, opId: opId)
      }
      return .incrementFinished(opId: opId, answer)
    case .placeOrder(let cartId, let key):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.placeOrder(cartId: cartId, idempotencyKey: key)
      }
      return .orderPlaced(key: key, answer)
    case .pay(let orderId, let request, let key):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.pay(orderId: orderId, request: request, idempotencyKey: key)
      }
      return .paymentFinished(orderId: orderId, answer)
    case .cancelOrder(let id, let approval):
      return .orderCanceled(
        await result { () async throws(BackendFailure) in
          try await backend.cancelOrder(id, approval: approval)
        })
    case .refund(let orderId, let request, let key):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.refund(orderId: orderId, request: request, idempotencyKey: key)
      }
      return .refundFinished(key: key, answer)
    case .loadRefundReceipt(let orderId, let refundId, let width):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.refundReceiptText(orderId: orderId, refundId: refundId, width: width)
      }
      return .refundReceiptLoaded(refundId: refundId, answer)
    case .printRefundReceipt(let orderId, let refundId, let path, let width):
      let failure = await ReceiptOutput.print(
        orderId: orderId, refundId: refundId, path: path, width: width, backend)
      return .refundReceiptWritten(target: .printer, failure: failure)
    case .saveRefundReceipt(let orderId, let refundId, let number, let directory, let terminal):
      let failure = await ReceiptOutput.save(
        orderId: orderId, refundId: refundId, receiptNumber: number, directory: directory, terminal: terminal,
        backend)
      return .refundReceiptWritten(target: .file, failure: failure)
    case .signIn(let code, let pin):
      return .signedIn(
        await result { () async throws(BackendFailure) in try await backend.signIn(code: code, pin: pin) })
    case .signOut:
      await backend.signOut()
      return .signedOut
    case .loadOrders:
      return .ordersLoaded(await result { () async throws(BackendFailure) in try await backend.orders() })
    case .applyDiscount(let cartId, let request):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.applyDiscount(cartId: cartId, request: request)
      }
      return .discountApplied(opId: request.opId, answer)
    case .loadReceipt(let orderId, let width, let copy):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.receiptText(orderId: orderId, width: width, copy: copy)
      }
      return .receiptLoaded(orderId: orderId, copy: copy, answer)
    case .printReceipt(let orderId, let copy, let path, let width):
      let failure = await ReceiptOutput.print(orderId: orderId, copy: copy, path: path, width: width, backend)
      return .receiptWritten(orderId: orderId, copy: copy, target: .printer, failure: failure)
    case .saveReceipt(let orderId, let copy, let directory, let terminal, let text):
      let failure = await ReceiptOutput.save(
        orderId: orderId, copy: copy, directory: directory, terminal: terminal, text: text, backend)
      return .receiptWritten(orderId: orderId, copy: copy, target: .file, failure: failure)
    case .openRegister(let float):
      return .registerOpened(
        await result { () async throws(BackendFailure) in try await backend.openRegister(float: float) })
    case .loadXReport:
      return .xReportLoaded(await result { () async throws(BackendFailure) in try await backend.xReport() })
    case .recordCashMove(let sessionId, let request):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.recordCashMove(request, sessionId: sessionId)
      }
      return .cashMoveRecorded(request, answer)
    case .closeRegister(let sessionId, let counted, let key):
      let answer = await result { () async throws(BackendFailure) in
        try await backend.closeRegister(sessionId: sessionId, counted: counted, idempotencyKey: key)
      }
      return .registerClosed(key: key, answer)
    case .printZReport(let z, let shopName, let path, let width):
      let failure = await ReceiptOutput.print(z, shopName: shopName, path: path, width: width)
      return .zReportPrinted(number: z.number, failure: failure)
    case .openDrawer(let path):
      return .drawerPulsed(failure: await ReceiptOutput.openDrawer(path: path))
    case .noticeKeysWaiting(let hold):
      try? await Task.sleep(for: AppState.keysWaitingNoticeDelay)
      return .keysWaitingNoticeDue(hold: hold)
    case .quit:
      return nil
    }
  }

  private static func result<Value>(
    _ body: () async throws(BackendFailure) -> Value
  ) async -> Result<Value, BackendFailure> {
    do {
      return .success(try await body())
    } catch {
      return .failure(error)
    }
  }
}
