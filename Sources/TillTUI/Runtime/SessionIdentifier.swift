import Foundation

extension AppConfiguration {
  /// A fresh session id (a UUID): the prefix of every opId and idempotency key this run makes, so they
  /// are unique across runs and restarts while `update` stays pure.
  public static func freshSessionId() -> String { UUID().uuidString }
}
