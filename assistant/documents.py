"""What a loader hands to the splitter: a Document made of ordered, typed Blocks.

Loaders know their format's structure (Markdown headings, DOCX heading styles, PDF numbered
headings, CSV rows); the splitter only sees Blocks, so one splitter serves every format.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal["heading", "text", "record"]


class LoadError(Exception):
    """A file that cannot be read as a document; the message says why, for the ingest report."""


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or table record, with the page it starts on (PDFs only).

    A record's label ("Row 4: Chemical oxygen demand (COD)") is its section in citations; its
    status ("repealed 2021") is set where one table mixes instruments in and out of force, and
    printed_in (a doc_id) where the row was copied from another document of the corpus.
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None
    label: str | None = None
    status: str = ""
    printed_in: str = ""


@dataclass(frozen=True)
class DocMeta:
    """Catalogue facts about a file: from the corpus manifest, front matter or inference."""

    title: str
    doc_type: str
    jurisdiction: str = "unknown"
    year: int | None = None
    official_source: str = ""
    unofficial: bool = False
    status: str = "in force"
    replaced_by: str = ""
    since: int | None = None

    @property
    def status_label(self) -> str:
        """'repealed 2021' for a repealed or superseded instrument, '' for one in force."""
        if self.status == "in force":
            return ""
        return f"{self.status} {self.since}" if self.since else self.status


@dataclass
class Document:
    """One source file, loaded: its metadata and its content as Blocks."""

    doc_id: str
    source: str
    meta: DocMeta
    blocks: list[Block]
    sha256: str
    offsets: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.offsets = []
        position = 0
        for block in self.blocks:
            self.offsets.append(position)
            position += len(block.text) + 2

    @property
    def text(self) -> str:
        """The whole document as one string; Block i starts at offsets[i]."""
        return "\n\n".join(block.text for block in self.blocks)


def file_sha256(path: Path) -> str:
    """Content hash that decides whether a file changed since the last ingest."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
