import Foundation
import Hummingbird
import Logging

/// The sandbox's HTTP routes: the YooKassa v3 payment subset and the fault switches.
struct SandboxRoutes: Sendable {
  let store: SandboxStore
  /// The fault switches; nil when they are off (their routes are not there: 404).
  let faults: FaultQueue?
  /// Stamps payments and idempotence keys; the wall clock except in tests.
  let clock: @Sendable () -> Date

  /// YooKassa caps idempotence keys at 64 characters.
  static let maximumKeyLength = 64

  func register(on router: Router<SandboxRequestContext>) {
    router.post("/v3/payments") { request, context in try await createPayment(request, context: context) }
    router.get("/v3/payments") { _, _ in
      jsonResponse(PaymentList(items: try await store.payments()), status: .ok)
    }
    router.get("/v3/payments/{id}") { _, context in
      let id = try context.parameters.require("id")
      guard let payment = try await store.payment(id: id) else {
        throw SandboxError(.notFound, code: "not_found", description: "Payment not found", parameter: "id")
      }
      return jsonResponse(payment, status: .ok)
    }
    router.post("/v3/refunds") { request, context in try await createRefund(request, context: context) }
    router.get("/v3/refunds") { _, _ in
      jsonResponse(RefundList(items: try await store.refunds()), status: .ok)
    }
    guard let faults else { return }
    router.get("/sandbox/faults") { _, _ in jsonResponse(FaultList(items: faults.snapshot), status: .ok) }
    router.post("/sandbox/faults") { request, context in
      let body = try await request.body.collect(upTo: context.maxUploadSize)
      let fault: Fault
      do {
        fault = try JSONDecoder().decode(FaultBody.self, from: Data(buffer: body)).fault()
      } catch let error as SandboxError {
        throw error
      } catch {
        throw SandboxError.refusing(error)
      }
      return jsonResponse(FaultList(items: faults.append(fault)), status: .ok)
    }
    router.delete("/sandbox/faults") { _, _ in
      faults.clear()
      return jsonResponse(FaultList(items: []), status: .ok)
    }
  }

  /// The request's `Idempotence-Key`: present, and no longer than YooKassa allows.
  private static func idempotenceKey(of request: Request) throws -> String {
    let key = request.headers.first { $0.name.canonicalName == "idempotence-key" }?.value
    guard let key, !key.isEmpty else {
      throw SandboxError.missingIdempotenceKey
    }
    guard key.count <= Self.maximumKeyLength else {
      throw SandboxError.invalidRequest(
        "Idempotence-Key is longer than \(Self.maximumKeyLength) characters", parameter: "Idempotence-Key")
    }
    return key
  }

  /// `POST /v3/refunds`: validate, take one armed fault (the same switches as payments), refund at most
  /// once per key and never more than the payment has left, answer.
  private func createRefund(_ request: Request, context: SandboxRequestContext) async throws -> Response {
    let key = try Self.idempotenceKey(of: request)
    let body = try await request.body.collect(upTo: context.maxUploadSize)
    let refundRequest = try SandboxRefundRequest(json: Data(buffer: body))
    return try await faulted(declining: "refund_declined", context: context) { declineReason in
      switch try await store.refund(
        key: key, request: refundRequest, declineReason: declineReason, now: clock())
      {
      case .keyConflict: throw SandboxError.duplicatedIdempotenceKey
      case .refused(let error): throw error
      case .created(let created):
        context.logger.debug(
          "refunded", metadata: ["refund": "\(created.id)", "status": "\(created.status)"])
        return created
      case .replayed(let replayed): return replayed
      }
    }
  }

  /// `POST /v3/payments`: validate, take one armed fault, charge at most once per key, answer.
  private func createPayment(_ request: Request, context: SandboxRequestContext) async throws -> Response {
    let key = try Self.idempotenceKey(of: request)
    let body = try await request.body.collect(upTo: context.maxUploadSize)
    let charge = try ChargeRequest(json: Data(buffer: body))
    return try await faulted(declining: "insufficient_funds", context: context) { declineReason in
      switch try await store.charge(key: key, request: charge, declineReason: declineReason, now: clock()) {
      case .keyConflict: throw SandboxError.duplicatedIdempotenceKey
      case .created(let created):
        context.logger.debug(
          "charged", metadata: ["payment": "\(created.id)", "status": "\(created.status)"])
        return created
      case .replayed(let replayed): return replayed
      }
    }
  }

  /// Runs `act` under the next armed fault, which every well-formed call consumes, retries included:
  /// `processing` (202) and `errorBeforeCharge` (500) answer instead of it; `decline` hands it the
  /// reason to decline with (the fault's, else `reason`); `dropAfterCharge` and `delayAfterCharge`
  /// drop or hold back the answer after it acted.
  private func faulted(
    declining reason: String, context: SandboxRequestContext,
    _ act: (_ declineReason: String?) async throws -> some Encodable
  ) async throws -> Response {
    let fault = faults?.next()
    switch fault?.mode {
    case .processing:
      return jsonResponse(ProcessingBody(retryAfter: fault?.delayMs ?? 0), status: .accepted)
    case .errorBeforeCharge:
      throw SandboxError.internalError
    default:
      break
    }
    let answer = try await act(fault?.mode == .decline ? (fault?.reason ?? reason) : nil)
    switch fault?.mode {
    case .dropAfterCharge:
      await context.dropConnection()
      throw ConnectionDropped()
    case .delayAfterCharge:
      try await Task.sleep(for: .milliseconds(fault?.delayMs ?? 0))
    default:
      break
    }
    return jsonResponse(answer, status: .ok)
  }
}
