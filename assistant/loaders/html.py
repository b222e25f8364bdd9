"""HTML pages: h1-h6 as headings, paragraphs, list items and table rows as text."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from assistant.documents import Block
from assistant.loaders import Loaded
from assistant.loaders.text import read_utf8

_TEXT_TAGS = ("p", "li", "tr", "dt", "dd", "blockquote", "pre")


def load(path: Path, max_pages: int = 0) -> Loaded:
    soup = BeautifulSoup(read_utf8(path), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
        tag.decompose()
    hints = {"title": soup.title.get_text(" ", strip=True)} if soup.title and soup.title.get_text(strip=True) else {}
    blocks: list[Block] = []
    body = soup.body or soup
    for element in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", *_TEXT_TAGS]):
        if element.name in _TEXT_TAGS and element.find_parent(_TEXT_TAGS):
            continue
        separator = " | " if element.name == "tr" else " "
        text = " ".join(element.get_text(separator, strip=True).split())
        if not text:
            continue
        if element.name.startswith("h") and element.name[1:].isdigit():
            blocks.append(Block("heading", text, level=int(element.name[1:])))
        else:
            blocks.append(Block("text", text))
    return Loaded(blocks, hints=hints)
