import Foundation
import TillCore

/// A Z report's figures as both engines store them: the `SessionReport` as JSON text with sorted keys,
/// written once at the close and read back as it was written, never computed again.
enum StoredReport {
  static func encode(_ report: SessionReport) throws(StoreError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      return String(decoding: try encoder.encode(report), as: UTF8.self)
    } catch {
      throw .engine("a Z report could not be encoded: \(error)")
    }
  }

  static func decode(_ text: String) throws(StoreError) -> SessionReport {
    do {
      return try JSONDecoder().decode(SessionReport.self, from: Data(text.utf8))
    } catch {
      throw .engine("a stored Z report could not be read: \(error)")
    }
  }

  /// The stored Z report row's columns made into the report: the figures from the JSON, the counted
  /// cash and variance from the row, each as the close stored it.
  static func zReport(
    id: String, number: Int, terminal: String, closedAt: String, closedBy: String, report: String,
    countedCash: Money, variance: Money
  ) throws(StoreError) -> ZReport {
    ZReport(
      id: id, number: number, terminal: terminal, closedAt: closedAt, closedBy: closedBy,
      report: try decode(report), countedCash: countedCash, variance: variance)
  }
}
