"""Files for the city's team to open in a spreadsheet: CSV (UTF-8 with a byte-order mark) and
XLSX, with the cells residents typed made harmless.

A spreadsheet program runs a cell that starts with `=`, `+`, `-`, `@` or a control character
as a formula (CSV injection): such a cell gets a leading apostrophe, which shows the text as
typed. XLSX also refuses a few control characters, which are dropped.
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Bytes of CSV gathered before they are sent on.
CSV_FLUSH_SIZE = 64 * 1024

type Row = Iterable[Any]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet shows as text: formulas defused, characters XLSX refuses removed.
    Numbers and dates stay what they are."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_cell(value: Any) -> Any:
    value = spreadsheet_safe(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return value


def csv_stream(rows: Iterable[Row], *, flush_size: int = CSV_FLUSH_SIZE) -> Iterator[bytes]:
    """UTF-8 CSV in pieces of about `flush_size` bytes, beginning with the byte-order mark
    that lets spreadsheet programs read the accents."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        if buffer.tell() >= flush_size:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(rows: Iterable[Row]) -> bytes:
    return b"".join(csv_stream(rows))


def write_rows(sheet: Any, rows: Iterable[Row]) -> None:
    """Appends `rows` to an openpyxl sheet, every cell made harmless."""
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Row]]]) -> bytes:
    """A workbook of one sheet per (title, rows), written as it goes."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        write_rows(workbook.create_sheet(title), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(title: str, rows: Iterable[Row]) -> IO[bytes]:
    """A one-sheet workbook in a temporary file, its rows written to disk as they come (for
    exports too large to hold in memory); whoever sends it closes it."""
    workbook = Workbook(write_only=True)
    write_rows(workbook.create_sheet(title), rows)
    file = tempfile.TemporaryFile()  # noqa: SIM115  (the caller closes it once sent)
    workbook.save(file)
    file.seek(0)
    return file
