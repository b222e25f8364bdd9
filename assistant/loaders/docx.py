"""Word documents: heading styles become headings, numbered lists keep their numbers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.documents import Block, LoadError
from assistant.loaders import Loaded

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def _paragraph_block(paragraph: Paragraph, list_counter: list[int]) -> Block | None:
    text = " ".join(paragraph.text.split())
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if not text:
        return None
    heading = _HEADING_STYLE.match(style)
    if heading or style.lower() == "title":
        list_counter[0] = 0
        return Block("heading", text, level=int(heading.group(1)) if heading else 1)
    if style.lower().startswith("list number"):
        list_counter[0] += 1
        return Block("text", f"{list_counter[0]}. {text}")
    if style.lower().startswith("list"):
        return Block("text", f"- {text}")
    list_counter[0] = 0
    return Block("text", text)


def _table_blocks(table: Table) -> list[Block]:
    blocks = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        unique = list(dict.fromkeys(cell for cell in cells if cell))
        if unique:
            blocks.append(Block("text", " | ".join(unique)))
    return blocks


MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def _check_unpacked_size(path: Path) -> None:
    """Refuse a zip bomb before python-docx unpacks it into memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise LoadError(f"not a readable DOCX file ({type(error).__name__}: {error})") from None
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise LoadError(
            f"the DOCX would unpack to {unpacked / 1e6:.0f} MB ({unpacked / packed:.0f}x its size): "
            "refused as a possible zip bomb"
        )


def load(path: Path, max_pages: int = 0) -> Loaded:
    _check_unpacked_size(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise LoadError(f"not a readable DOCX file ({type(error).__name__}: {error})") from None
    blocks: list[Block] = []
    list_counter = [0]
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            block = _paragraph_block(item, list_counter)
            if block:
                blocks.append(block)
        else:
            blocks.extend(_table_blocks(item))
    title = (document.core_properties.title or "").strip()
    return Loaded(blocks, hints={"title": title} if title else {})
