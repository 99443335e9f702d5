import Foundation
import TillCore

/// Where a PostgreSQL database is: parsed from `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`.
///
/// The password may be left out of the URL and given in `PGPASSWORD` instead, so it does not show
/// up in process listings. `?sslmode=disable|prefer|require` picks TLS (default `prefer`, like libpq).
public struct PostgresURL: Hashable, Sendable {
  public enum TLSMode: String, Hashable, Sendable {
    case disable, prefer, require
  }

  public var user: String
  public var password: String?
  public var host: String
  public var port: Int
  public var database: String
  public var tlsMode: TLSMode

  public init(
    user: String, password: String?, host: String, port: Int = 5432, database: String,
    tlsMode: TLSMode = .prefer
  ) {
    self.user = user
    self.password = password
    self.host = host
    self.port = port
    self.database = database
    self.tlsMode = tlsMode
  }

  /// Parses `url`; `environment` supplies `PGPASSWORD` when the URL carries no password.
  public static func parse(
    _ url: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(StoreError) -> PostgresURL {
    let usage = "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
    guard let components = URLComponents(string: url),
      let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
    else { throw StoreError.engine("not a PostgreSQL URL: \(Redaction.url(url)); \(usage)") }
    guard let host = components.host, !host.isEmpty else {
      throw StoreError.engine("the PostgreSQL URL has no host; \(usage)")
    }
    guard let user = components.user, !user.isEmpty else {
      throw StoreError.engine("the PostgreSQL URL has no user; \(usage)")
    }
    let database = String(components.path.drop(while: { $0 == "/" }))
    guard !database.isEmpty, !database.contains("/") else {
      throw StoreError.engine("the PostgreSQL URL has no database name; \(usage)")
    }
    var tlsMode = TLSMode.prefer
    for item in components.queryItems ?? [] where item.name == "sslmode" {
      guard let value = item.value, let mode = TLSMode(rawValue: value) else {
        throw StoreError.engine("unsupported sslmode \(item.value ?? ""); use disable, prefer or require")
      }
      tlsMode = mode
    }
    let password = components.password.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGPASSWORD"]
    // URLComponents keeps IPv6 brackets in `host` on some platforms; the socket wants them gone.
    let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    return PostgresURL(
      user: user, password: password, host: bareHost, port: components.port ?? 5432,
      database: database, tlsMode: tlsMode)
  }
}
