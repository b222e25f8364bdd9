"""Which passages hold a quoted phrase: the gold answer of an eval question or a training question.

Question sets name their answer by document and a phrase copied from the file. In prose the
phrase is found in the passage text; in a table the writer copies from a CSV line (cells joined
by commas) while the passage reads as a sentence ("parameter: COD; unit: mg/L; ..."), so there
the phrase is found in the file's lines and the row's passage is the gold one.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

from assistant.index import Snapshot


def normalise(text: str) -> str:
    """Case, curly quotes and runs of white space do not decide a match."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.lower().split())


@lru_cache(maxsize=32)
def _table_lines(path: str) -> tuple[str, ...]:
    """The CSV's rows as lines, numbered as a spreadsheet shows them (header = row 1)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = csv.reader(io.StringIO(text))
    lines = []
    for row in rows:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(row)
        lines.append(normalise(buffer.getvalue()))
    return tuple(lines)


class GoldLocator:
    """Phrase -> ids of the passages that contain it, within one document or the whole corpus."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._texts = {pid: normalise(p.text) for pid, p in snapshot.passages.items()}

    def passages(self, doc_id: str | None, phrase: str) -> set[str]:
        wanted = normalise(phrase)
        if not wanted:
            return set()
        found = {pid for pid, text in self._texts.items() if wanted in text and (doc_id is None or pid.startswith(f"{doc_id}:"))}
        record = self.snapshot.files.get(doc_id or "")
        if not found and record is not None and record.source.lower().endswith(".csv"):
            rows = {f"row {n}" for n, line in enumerate(_table_lines(record.path), start=1) if wanted in line or wanted in line.replace('"', "")}
            found = {pid for pid in record.passage_ids if self.snapshot.passages[pid].section_id in rows}
        return found

    def anywhere(self, phrase: str) -> set[str]:
        """Every passage in the corpus that says it (a fact repeated in two documents is gold in both)."""
        return self.passages(None, phrase)
