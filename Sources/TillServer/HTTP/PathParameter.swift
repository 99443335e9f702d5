import Foundation
import Hummingbird
import TillCore

/// Identifiers taken from the path, as the store knows them.
///
/// The router splits the path on `/` and leaves each segment percent-encoded; here every identifier is
/// decoded exactly once, so `/v1/products/%C3%84%C3%96-1` is the product `ÄÖ-1`, `sp%20ace` is `sp ace`,
/// and `a%2Fb` is the SKU `a/b` (a slash inside the value, never a path separator) — the same SKU a body
/// names. A segment that is not valid percent-encoded UTF-8, or longer than any identifier, names no
/// resource: 404.
enum PathParameter {
  static func identifier(_ name: String, of context: TillRequestContext, notFound detail: String) throws
    -> String
  {
    let raw = try context.parameters.require(name)
    guard let value = raw.removingPercentEncoding, !value.isEmpty, value.utf8.count <= 64 else {
      throw Problem(.notFound, status: 404, detail: detail)
    }
    return value
  }
}
