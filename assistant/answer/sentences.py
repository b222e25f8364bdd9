"""Quotable text: sentences, the clauses of a long enumerating sentence, and the units an answer
may quote from a passage, each under its inner heading.

An extractive answer quotes passages word for word, so how a passage is cut into pieces decides
what an answer can say; the question analysis uses the same splitting to find the asking sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.passages import Passage, section_id

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[A-Z0-9-])")
_ABBREVIATION_END = re.compile(r"\b(?:No|Nos|Art|Arts|s|ss|e\.g|i\.e|etc|Mr|Dr|para|paras|Rs|cf|vs|viz|St)\.$")


MIN_SENTENCE_WORDS = 8
LONG_SENTENCE = 50
MIN_CLAUSE_WORDS = 12
HEADING_MAX_WORDS = 16
_BULLET = re.compile(r"^[-*•]\s+")
_CLAUSE_END = re.compile(r"(?<=[;:])\s+")
# "Sindh Environmental Protection Act 2014, section 18." / "Basel Convention, Article 6(1)–(4),":
# the digests open each section with where it is. It is quoted, but it is not what a sentence
# says: scored, it made every section's first sentence match any question naming SEPA or Basel.
_LABEL = re.compile(
    r"^[A-Z][^,.;:?!]{2,70},\s+(?:sections?|articles?|annex(?:es)?|part)\s+[0-9A-Z][\w().–-]*[.,]?\s*",
    re.IGNORECASE,
)


@dataclass
class Unit:
    """A quotable piece of a passage: a sentence, or one clause of a long enumerating sentence.

    `text` is verbatim; `quote` marks with … where a clause was cut from its sentence. `heading`
    is the heading the piece sits under, which in a passage that merged several short sections
    is the inner heading, not the passage's first one.
    """

    text: str
    heading: str
    position: int
    cut_before: bool = False
    cut_after: bool = False

    @property
    def quote(self) -> str:
        """The text as an answer shows it: a list item's bullet is layout, not words."""
        text = _BULLET.sub("", self.text, count=1)
        return f"{'… ' if self.cut_before else ''}{text}{' …' if self.cut_after else ''}"

    @property
    def says(self) -> str:
        """The text without its leading location label, which is what scoring looks at."""
        return _LABEL.sub("", self.text, count=1) if not self.cut_before else self.text


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; each line (a list item, say) ends a sentence too."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces = _SENTENCE_END.split(line)
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREVIATION_END.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        sentences.extend(piece.strip() for piece in merged if piece.strip())
    return sentences


def passage_sentences(passage: Passage) -> list[str]:
    """A table record is quoted whole: a fragment of its notes means nothing without the row."""
    if passage.is_table_row:
        return [passage.text]
    return split_sentences(passage.text)


def is_heading(line: str) -> bool:
    """An inner heading line ('Article 2 — Definitions', '2.4.5 ILES implementation ...')."""
    return section_id(line) is not None and len(line.split()) <= HEADING_MAX_WORDS and not line.endswith(".")


def clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) spans of a long sentence's clauses, split after ';' and ':'.

    A clause shorter than MIN_CLAUSE_WORDS, or one that ends in ':' (a lead-in such as "give
    evidence on four criteria:"), joins the next one. Short sentences come back whole.
    """
    if len(sentence.split()) <= LONG_SENTENCE:
        return [(0, len(sentence))]
    cuts = [match.start() for match in _CLAUSE_END.finditer(sentence)] + [len(sentence)]
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        piece = sentence[start:cut]
        if cut != len(sentence) and (len(piece.split()) < MIN_CLAUSE_WORDS or piece.endswith(":")):
            continue
        spans.append((start, cut))
        start = cut
    if len(spans) > 1 and len(sentence[spans[-1][0] : spans[-1][1]].split()) < MIN_CLAUSE_WORDS:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return [(a + len(sentence[a:b]) - len(sentence[a:b].lstrip()), b) for a, b in spans]


def _sentence_groups(passage: Passage) -> list[str]:
    """The passage's sentences, a short one ("The Convention has two linked aims.") joined
    verbatim to the sentence after it on the same line, so a lead-in is quoted with its point."""
    groups: list[str] = []
    text, cursor, start, end, open_group = passage.text, 0, -1, -1, False
    for sentence in split_sentences(text):
        found = text.find(sentence, cursor)
        if found < 0:
            found, open_group = cursor, False
        same_line = open_group and "\n" not in text[end:found]
        if same_line and not is_heading(sentence):
            end = found + len(sentence)
        else:
            if start >= 0:
                groups.append(text[start:end])
            start, end = found, found + len(sentence)
        cursor = found + len(sentence)
        open_group = len(sentence.split()) < MIN_SENTENCE_WORDS and not is_heading(sentence)
    if start >= 0:
        groups.append(text[start:end])
    return groups


def answer_units(passage: Passage) -> list[Unit]:
    """The pieces of a passage an answer may quote, in document order, each under its heading."""
    if passage.is_table_row:
        return [Unit(passage.text, passage.context_line, 0)]
    heading = passage.context_line
    units: list[Unit] = []
    for sentence in _sentence_groups(passage):
        if is_heading(sentence):
            heading = f"{passage.title} > {sentence}"
            continue
        for start, end in clauses(sentence):
            units.append(
                Unit(sentence[start:end], heading, len(units), cut_before=start > 0, cut_after=end < len(sentence))
            )
    return units
