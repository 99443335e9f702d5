import TillCore

/// The pay dialog. Money moves only on a confirming key: Enter after the tender (and once more when the
/// tender is far above the total), Enter after `2` for a card. Scans never reach it (`scanned`).
extension AppState {
  mutating func paymentKey(_ key: Key, stage: PaymentStage) -> [Effect] {
    switch stage {
    case .sending: return []
    case .partAmount(let text):
      if let typed = Self.editedAmount(text, key) { mode = .payment(.partAmount(typed)) }
      if key == .enter { choosePart(text) }
      if key == .escape {
        paymentPart = nil
        mode = .payment(.choose)
      }
      return []
    case .cash(let text):
      if let typed = Self.editedAmount(text, key) { mode = .payment(.cash(typed)) }
      if key == .enter { return payCash(text) }
      if key == .escape { mode = .payment(.choose) }
      return []
    case .confirmTender(let tendered):
      if key == .enter { return pay(.cash(tendered: tendered, amount: paymentPart)) }
      if key == .escape {
        mode = .payment(.cash(tendered.decimalString))
        status = StatusMessage("Correct the amount, then Enter")
      }
      return []
    case .confirmCard:
      if key == .enter { return pay(paymentPart.map { .card(amount: $0) } ?? .card) }
      if key == .escape { mode = .payment(.choose) }
      return []
    case .cardPending:
      switch key {
      case .character("r"):
        // Reads the order's state (the server settles the attempt under its key); never sends a payment,
        // so a meanwhile declined attempt cannot turn into a new charge without Enter.
        ordersLoading = true
        background.remove(.orders)
        status = StatusMessage("Asking the server about the card payment…")
        return [.loadOrders]
      case .character("1"):
        status = StatusMessage(
          "No cash while the card payment is pending — wait, or r to ask again", .warning)
      case .escape: leavePayment()
      default: break
      }
      return []
    case .choose, .declined:
      switch key {
      case .character("1"):
        mode = .payment(.cash(""))
        status = StatusMessage("Type the cash handed over, then Enter")
      case .character("2"):
        mode = .payment(.confirmCard)
        status = StatusMessage("Enter starts the card payment")
      case .character("a"):
        mode = .payment(.partAmount(""))
        status = StatusMessage("Type the part to pay now, then Enter; 1 or 2 then takes it")
      case .escape: leavePayment()
      default: break
      }
      return []
    }
  }

  /// Enter on the part amount: more than nothing and less than what is due sets the part (all that is
  /// due is no part: the next payment pays it all); more than is due is refused here, before the server.
  mutating func choosePart(_ text: String) {
    guard let order else { return }
    let due = order.due
    guard let part = Money.parse(String(text.map { $0 == "," ? "." : $0 }), currency: due.currency),
      part.amount > 0
    else {
      status = StatusMessage("Type the part to pay now, e.g. 20 or 20.00", .warning)
      return
    }
    guard part.amount <= due.amount else {
      status = StatusMessage("At most \(due.decimalString) is due", .warning)
      return
    }
    paymentPart = part.amount < due.amount ? part : nil
    mode = .payment(.choose)
    status = StatusMessage("Paying \(part.decimalString) of \(due.decimalString) — 1 cash, 2 card")
  }

  /// What the next payment pays: the chosen part, or all that is due.
  var amountToPay: Money? {
    guard let order else { return nil }
    return paymentPart ?? order.due
  }

  /// Esc in the pay dialog: the order stays unpaid, to be paid later from here or the orders list.
  mutating func leavePayment() {
    paymentPart = nil
    mode = .browse
    guard let order else { return }
    status =
      order.payment?.status == .pending
      ? StatusMessage("Order #\(order.number): card payment pending — the server settles it; o to follow")
      : StatusMessage("Order #\(order.number) waits for payment — p to pay, o for orders")
  }

  /// Sends a payment for the current order.
  mutating func pay(_ request: PaymentRequest) -> [Effect] {
    guard let order, !paymentInFlight else { return [] }
    paymentInFlight = true
    sentPayments[order.id, default: []].append(request)
    mode = .payment(.sending(request.method))
    status = StatusMessage(request.method == .card ? "Waiting for the card…" : "Recording cash…")
    let key = paymentKey ?? nextIdentifier("pay")
    paymentKey = key
    return [.pay(orderId: order.id, request: request, key: key)]
  }

  /// The largest tender the till takes, as the cashier reads it.
  var largestTender: String {
    Money(amount: Limits.maxTenderAmount, currency: configuration.currency).decimalString
  }

  /// Enter in the cash field: the amount must cover the total and stay within the largest tender; one
  /// far above the total (over ten times it and over 100) asks once more.
  mutating func payCash(_ text: String) -> [Effect] {
    guard let order, let toPay = amountToPay else { return [] }
    let currency = order.total.currency
    let normalized = String(text.map { $0 == "," ? "." : $0 })
    guard let tendered = Money.parse(normalized, currency: currency) else {
      status = StatusMessage("Type the cash handed over, e.g. 20 or 20.00", .warning)
      return []
    }
    guard tendered.amount <= Limits.maxTenderAmount else {
      status = StatusMessage("At most \(largestTender) can be taken in cash", .warning)
      return []
    }
    guard tendered.amount >= toPay.amount else {
      status =
        toPay.amount > Limits.maxTenderAmount
        ? StatusMessage(
          "That is more than the largest cash tender (\(largestTender)) — pay by card or in parts", .warning)
        : StatusMessage("That is less than the \(toPay.decimalString) to pay", .warning)
      return []
    }
    let hundred = Money.parse("100", currency: currency)?.amount ?? 100
    let tenTimes = toPay.amount.multipliedReportingOverflow(by: 10)
    if tendered.amount > hundred && !tenTimes.overflow && tendered.amount > tenTimes.partialValue {
      mode = .payment(.confirmTender(tendered))
      status = StatusMessage(
        "\(tendered.decimalString) for \(toPay.decimalString)? Enter: yes", .warning)
      return []
    }
    return pay(.cash(tendered: tendered, amount: paymentPart))
  }

