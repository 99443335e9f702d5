/// A receipt as ESC/POS bytes for a thermal receipt printer (Epson TM series and the many printers that
/// speak the same commands).
///
/// The bytes are: initialise (`ESC @`), select code page PC858 (`ESC t 19`), the laid-out rows encoded
/// to PC858 each ending in a line feed, bold on and off (`ESC E 1` / `ESC E 0`) around the shop's name,
/// the COPY banner and the total, then feed six lines and cut partially (`ESC d 6`, `GS V 1`), and when
/// asked the cash drawer's pulse on connector pin 2 (`ESC p 0 50 50`: 100 ms on, 100 ms off). These are
/// the bytes python-escpos writes for the same receipt (`charcode("CP858")`, `set(bold=)`,
/// `cut(mode="PART")`, `cashdraw(2)`); a test checks that byte for byte.
public enum EscPosReceipt {
  static let escape: UInt8 = 0x1B
  static let groupSeparator: UInt8 = 0x1D
  static let lineFeed: UInt8 = 0x0A

  public static let initialise: [UInt8] = [escape, UInt8(ascii: "@")]
  public static let selectCodePage: [UInt8] = [escape, UInt8(ascii: "t"), PC858.escPosNumber]
  public static func bold(_ on: Bool) -> [UInt8] { [escape, UInt8(ascii: "E"), on ? 1 : 0] }
  /// Feed six lines (so the last row clears the cutter) and cut, leaving a hinge.
  public static let feedAndPartialCut: [UInt8] = [
    escape, UInt8(ascii: "d"), 6, groupSeparator, UInt8(ascii: "V"), 1,
  ]
  /// Pulse connector pin 2 (where cash drawers are wired) 50 × 2 ms on, 50 × 2 ms off.
  public static let drawerPulse: [UInt8] = [escape, UInt8(ascii: "p"), 0, 50, 50]

  /// The receipt laid out for `width` columns, ready to write to the printer. `drawerPulse` opens the
  /// cash drawer after the cut (for the original of a cash sale, never for a copy).
  public static func render(_ receipt: ReceiptDocument, width: Int, drawerPulse pulse: Bool) -> [UInt8] {
    render(rows: ReceiptLayout.rows(receipt, width: width), drawerPulse: pulse)
  }

  /// The bytes for laid-out rows; bold is switched only where it changes and is off at the end.
  public static func render(rows: [ReceiptRow], drawerPulse pulse: Bool) -> [UInt8] {
    var bytes = initialise + selectCodePage
    var isBold = false
    for row in rows {
      if row.bold != isBold {
        bytes += bold(row.bold)
        isBold = row.bold
      }
      bytes += PC858.encode(row.text)
      bytes.append(lineFeed)
    }
    if isBold { bytes += bold(false) }
    bytes += feedAndPartialCut
    if pulse { bytes += drawerPulse }
    return bytes
  }
}
