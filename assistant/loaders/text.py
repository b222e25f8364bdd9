"""Markdown and plain text: headings from '#' lines, front matter as metadata hints."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.documents import Block, LoadError
from assistant.loaders import Loaded

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def read_utf8(path: Path) -> str:
    """Decode strictly: a wrong guess at an encoding would index garbled law text."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); save it as UTF-8 and ingest again"
        ) from None


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (front matter, body); unreadable front matter is kept as body text."""
    if not text.startswith("---"):
        return {}, text
    match = re.match(r"^---\s*\n(.*?)\n---\s*\n", text, flags=re.DOTALL)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[match.end():]


def markdown_blocks(body: str) -> list[Block]:
    """Headings become heading Blocks; list items and paragraphs become text Blocks."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("text", " ".join(line.strip() for line in paragraph)))
            paragraph.clear()

    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            blocks.append(Block("heading", heading.group(2).strip(), level=len(heading.group(1))))
        elif not line.strip():
            flush()
        elif _LIST_ITEM.match(line):
            flush()
            paragraph.append(line)
        else:
            paragraph.append(line)
    flush()
    return blocks


def load_markdown(path: Path, max_pages: int = 0) -> Loaded:
    meta, body = split_front_matter(read_utf8(path))
    return Loaded(markdown_blocks(body), hints=meta)


def load_plain(path: Path, max_pages: int = 0) -> Loaded:
    text = read_utf8(path)
    blocks = [Block("text", " ".join(part.split())) for part in re.split(r"\n\s*\n", text) if part.strip()]
    return Loaded(blocks)
