"""Split a Document into Passages that follow its own structure.

A unit is the text under one heading path (a Section of the Act, an Article, a numbered report
heading, a DOCX heading) or one table record. Units longer than max_words are split at
sentence boundaries with overlap (measured in words); units shorter
than min_words are merged with the following units under the same parent heading. Every
passage's text is an exact slice of Document.text, so char offsets always point at it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.documents import Document

_SECTION_IDS = (
    (re.compile(r"^Section\s+(\d+[A-Z]?)\b"), "s.{}"),
    (re.compile(r"^Article\s+(\d+[A-Z]?)\b"), "Art. {}"),
    (re.compile(r"^Annex(?:es)?\s+([IVXL]+|[A-Z])\b"), "Annex {}"),
    (re.compile(r"^Part\s+([IVXL]+)\b"), "Part {}"),
    (re.compile(r"^SECTION\s+(\d+)\b"), "Section {}"),
    (re.compile(r"^(\d+(?:\.\d+)+)\s"), "{}"),
    (re.compile(r"^Row\s+(\d+)\b"), "row {}"),
    (re.compile(r"^Regulation\s+(\d+[A-Z]?)\b"), "reg. {}"),
    (re.compile(r"^Rule\s+(\d+[A-Z]?)\b"), "rule {}"),
    (re.compile(r"^Schedule\s+([IVXL]+|\d+)\b"), "Sch. {}"),
)


def section_id(label: str | None) -> str | None:
    """'Section 17 — Initial ...' -> 's.17'; 'Article 6 — ...' -> 'Art. 6'; '2.3.5 The ...' -> '2.3.5'."""
    if not label:
        return None
    for pattern, template in _SECTION_IDS:
        match = pattern.match(label)
        if match:
            return template.format(match.group(1))
    return None


def word_count(text: str) -> int:
    return len(text.split())


@dataclass
class Passage:
    """A retrievable, citable piece of a document with everything a citation needs."""

    id: str
    doc_id: str
    source: str
    title: str
    doc_type: str
    jurisdiction: str
    unofficial: bool
    section: str | None
    section_id: str | None
    heading_path: list[str]
    page: int | None
    page_end: int | None
    char_start: int
    char_end: int
    ordinal: int
    text: str
    content_hash: str = field(default="")
    status: str = ""
    # A table row copied from another document: that document's doc_id (manifest `row_printed_in`).
    printed_in: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = hashlib.sha256(self.text.encode()).hexdigest()[:16]

    @property
    def context_line(self) -> str:
        """Title and heading path, prefixed to what is embedded and keyword-indexed."""
        return " > ".join([self.title, *self.heading_path])

    @property
    def in_force(self) -> bool:
        return not self.status

    @property
    def is_table_row(self) -> bool:
        """One row of a CSV table (section id 'row N'), which the structured tools read as data."""
        return bool(self.section_id and self.section_id.startswith("row "))

    @property
    def display_title(self) -> str:
        """The title as citations show it: digests say that they are not the official text, and
        a repealed instrument says so ('repealed 2021')."""
        labels = []
        if self.unofficial and "unofficial" not in self.title.lower():
            labels.append("unofficial digest")
        if self.status:
            labels.append(self.status)
        return f"{self.title} ({'; '.join(labels)})" if labels else self.title

    @property
    def location(self) -> str:
        """Where the passage is, as sources are listed: title, section, page."""
        parts = [self.display_title]
        if self.section:
            parts.append(self.section)
        if self.page:
            parts.append(f"p. {self.page}")
        return ", ".join(parts)

    @property
    def indexed_text(self) -> str:
        return f"{self.context_line}\n{self.text}"

    def windows(self) -> list[str]:
        """Overlapping ~110-word pieces, each with the context line, for the dense index.

        MiniLM reads at most 256 word pieces (~180 words): a 400-word passage embedded whole is
        judged by its first half. Each window gets its own vector; search takes a passage's best.
        """
        return [f"{self.context_line}\n{piece}" for piece in _window_splitter().split_text(self.text)] or [
            self.indexed_text
        ]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        return cls(**data)


WINDOW_WORDS = 110
WINDOW_OVERLAP = 25


@lru_cache(maxsize=1)
def _window_splitter() -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=WINDOW_WORDS,
        chunk_overlap=WINDOW_OVERLAP,
        length_function=word_count,
        separators=["\n\n", "\n", ". ", "? ", "; ", ", ", " "],
        keep_separator="end",
    )


@dataclass
class _Unit:
    path: list[str]
    start: int
    end: int
    is_record: bool = False
    labels: list[str] = field(default_factory=list)
    status: str = ""
    printed_in: str = ""


def _units(document: Document) -> list[_Unit]:
    units: list[_Unit] = []
    stack: list[tuple[int, str]] = []
    current: _Unit | None = None
    for block, offset in zip(document.blocks, document.offsets):
        end = offset + len(block.text)
        if block.kind == "heading":
            stack = [(level, text) for level, text in stack if level < block.level] + [(block.level, block.text)]
            current = None
        elif block.kind == "record":
            label = block.label or block.text[:60]
            units.append(_Unit([label], offset, end, is_record=True, labels=[label], status=block.status, printed_in=block.printed_in))
            current = None
        elif current is None:
            path = [text for _, text in stack]
            current = _Unit(path, offset, end, labels=[path[-1]] if path else [])
            units.append(current)
        else:
            current.end = end
    return units


def _merge_small(units: list[_Unit], text: str, min_words: int, max_words: int) -> list[_Unit]:
    """Merge short units into the following ones under the same parent heading."""
    merged: list[_Unit] = []
    for unit in units:
        last = merged[-1] if merged else None
        if (
            last is not None
            and not last.is_record
            and not unit.is_record
            and last.path[:-1] == unit.path[:-1]
            and word_count(text[last.start:last.end]) < min_words
            and word_count(text[last.start:unit.end]) <= max_words
        ):
            last.end = unit.end
            last.labels.extend(label for label in unit.labels if label not in last.labels)
        else:
            merged.append(_Unit(list(unit.path), unit.start, unit.end, unit.is_record, list(unit.labels), unit.status, unit.printed_in))
    return merged


_PIECE = re.compile(r"\S.*?(?:[.!?;:](?=\s)|(?=\n)|\Z)", re.DOTALL)
_WORD_SPAN = re.compile(r"\S+")
PARAGRAPH_FILL = 0.3


def sentence_spans(body: str, max_words: int) -> list[tuple[int, int, int, bool]]:
    """(start, end, words, ends a paragraph) of each sentence or line of `body`; overlong ones
    are cut at max_words."""
    spans = []
    for match in _PIECE.finditer(body):
        words = list(_WORD_SPAN.finditer(body, match.start(), match.end()))
        for first in range(0, len(words), max_words):
            part = words[first:first + max_words]
            end = part[-1].end()
            spans.append((part[0].start(), end, len(part), body.startswith("\n\n", end) or end == len(body)))
    return spans


def pack(spans: list[tuple[int, int, int, bool]], max_words: int, overlap_words: int) -> list[tuple[int, int]]:
    """Chunks of whole sentences up to max_words, ending at the last paragraph break that leaves
    the chunk at least PARAGRAPH_FILL full, each starting with up to overlap_words of the previous chunk's last
    sentences. Offsets are exact even where a unit repeats itself (searching for a chunk's text
    would find its first occurrence)."""
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        j, words, counts = i, 0, []
        while j < len(spans) and (j == i or words + spans[j][2] <= max_words):
            words += spans[j][2]
            counts.append(words)
            j += 1
        if j < len(spans):
            breaks = [k for k in range(j - 1, i, -1) if spans[k][3] and counts[k - i] >= PARAGRAPH_FILL * max_words]
            j = breaks[0] + 1 if breaks else j
        chunks.append((spans[i][0], spans[j - 1][1]))
        if j >= len(spans):
            break
        k, overlap = j, 0
        while k - 1 > i and overlap + spans[k - 1][2] <= overlap_words:
            k -= 1
            overlap += spans[k][2]
        i = k
    return chunks


class Splitter:
    """Document -> Passages, sized in words, at the document's own boundaries."""

    def __init__(self, min_words: int = 150, max_words: int = 400, overlap_words: int = 40) -> None:
        self.min_words = min_words
        self.max_words = max_words
        self.overlap_words = overlap_words

    def run(self, document: Document) -> list[Passage]:
        text = document.text
        pieces: list[tuple[_Unit, int, int]] = []
        for unit in _merge_small(_units(document), text, self.min_words, self.max_words):
            body = text[unit.start:unit.end]
            if word_count(body) <= self.max_words:
                pieces.append((unit, unit.start, unit.end))
                continue
            for start, end in pack(sentence_spans(body, self.max_words), self.max_words, self.overlap_words):
                pieces.append((unit, unit.start + start, unit.start + end))
        return [self._passage(document, unit, start, end, ordinal) for ordinal, (unit, start, end) in enumerate(pieces)]

    def _passage(self, document: Document, unit: _Unit, start: int, end: int, ordinal: int) -> Passage:
        first = max(bisect.bisect_right(document.offsets, start) - 1, 0)
        last = max(bisect.bisect_right(document.offsets, max(end - 1, start)) - 1, 0)
        pages = [block.page for block in document.blocks[first:last + 1] if block.page is not None]
        label = "; ".join(unit.labels) if unit.labels else None
        meta = document.meta
        return Passage(
            id=f"{document.doc_id}:{ordinal:04d}",
            doc_id=document.doc_id,
            source=document.source,
            title=meta.title,
            doc_type=meta.doc_type,
            jurisdiction=meta.jurisdiction,
            unofficial=meta.unofficial,
            section=label,
            section_id=section_id(unit.labels[0] if unit.labels else None),
            heading_path=unit.path,
            page=pages[0] if pages else None,
            page_end=pages[-1] if pages else None,
            char_start=start,
            char_end=end,
            ordinal=ordinal,
            text=document.text[start:end],
            status=unit.status or meta.status_label,
            printed_in=unit.printed_in,
        )
