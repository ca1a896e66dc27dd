"""CSV that Excel opens correctly in Chinese, and that cannot run a formula.

Excel reads a CSV without a byte-order mark in the system's code page (GBK on a Chinese
Windows), so UTF-8 names turn into mojibake: the file starts with the UTF-8 BOM. Rows end with
CRLF (RFC 4180). A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which Excel skips before reading one) would be taken as a formula, so it gets a leading
apostrophe (OWASP's advice for CSV injection); numbers are passed as numbers and left alone.

Pure: rows in, bytes out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | Decimal | None


def safe_cell(value: Cell) -> str:
    """A cell's text: numbers as plain decimals (never exponent notation), text defused."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int):
        return str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _line(cells: Iterable[Cell]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def header_line(header: Sequence[str]) -> str:
    """The first line: the BOM, then the column names."""
    return BOM + _line(header)


def row_line(row: Sequence[Cell]) -> str:
    return _line(row)


def document(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    return (header_line(header) + "".join(row_line(row) for row in rows)).encode("utf-8")
