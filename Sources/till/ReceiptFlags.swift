import ArgumentParser

/// Where the till puts its receipts: a printer that takes ESC/POS, and a folder of text copies.
struct ReceiptFlags: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "After each sale write the receipt (ESC/POS) to this printer device, pipe or file; a failure is"
        + " shown and never holds up the sale.",
      valueName: "path"))
  var printer: String?

  @Option(help: ArgumentHelp("Paper width of --printer in characters: 42 or 48.", valueName: "columns"))
  var printerWidth = 42

  @Option(
    help: ArgumentHelp(
      "Keep a text copy of every receipt in this folder: receipt-<terminal>-<number>.txt, reprints"
        + " as receipt-<terminal>-<number>-copy-<n>.txt.",
      valueName: "dir"))
  var receiptsDir: String?

  func validate() throws {
    guard printerWidth == 42 || printerWidth == 48 else {
      throw ValidationError("--printer-width wants 42 or 48, not \(printerWidth)")
    }
    if let printer, printer.isEmpty { throw ValidationError("--printer wants a path") }
    if let receiptsDir, receiptsDir.isEmpty { throw ValidationError("--receipts-dir wants a folder") }
  }
}
