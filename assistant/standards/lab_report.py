"""Reading a lab report file (CSV or .xlsx, first sheet) into (parameter, value, unit) rows.

Columns are found by header name in any case; a CSV's delimiter is the one that makes the header
hold them; text is UTF-8 (with or without BOM) or Windows-1252, as Excel on Windows saves it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path


class LabReportError(ValueError):
    """A lab report file cannot be read into (parameter, value, unit) rows."""


_LAB_COLUMNS = ("parameter", "value", "unit")


def read_lab_report(path: Path | str) -> list[tuple[str, str, str]]:
    """Read (parameter, value, unit) rows from a CSV or .xlsx lab report (first sheet)."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix in (".csv", ".txt"):
        table = _csv_table(path)
    elif suffix == ".xlsx":
        table = _xlsx_table(path)
    else:
        raise LabReportError(f"{path.name}: unsupported file type {path.suffix!r}; use .csv or .xlsx")
    return _lab_rows(table, path)


def _read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel on Windows saves CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LabReportError(f"{path}: cannot read the file ({exc.strerror})") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LabReportError(f"{path.name}: not a UTF-8 or Windows-1252 text file")


def _csv_table(path: Path) -> list[list[str]]:
    """CSV cells; the delimiter is the one that makes the header hold the needed columns."""
    text = _read_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next(
        (d for d in (",", ";", "\t") if set(_LAB_COLUMNS) <= {c.strip().casefold() for c in first.split(d)}),
        ",",
    )
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_table(path: Path) -> list[list[str]]:
    """Cells of the first sheet as text; openpyxl is imported here to keep imports fast."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise LabReportError(f"{path.name}: cannot open the workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_xlsx_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _xlsx_text(cell: object) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and not isinstance(cell, bool):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def _lab_rows(table: Iterable[list[str]], path: Path) -> list[tuple[str, str, str]]:
    """Locate the columns by header name and return the non-empty rows."""
    rows = (row for row in table if any(cell.strip() for cell in row))
    header = next(rows, None)
    if header is None:
        raise LabReportError(f"{path.name}: the file is empty; expected columns parameter, value, unit")
    positions = _column_positions(header, path)
    return [tuple(_cell(row, positions[name]) for name in _LAB_COLUMNS) for row in rows]


def _column_positions(header: list[str], path: Path) -> dict[str, int]:
    """Header positions (case-insensitive); missing columns are named in the error."""
    names = [cell.strip().casefold() for cell in header]
    missing = [name for name in _LAB_COLUMNS if name not in names]
    if missing:
        found = ", ".join(repr(cell) for cell in header if cell.strip()) or "none"
        raise LabReportError(
            f"{path.name}: missing column(s) {', '.join(missing)} "
            f"(found {found}; expected parameter, value, unit)"
        )
    return {name: names.index(name) for name in _LAB_COLUMNS}


def _cell(row: list[str], position: int) -> str:
    """A stripped cell, empty when the row is short."""
    return row[position].strip() if position < len(row) else ""
