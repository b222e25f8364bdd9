"""Helpers the answer tests share: hand-made passages (as the splitter would hand them over), a
real BM25 index over them, the composer run on real Hit objects, and checks of an answer's form.

Imported by name (tests/assistant/answer/ is on sys.path while its tests run); conftest.py has
pytest rewrite its asserts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.composer import ExtractiveComposer
from assistant.answer.sentences import answer_units
from assistant.evaluation import citations_valid
from assistant.keyword import KeywordIndex, tokenize
from assistant.passages import Passage
from assistant.retrieval import Hit

_MARKER = re.compile(r"\[(\d+)\]")
_SEGMENT = re.compile(r"(.+?) \[(\d+)\](?: |$)")


def make_passage(doc_id: str, text: str, section: str = "General", ordinal: int = 0, doc_type: str = "report") -> Passage:
    return Passage(
        id=f"{doc_id}:{ordinal:04d}",
        doc_id=doc_id,
        source=f"{doc_id}.md",
        title=doc_id.replace("-", " ").title(),
        doc_type=doc_type,
        jurisdiction="Sindh, Pakistan",
        unofficial=False,
        section=section,
        section_id=None,
        heading_path=[section],
        page=None,
        page_end=None,
        char_start=0,
        char_end=len(text),
        ordinal=ordinal,
        text=text,
    )


def hits_for(*passages: Passage) -> tuple[list[Hit], KeywordIndex]:
    """Hits in the given rank order, and a BM25 index over exactly these passages."""
    hits = [Hit(p, score=1.0 / rank, rank=rank, dense=0.6) for rank, p in enumerate(passages, start=1)]
    keyword = KeywordIndex.build([p.id for p in passages], [p.indexed_text for p in passages])
    return hits, keyword


def compose(question: str, *passages: Passage):
    hits, keyword = hits_for(*passages)
    return ExtractiveComposer().run(question, hits, keyword)


def mentions_in(stems: str) -> Callable[[str], bool]:
    """A stand-in for Snapshot.mentions over a fixed run of stems."""
    return lambda phrase: f" {' '.join(tokenize(phrase))} " in stems


def segments(text: str) -> list[tuple[str, int]]:
    """The answer as (sentence, n) pairs; asserts that it is nothing but 'sentence [n]' pieces."""
    pairs = [(match.group(1), int(match.group(2))) for match in _SEGMENT.finditer(text)]
    assert " ".join(f"{sentence} [{n}]" for sentence, n in pairs) == text, f"not 'sentence [n]' pieces: {text!r}"
    return pairs


def rewritten(sentence: str) -> str:
    return _MARKER.sub(r"(ref. \1)", sentence)


def assert_well_formed(text: str, citations) -> None:
    """Every piece is a verbatim unit (sentence or clause) of the passage its [n] points to; numbering 1..N by first use."""
    assert citations_valid(text, [c.n for c in citations])
    by_n = {c.n: c for c in citations}
    pairs = segments(text)
    first_use = list(dict.fromkeys(n for _, n in pairs))
    assert first_use == list(range(1, len(citations) + 1))
    for sentence, n in pairs:
        quotes = {rewritten(unit.quote) for unit in answer_units(by_n[n].passage)}
        assert sentence in quotes, f"{sentence!r} is not a sentence of [{n}]"
    for citation in citations:
        assert citation.sentences, f"citation [{citation.n}] has no sentence"
        for sentence in citation.sentences:
            assert sentence in citation.passage.text


def answer_words(text: str) -> int:
    return len(_MARKER.sub("", text).split())


LIST_SENTENCE = (
    "A Party proposing a chemical must identify it and give evidence on four screening criteria: "
    "persistence — half-life in water over two months, or in soil or sediment over six months, or other evidence; "
    "bio-accumulation — a bio-concentration factor in aquatic species above 5,000 or, lacking that, log Kow above 5; "
    "long-range environmental transport — measured levels far from sources, monitoring data or fate models; "
    "and adverse effects — evidence of harm to human health or the environment."
)


PENALTIES = make_passage(
    "sindh-act",
    "Whoever contravenes section 11 shall be punishable with a fine which may extend to 5,000,000 rupees. "
    "Where the contravention continues, an additional fine of up to 100,000 rupees may be imposed for every day "
    "during which it continues. A person convicted a second time may also be imprisoned for a term of up to three years.",
    section="Section 22 — Penalties",
)


WATER = make_passage(
    "water-programme",
    "Counter-current rinsing lets the cleanest water meet the cleanest cloth, so each litre of rinse water is used "
    "several times in the dye house. Mills in the programme cut rinse water use by about a third.",
    section="Counter-current rinsing",
)
