"""The answer types: an Answer, the Citations it carries, the Evidence it was judged on.

Every surface (CLI, UI, triage, evaluation) reads these; their JSON shapes are in
assistant/schema.py. MARKER is the "[n]" that follows each cited sentence of an answer's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.passages import Passage
from assistant.retrieval import Hit

MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Citation:
    """A passage the answer cites, numbered by first use, with the sentences taken from it."""

    n: int
    hit: Hit
    sentences: list[str] = field(default_factory=list)

    @property
    def passage(self) -> Passage:
        return self.hit.passage


@dataclass
class Evidence:
    """The retrieval signals abstention decides on (all in [0, 1]).

    dense: best cosine similarity among the top passages; coverage: IDF-weighted share of the
    question's terms found in the top passages; sentence: the same share within the best single
    sentence (with its heading); unknown: the share of the asking sentence's terms that the
    corpus never uses at all.
    """

    dense: float
    coverage: float
    unknown: float
    sentence: float = 0.0

    def score(self, weights: tuple[float, float, float, float]) -> float:
        """Support for answering: a weighted sum, weights (dense, coverage, sentence, unknown)."""
        dense, coverage, sentence, unknown = weights
        return dense * self.dense + coverage * self.coverage + sentence * self.sentence - unknown * self.unknown


@dataclass
class Trace:
    """Why an answer came out as it did (`cpassist ask --explain`).

    candidates: the passages retrieval found, in the order the decision saw them (the judge's,
    when it ran), each Hit with its fused rank and judge score; accepted: the ids the judge let
    through; stage: the step that decided ("rule", "structured table", "judge", "evidence
    score", "composer"); rule: the refusal rule that fired, if one did.
    """

    answerability: str
    threshold: float | None
    candidates: list[Hit] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    stage: str = ""
    rule: str = ""


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)
    evidence: Evidence | None = None
    query: str = ""
    composer: str = "extractive"
    note: str = ""
    trace: Trace | None = None
    language: str = "en"  # "ur" (Urdu script) or "ur-Latn" (Roman Urdu): see assistant/language.py
    searched_as: str = ""  # for a question in Urdu, the English it was searched as