  mutating func paymentFinished(orderId: String, _ result: Result<PaymentAnswer, BackendFailure>)
    -> [Effect]
  {
    paymentInFlight = false
    guard var paid = order, paid.id == orderId else { return [] }
    var effects: [Effect] = []
    // An answer (a payment, a decline, a refusal) ends the key; a payment whose answer was lost keeps
    // it, so sending it again is answered with what the first one did instead of paying twice.
    switch result {
    case .failure(.offline), .failure(.server): break
    default: paymentKey = nil
    }
    switch result {
    case .success(let answer):
      noteAnswer()
      let payment = answer.payment
      switch payment.status {
      case .succeeded
      where paymentPart != nil && payment.amount.amount < paid.due.amount && !answer.alreadyPaid:
        partPaid(payment)
      case .succeeded:
        paid.status = .paid
        paid.payment = payment
        paid.payments.append(payment)
        let asked = sentPayments[orderId, default: []].contains { payment.answers($0) }
        effects = showReceipt(
          Receipt(order: paid, payment: payment, alreadyPaid: answer.alreadyPaid && !asked))
      case .declined:
        order?.payment = payment
        cardDeclined(payment.declineReason ?? "no reason given")
      case .pending:
        order?.payment = payment
        mode = .payment(.cardPending)
        status = StatusMessage("Card payment pending — waiting for the card service", .warning)
      }
    case .failure(.declined(let reason)):
      noteAnswer()
      cardDeclined(reason)
    case .failure(.rejected(.orderNotPayable, _)), .failure(.rejected(.amountExceedsDue, _)),
      .failure(.rejected(.idempotencyKeyReused, _)):
      // Canceled meanwhile, paid in a way this till cannot show, or a part whose answer was lost went
      // through before this other payment: the list shows its real state.
      paymentPart = nil
      noteAnswer()
      order = nil
      mode = .orders
      ordersLoading = true
      background.remove(.orders)
      status = StatusMessage("Order #\(paid.number) cannot be paid now — its state is in the list", .warning)
      return [.loadOrders]
    case .failure(let failure):
      let offline = note(failure)
      // A card attempt still pending keeps its dialog: no cash while it may yet go through.
      mode = .payment(order?.payment?.status == .pending ? .cardPending : .choose)
      if offline {
        status = StatusMessage("Offline — payment not confirmed; press 1 or 2 to try again", .warning)
      }
    }
    return effects
  }

  /// A part of a split tender went through: the order owes the rest, and the dialog stays for it.
  private mutating func partPaid(_ payment: Payment) {
    guard var order else { return }
    order.payments.append(payment)
    order.payment = payment
    order.paid = Money(amount: order.paid.amount + payment.amount.amount, currency: order.paid.currency)
    order.due = Money(amount: order.due.amount - payment.amount.amount, currency: order.due.currency)
    self.order = order
    paymentPart = nil
    mode = .payment(.choose)
    let change = payment.change.map { $0.amount > 0 ? ", change \($0.decimalString)" : "" } ?? ""
    status = StatusMessage(
      "\(payment.method == .cash ? "Cash" : "Card") \(payment.amount.decimalString) taken\(change) — \(order.due.decimalString) still due",
      .success)
  }

  private mutating func cardDeclined(_ reason: String) {
    mode = .payment(.declined(reason))
    status = StatusMessage("Card declined — 1 cash, 2 try the card again", .error)
  }

  /// Shows the receipt and, for a sale this till just took, asks for the server's text of it, and prints
  /// and files it when a printer or a receipts folder is set.
  private mutating func showReceipt(_ receipt: Receipt) -> [Effect] {
    order = nil
    paymentPart = nil
    unpaidOrders.remove(receipt.order.id)
    receiptScroll = 0
    mode = .receipt(receipt)
    status =
      receipt.alreadyPaid
      ? StatusMessage("Order #\(receipt.order.number) was already paid — nothing new was taken", .warning)
      : StatusMessage("Paid — Enter for the next customer", .success)
    // Paid before: that payment's receipt (and its change) belongs to whoever took it; this till shows
    // only that nothing new was taken.
    guard !receipt.alreadyPaid else { return [] }
    receiptLoading = true
    let id = receipt.order.id
    return [.loadReceipt(orderId: id, width: receiptTextWidth, copy: false)]
      + issueReceipt(orderId: id, copy: false)
  }

  /// A card payment left pending: take the outcome from the order list once the server has settled it.
  /// A payment other than the pending one (cash taken at another till) is shown as already paid.
  mutating func settlePendingCard(from list: [Order]) -> [Effect] {
    guard case .payment(.cardPending) = mode, let current = order,
      let fresh = list.first(where: { $0.id == current.id }), let payment = fresh.payment
    else { return [] }
    switch payment.status {
    case .succeeded:
      let asked = sentPayments[current.id, default: []].contains { payment.answers($0) }
      return showReceipt(Receipt(order: fresh, payment: payment, alreadyPaid: !asked))
    case .declined:
      order?.payment = payment
      cardDeclined(payment.declineReason ?? "no reason given")
    case .pending:
      break
    }
    return []
  }
}
