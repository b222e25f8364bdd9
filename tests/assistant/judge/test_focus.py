from __future__ import annotations

from assistant.judge.focus import GAP, focus
from assistant.passages import Passage


def passage(text: str) -> Passage:
    return Passage(
        id="d:0001", doc_id="d", source="d.md", title="Act", doc_type="law-digest", jurisdiction="Sindh", unofficial=True,
        section="Section 17", section_id="s.17", heading_path=["Section 17 — Approvals"], page=None, page_end=None,
        char_start=0, char_end=len(text), ordinal=1, text=text,
    )


def test_a_short_passage_is_read_whole_with_its_heading_line() -> None:
    p = passage("The Agency decides an IEE within two months.")
    assert focus("How long for an IEE?", p) == "Act > Section 17 — Approvals\nThe Agency decides an IEE within two months."


def test_a_long_passage_keeps_the_sentences_that_share_the_question_words_in_order() -> None:
    filler = " ".join(f"Filler sentence number {i} says nothing useful here." for i in range(30))
    p = passage(f"{filler} The Agency must decide on an EIA within four months of filing. {filler}")
    text = focus("How long does the Agency have to decide on an EIA?", p, words=30)
    assert "within four months of filing" in text
    assert len(text.split("\n", 1)[1].split()) <= 30
    assert GAP in text
