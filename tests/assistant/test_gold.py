"""Gold passages are found by phrase in prose and by CSV line in tables."""

from __future__ import annotations

from pathlib import Path

from assistant.gold import GoldLocator


def test_phrases_are_found_in_prose_and_in_the_csv_line_of_a_table_row(retrieval_index) -> None:
    snapshot = retrieval_index.snapshot()
    locate = GoldLocator(snapshot)
    table = next(r for r in snapshot.files.values() if r.source.endswith(".csv"))
    lines = Path(table.path).read_text(encoding="utf-8").splitlines()
    row_line = lines[1]
    found = locate.passages(table.doc_id, row_line[: min(len(row_line), 40)])
    assert [snapshot.passages[p].section_id for p in found] == ["row 2"]
    prose = next(p for p in snapshot.passages.values() if not p.doc_id == table.doc_id)
    phrase = " ".join(prose.text.split()[3:10])
    assert prose.id in locate.passages(prose.doc_id, phrase.upper())
    assert locate.passages(prose.doc_id, "words that appear nowhere at all") == set()
