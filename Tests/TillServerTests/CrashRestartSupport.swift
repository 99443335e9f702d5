import Foundation
import GRDB
import Synchronization
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Reads the back end's own tables (what the API does not show: every payment row), on either engine.
struct DatabaseProbe: Sendable {
  let engine: StoreEngine
  /// The SQLite path or the PostgreSQL URL given to `--database`.
  let location: String

  /// The rows of `sql` (every column cast to text in the query), as strings; NULL is "".
  func rows(_ sql: String) async throws -> [[String]] {
    switch engine {
    case .sqlite:
      var configuration = GRDB.Configuration()
      configuration.readonly = true
      // A reader beside the running server: WAL lets it read while the server writes.
      let queue = try DatabaseQueue(path: location, configuration: configuration)
      return try await queue.read { db in
        try Row.fetchAll(db, sql: sql).map { row in
          (0..<row.count).map { (row[$0] as String?) ?? "" }
        }
      }
    case .postgres:
      let name = String(location.split(separator: "/").last ?? "")
      let output = try await PostgresCluster.shared().psql(sql, database: name)
      return output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        .map { $0.map(String.init) }
    }
  }

  func count(_ sql: String) async throws -> Int {
    Int(try await rows(sql).first?.first ?? "") ?? -1
  }
}

/// A restarted `till-server` that did not come up on its port.
struct ServerStartFailure: Error, CustomStringConvertible {
  var description: String
}

/// A plain client of the sandbox provider's own API, with its credentials.
struct SandboxAPI: Sendable {
  let baseURL: String

  func send(_ method: String, _ path: String, json: [UInt8]? = nil) async throws -> HTTPResponse {
    var headers = [(name: "Authorization", value: SandboxHarness.authorization)]
    if json != nil { headers.append((name: "Content-Type", value: "application/json")) }
    return try await HTTPConnection(baseURL: baseURL).send(
      HTTPRequest(method: method, path: path, headers: headers, body: json))
  }

  func charges() async throws -> [PaymentObject] {
    try await send("GET", "/v3/payments").decoded(PaymentList.self).items
  }

  func refunds() async throws -> [RefundObject] {
    try await send("GET", "/v3/refunds").decoded(RefundList.self).items
  }

  func arm(_ fault: Fault) async throws {
    _ = try await send("POST", "/sandbox/faults", json: Array(try JSONEncoder().encode(fault)))
      .decoded(FaultList.self)
  }
}
