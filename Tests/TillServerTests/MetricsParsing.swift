import Foundation
import TillTestSupport

/// A scrape as prometheus_client's text-format parser read it: every sample with its labels. A text the
/// parser refuses fails the test that scraped it.
struct ParsedMetrics: Sendable {
  struct Sample: Decodable, Sendable {
    var name: String
    var labels: [String: String]
    var value: Double
  }

  var samples: [Sample]

  /// The value of the sample `name` with exactly `labels`; 0 when there is none (a counter not yet
  /// incremented has no sample).
  func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
    samples.first { $0.name == name && $0.labels == labels }?.value ?? 0
  }

  static let parser = """
    import json, sys
    from prometheus_client.parser import text_string_to_metric_families
    samples = []
    for family in text_string_to_metric_families(open(sys.argv[1]).read()):
        for sample in family.samples:
            samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value})
    print(json.dumps(samples))
    """

  static func parse(_ text: String) async throws -> ParsedMetrics {
    let directory = try TemporaryDirectory.make("till-metrics")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("scrape.txt")
    try Data(text.utf8).write(to: file)
    let result = try await FuzzTools.python(
      ["-c", parser, file.path], timeout: .seconds(60), directory: directory)
    guard result.status == 0 else {
      throw FuzzToolError(
        "prometheus_client refused the scrape (install it with `sh .ci/deps test`):\n\(result.errors)\n\(text)"
      )
    }
    return ParsedMetrics(samples: try JSONDecoder().decode([Sample].self, from: Data(result.output.utf8)))
  }
}
