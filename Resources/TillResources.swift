import Foundation

/// Finds the data files shipped in `Resources/` (demo catalogue, OpenAPI description).
public enum TillResources {
  /// The demo catalogue: a JSON array of products, loaded into an empty database on first start.
  public static var catalogueURL: URL? { Bundle.module.url(forResource: "catalogue", withExtension: "json") }

  /// The OpenAPI 3.1 description of the HTTP API, served at `GET /openapi.yaml`.
  public static var openAPIURL: URL? { Bundle.module.url(forResource: "openapi", withExtension: "yaml") }
}
