#!/usr/bin/env python3
"""The reference rendering of a laid-out receipt with python-escpos, for EscPosCrossCheckTests.

Reads {"rows": [{"text": str, "bold": bool}], "drawerPulse": bool} from the JSON file named by the first
argument and prints, as hex, what python-escpos' Dummy printer writes for it: initialise, code page
PC858, the rows (bold switched where it changes), feed and partial cut, and the drawer pulse on pin 2.
Prints the library's version on stderr.
"""

import json
import sys

import escpos
from escpos.printer import Dummy


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as source:
        receipt = json.load(source)
    printer = Dummy()
    printer.hw("INIT")
    printer.charcode("CP858")
    bold = False
    for row in receipt["rows"]:
        if row["bold"] != bold:
            bold = row["bold"]
            printer.set(bold=bold)
        printer.text(row["text"] + "\n")
    if bold:
        printer.set(bold=False)
    printer.cut(mode="PART")
    if receipt["drawerPulse"]:
        printer.cashdraw(2)
    sys.stderr.write("python-escpos " + getattr(escpos, "__version__", "unknown") + "\n")
    sys.stdout.write(printer.output.hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
