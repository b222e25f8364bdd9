"""PDF reports: text per page, cleaned of layout noise, with numbered headings found.

pypdf gives one line per printed line; this module re-joins lines into paragraphs, undoes
hyphenation at line ends ("na-\\ntional" -> "national"), drops running headers, footers and
page numbers (lines that recur on many pages once digits are ignored), and recognises
numbered report headings such as "2.3.5 The Basel convention and CP" or "SECTION 2".
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from assistant.documents import Block, LoadError
from assistant.loaders import Loaded

log = logging.getLogger(__name__)

_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})\.?\s+([A-Z][^.!?]{2,90})$")
_PART_HEADING = re.compile(r"^(SECTION|CHAPTER|PART|ANNEX(?:URE)?)\s+([0-9IVXL]+)$")
_TITLE_LINE = re.compile(r"^[A-Z][^.!?:;]{2,90}$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("the PDF is encrypted with a password; save an unprotected copy and ingest that")
        _ = len(reader.pages)
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError, IndexError) as error:
        raise LoadError(f"not a readable PDF ({type(error).__name__}: {error})") from None
    return reader


def _page_texts(reader: PdfReader) -> list[str]:
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as error:  # pypdf raises many types on damaged content streams
            log.warning("page %d: text could not be extracted (%s); page skipped", number, error)
            texts.append("")
    return texts


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits masked) that appear on at least 40% of pages: headers and footers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({re.sub(r"\d+", "#", line.strip()) for line in lines if line.strip()})
    return {line for line, count in counts.items() if count >= max(3, 0.4 * len(pages))}


def _join_lines(lines: list[str]) -> str:
    """One paragraph from its printed lines, undoing line-end hyphenation."""
    text = ""
    for line in lines:
        line = " ".join(line.split())
        if not text:
            text = line
        elif text.endswith("-") and line[:1].islower():
            text = text[:-1] + line
        elif text.endswith("-") and not text.endswith(" -"):
            text += line
        else:
            text += " " + line
    return text


def _heading(line: str) -> tuple[int, str] | None:
    match = _NUMBERED_HEADING.match(line)
    if match:
        return match.group(1).count(".") + 2, f"{match.group(1)} {match.group(2).strip()}"
    if _PART_HEADING.match(line):
        return 1, line
    return None


def page_blocks(lines: list[str], page: int) -> list[Block]:
    """Paragraphs are separated by blank lines; a heading line stands alone."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("text", _join_lines(paragraph), page=page))
            paragraph.clear()

    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            flush()
            continue
        heading = _heading(line)
        previous = blocks[-1] if blocks and not paragraph else None
        if heading:
            flush()
            blocks.append(Block("heading", heading[1], level=heading[0], page=page))
        elif previous and previous.kind == "heading" and _PART_HEADING.match(previous.text) and _TITLE_LINE.match(line):
            blocks[-1] = Block("heading", f"{previous.text}: {line}", level=1, page=page)
        else:
            paragraph.append(line)
    flush()
    return blocks


def load(path: Path, max_pages: int = 2000) -> Loaded:
    reader = _open(path)
    if len(reader.pages) == 0:
        raise LoadError("the PDF has no pages")
    if len(reader.pages) > max_pages:
        raise LoadError(f"the PDF has {len(reader.pages)} pages, over the {max_pages}-page limit (setting max_pdf_pages)")
    pages = [text.splitlines() for text in _page_texts(reader)]
    running = _running_lines(pages)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        kept = [
            line
            for line in lines
            if re.sub(r"\d+", "#", line.strip()) not in running and not _PAGE_NUMBER.match(line.strip())
        ]
        blocks.extend(page_blocks(kept, number))
    hints = {}
    try:
        title = (reader.metadata or {}).get("/Title")
        if title and str(title).strip():
            hints["title"] = str(title).strip()
    except Exception:  # metadata of damaged files may not parse; the title is optional
        pass
    return Loaded(blocks, hints=hints)
