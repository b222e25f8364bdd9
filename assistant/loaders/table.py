"""CSV tables: each row becomes one record that reads as a sentence with its column names.

Rows are numbered as a spreadsheet shows them (the header is row 1), so "row 5" in a
citation is the row a user finds when opening the file.

A row like the SEQS COD limits must be retrievable and citable on its own, so rows are never
merged with their neighbours.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from assistant.documents import Block, LoadError
from assistant.loaders import Loaded
from assistant.loaders.text import read_utf8


def row_sentence(header: list[str], row: list[str]) -> str:
    """'parameter: COD; unit: mg/L; into inland waters: 150; ...' with empty cells left out."""
    parts = [f"{name.replace('_', ' ').strip()}: {value.strip()}" for name, value in zip(header, row) if value.strip()]
    return "; ".join(parts).rstrip(".") + "."


def load(
    path: Path,
    max_pages: int = 0,
    row_label: str = "",
    row_status: Mapping[str, Any] | None = None,
    row_printed_in: Mapping[str, Any] | None = None,
) -> Loaded:
    """One record per row, named by its first column or by the manifest's `row_label` column.

    `row_status` (from the manifest) marks the rows of a table that mixes instruments in and
    out of force: {column = "regulations", values = {"2014" = "repealed 2021"}}. `row_printed_in`
    names, the same way, the document whose text each row was copied from (its doc_id), so that
    search can show the instrument beside the row.
    """
    try:
        rows = list(csv.reader(io.StringIO(read_utf8(path))))
    except csv.Error as error:
        raise LoadError(f"not a readable CSV file: {error}") from None
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if len(numbered) < 2:
        raise LoadError("the CSV file has no data rows under its header")
    (_, header), records = numbered[0], numbered[1:]
    name = header.index(row_label) if row_label in header else 0
    status_of = _row_value(header, row_status or {})
    printed_in = _row_value(header, row_printed_in or {})
    blocks = [
        Block(
            "record",
            row_sentence(header, row),
            label=f"Row {number}: {row[name].strip() if name < len(row) else ''}",
            status=status_of(row),
            printed_in=printed_in(row),
        )
        for number, row in records
    ]
    return Loaded(blocks)


def _row_value(header: list[str], spec: Mapping[str, Any]) -> Callable[[list[str]], str]:
    """A row's value from {column = ..., values = {cell: value}}; '' for cells not listed."""
    column = str(spec.get("column", ""))
    values = {str(key): str(label) for key, label in dict(spec.get("values") or {}).items()}
    if column not in header or not values:
        return lambda row: ""
    at = header.index(column)
    return lambda row: values.get(row[at].strip(), "") if at < len(row) else ""

