"""Read a file into a Document: pick the loader for its format and settle its metadata.

Each format family has its own module that returns Blocks plus metadata hints (front matter,
PDF or DOCX properties, an HTML title); this module adds the corpus manifest on top.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.documents import Block, DocMeta, Document, LoadError, file_sha256


@dataclass
class Loaded:
    """A loader's output before the manifest is applied."""

    blocks: list[Block]
    hints: dict[str, Any] = field(default_factory=dict)


def _loaders() -> dict[str, Callable[[Path, int], Loaded]]:
    from assistant.loaders import docx, html, pdf, table, text

    return {
        ".pdf": pdf.load,
        ".docx": docx.load,
        ".md": text.load_markdown,
        ".markdown": text.load_markdown,
        ".txt": text.load_plain,
        ".html": html.load,
        ".htm": html.load,
        ".csv": table.load,
    }


SUPPORTED_SUFFIXES = (".pdf", ".docx", ".md", ".markdown", ".txt", ".html", ".htm", ".csv")

_DOC_TYPE_BY_SUFFIX = {".csv": "standard", ".pdf": "report", ".docx": "report"}
_DOC_TYPES = ("report", "programme", "law-digest", "mea-digest", "standard")
_STATUSES = ("in force", "repealed", "superseded")


def load_document(
    path: Path,
    manifest_entry: Mapping[str, Any] | None = None,
    *,
    max_bytes: int = 50 * 1024 * 1024,
    max_pages: int = 2000,
) -> Document:
    """Load one file, or raise LoadError saying why it cannot be used."""
    suffix = path.suffix.lower()
    loader = _loaders().get(suffix)
    if loader is None:
        raise LoadError(f"unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    size = path.stat().st_size
    if size == 0:
        raise LoadError("the file is empty")
    if size > max_bytes:
        raise LoadError(f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (setting max_file_mb)")
    entry = manifest_entry or {}
    if suffix == ".csv":
        from assistant.loaders import table

        loaded = table.load(
            path,
            max_pages,
            row_label=str(entry.get("row_label") or ""),
            row_status=entry.get("row_status"),
            row_printed_in=entry.get("row_printed_in"),
        )
    else:
        loaded = loader(path, max_pages)
    if not any(block.text.strip() for block in loaded.blocks):
        raise LoadError("no text could be extracted (a scanned PDF needs OCR first)")
    meta = settle_meta(path, loaded.hints, entry)
    return Document(doc_id=path.stem, source=path.name, meta=meta, blocks=loaded.blocks, sha256=file_sha256(path))


def settle_meta(path: Path, hints: Mapping[str, Any], entry: Mapping[str, Any]) -> DocMeta:
    """Manifest entry first, then the file's own hints, then what the name and format suggest."""
    merged = {**hints, **entry}
    doc_type = str(merged.get("doc_type") or _infer_doc_type(path))
    if doc_type not in _DOC_TYPES:
        doc_type = _infer_doc_type(path)
    year = merged.get("year")
    since = merged.get("since")
    status = str(merged.get("status") or "in force").lower()
    return DocMeta(
        title=str(merged.get("title") or title_from_name(path.stem)),
        doc_type=doc_type,
        jurisdiction=str(merged.get("jurisdiction") or "unknown"),
        year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
        official_source=str(merged.get("official_source") or merged.get("official_title") or ""),
        unofficial=bool(merged.get("unofficial", "unofficial" in str(merged.get("title", "")).lower())),
        status=status if status in _STATUSES else "in force",
        replaced_by=str(merged.get("replaced_by") or ""),
        since=int(since) if isinstance(since, int | str) and str(since).isdigit() else None,
    )


# Abbreviations a file name may hold, written as readers know them ("seqs-effluent-limits" ->
# "SEQS effluent limits", not "Seqs effluent limits").
_ACRONYMS = {
    word.casefold(): word
    for word in (
        "EIA", "IEE", "EMP", "SEQS", "NEQS", "EPA", "SEPA", "EPO", "CP", "NCPC", "CPP", "POPs", "PIC",
        "MEA", "MEAs", "BOD", "COD", "TSS", "TDS", "PCBs", "ETP", "CETP", "WWTP", "NGO", "ILES", "UN",
    )
}


def title_from_name(stem: str) -> str:
    """A readable title for a file whose metadata gives none: words of its name, the first capitalised, abbreviations in capitals."""
    words = stem.replace("-", " ").replace("_", " ").split()
    words = [_ACRONYMS.get(word.casefold(), word.lower()) for word in words]
    if words and words[0].islower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def _infer_doc_type(path: Path) -> str:
    name = path.stem.lower()
    if "convention" in name or "protocol" in name:
        return "mea-digest"
    if "act" in name.split("-") or "ordinance" in name or "rules" in name:
        return "law-digest"
    if "programme" in name or "program" in name:
        return "programme"
    return _DOC_TYPE_BY_SUFFIX.get(path.suffix.lower(), "report")
