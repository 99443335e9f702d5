/// A receipt as plain text: what the screen shows and what `--receipts-dir` keeps.
public enum TextReceipt {
  /// The receipt laid out for `width` columns (42 or 48; narrower is laid out at
  /// `ReceiptLayout.minimumWidth`), one row per line, each line ending in a line feed.
  public static func render(_ receipt: ReceiptDocument, width: Int) -> String {
    ReceiptLayout.rows(receipt, width: width).map { $0.text + "\n" }.joined()
  }
}
