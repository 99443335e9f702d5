import Foundation
import Synchronization
import Testing
import TillClient
import TillCore
import TillTUI
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Discounts, VAT and receipts end to end: keystroke scripts typed into the real front end against a
/// real server; the server's receipt on the screen, its ESC/POS bytes in a real FIFO, its text in a real
/// folder, and a printer that cannot be written never holding up the sale.
@Suite("end to end: discounts, VAT receipts, printer")
struct EndToEndReceiptTests {
  /// Tall enough that the whole 48-column receipt (VAT table included) is on one screen.
  static let tall = Size(columns: 100, rows: 50)

  @Test func aSaleOfTwoTaxRatesWithDiscountsShowsTheServersReceipt() async throws {
    try await withEndToEndBackend { backend in
      let run = try await EndToEndScripts.run("sale-vat-discount.till", on: backend, size: Self.tall)
      let client = try await backend.client()
      let order = try #require(try await client.allOrders().first)
      #expect(order.status == .paid && order.receiptNumber == 1)
      #expect(order.taxes.map(\.rate) == [700, 1900], "a croissant at 7 %, an espresso at 19 %")
      #expect(order.lines.first { $0.sku == "BAK-001" }.map { $0.discount.amount > 19 } == true)
      #expect(order.discountTotal.amount > 0)
      // The screen shows the server's text receipt line for line.
      let screen = try #require(run.snapshots["receipt-vat-discount"])
      let text = try await client.receiptText(orderId: order.id, width: 48)
      for line in text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
        #expect(screen.contains(line), "receipt line missing from the screen: \(line)")
      }
      // The payment's date and time masked.
      let masked = screen.replacing(#/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/#, with: "YYYY-MM-DD hh:mm")
      expectGolden(text: masked, "receipt-vat-discount")
    }
  }

  @Test func thePrinterGetsTheServersEscPosBytesAndTheFolderTheText() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fifo = directory + "/printer"
    try #require(mkfifo(fifo, 0o600) == 0, "mkfifo \(fifo)")
    // A reader on the pipe, as a printer's spooler would be: everything until the till closes it.
    let reader = PipeReader(path: fifo)
    // The sale is the day's first (its script opens the register).
    try await withEndToEndBackend(opensRegisters: false) { backend in
      let configuration = AppConfiguration(
        sessionId: AppConfiguration.freshSessionId(), printerPath: fifo, receiptsDirectory: directory)
      // Let the reader reach its open() first, so the till finds it there.
      try await Task.sleep(for: .milliseconds(100))
      let run = try await EndToEndScripts.run("sale-cash.till", on: backend, configuration: configuration)
      let client = try await backend.client()
      let order = try #require(try await client.allOrders().first)
      // Had the till not written, the reader would wait for a writer forever: this empty one ends it.
      let unblock = open(fifo, O_WRONLY | O_NONBLOCK)
      if unblock >= 0 { close(unblock) }
      let printed = await reader.bytes()
      let expected = try await client.receiptEscPos(orderId: order.id, width: 42, copy: false)
      #expect(!expected.isEmpty && printed == expected, "the printer got the server's bytes unchanged")
      #expect(printed.suffix(5).starts(with: [0x1B, 0x70]), "a cash sale's original opens the drawer")
      let terminal = try #require(run.program.state.staff?.terminal)
      let file = directory + "/receipt-\(terminal)-1.txt"
      let saved = try #require(FileManager.default.contents(atPath: file), "no \(file)")
      let text = try await client.receiptText(orderId: order.id, width: 42)
      #expect(String(decoding: saved, as: UTF8.self) == text)
    }
  }

  /// A return after a sale: the printer (a file here: a FIFO ends at its first writer's close) gets the
  /// sale's bytes then the refund's, unchanged; the folder keeps both texts under their numbers in the
  /// one receipt sequence.
  @Test func aRefundsReceiptIsPrintedAndKeptLikeASales() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let printer = directory + "/printer.bin"
    try await withEndToEndBackend { backend in
      let configuration = AppConfiguration(
        sessionId: AppConfiguration.freshSessionId(), printerPath: printer, receiptsDirectory: directory)
      let run = try await EndToEndScripts.run(
        "return-partial.till", on: backend, configuration: configuration)
      let client = try await backend.client()
      let order = try #require(try await client.allOrders().first)
      let refund = try #require(try await client.refunds(orderId: order.id).first)
      let sale = try await client.receiptEscPos(orderId: order.id, width: 42, copy: false)
      let back = try await client.refundReceiptEscPos(orderId: order.id, refundId: refund.id, width: 42)
      let terminal = try #require(run.program.state.staff?.terminal)
      let number = try #require(refund.receiptNumber)
      let file = directory + "/receipt-\(terminal)-\(number).txt"
      // The writes run off the key loop and may still be under way when the script ends: wait (bounded).
      for _ in 0..<200 {
        let printed = FileManager.default.contents(atPath: printer).map { [UInt8]($0) } ?? []
        if printed.count >= sale.count + back.count && FileManager.default.fileExists(atPath: file) { break }
        try await Task.sleep(for: .milliseconds(10))
      }
      let printed = FileManager.default.contents(atPath: printer).map { [UInt8]($0) } ?? []
      #expect(printed == sale + back, "the printer got the sale's bytes, then the refund's")
      #expect(back.suffix(5).starts(with: [0x1B, 0x70]), "a cash refund opens the drawer")
      let saved = try #require(FileManager.default.contents(atPath: file), "no \(file)")
      let text = try await client.refundReceiptText(orderId: order.id, refundId: refund.id, width: 42)
      #expect(String(decoding: saved, as: UTF8.self) == text && text.contains("REFUND 1 OF ORDER"))
      #expect(FileManager.default.fileExists(atPath: directory + "/receipt-\(terminal)-\(number - 1).txt"))
    }
  }

  @Test func aPrinterThatFailsNeverHoldsUpTheSale() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await withEndToEndBackend { backend in
      // A folder is no printer: opening it for writing fails.
      let configuration = AppConfiguration(
        sessionId: AppConfiguration.freshSessionId(), printerPath: directory)
      try await EndToEndScripts.run("printer-fails.till", on: backend, configuration: configuration)
      let orders = try await backend.client().allOrders()
      #expect(orders.map(\.status) == [.paid])
      #expect(orders.first?.receiptNumber == 1)
    }
  }

  func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "till-receipts-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}

/// Reads a FIFO on a thread of its own (its open() waits for a writer) until the writer closes it.
final class PipeReader: Sendable {
  private let done = Mutex<[UInt8]?>(nil)

  init(path: String) {
    Thread.detachNewThread { [self] in
      var bytes: [UInt8] = []
      let descriptor = open(path, O_RDONLY)
      if descriptor >= 0 {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
          let count = read(descriptor, &buffer, buffer.count)
          if count <= 0 { break }
          bytes += buffer[0..<count]
        }
        close(descriptor)
      }
      self.done.withLock { $0 = bytes }
    }
  }

  /// The bytes read, once the writer has closed the pipe.
  func bytes() async -> [UInt8] {
    while true {
      if let bytes = done.withLock({ $0 }) { return bytes }
      try? await Task.sleep(for: .milliseconds(5))
    }
  }
}
