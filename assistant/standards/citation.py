"""Citing a row of a standards table: the standard, its spreadsheet row (the header is row 1) and
the document, and the "Source:" sentences an answer ends with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Citation:
    """Where a limit comes from, so every verdict can be checked against the table."""

    standard: str
    row: int
    doc_id: str

    def text(self) -> str:
        """Citation as printed after an answer: a reader's words; the file's id is in to_dict()."""
        return f"{self.standard}, row {self.row}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"standard": self.standard, "row": self.row, "doc_id": self.doc_id, "text": self.text()}


def source_sentences(citations: Iterable[Citation]) -> list[str]:
    """One "Source:" sentence per standard, listing the table rows used."""
    rows: dict[tuple[str, str], list[str]] = {}
    for citation in citations:
        rows.setdefault((citation.standard, citation.doc_id), []).append(f"row {citation.row}")
    return [f"Source: {standard}, {', '.join(cited)}." for (standard, _), cited in rows.items()]
