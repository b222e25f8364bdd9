"""The extractive composer: a cited answer quoted word for word from the top passages.

Sentences are taken verbatim, so every claim is one a passage makes, and each is followed by
the [n] of that passage. Sentence choice is lexical (IDF-weighted overlap with the question,
bonuses for the figures and definitions a question asks for) plus the passage's retrieval rank,
with near-duplicates dropped (MMR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.figures import AskedFigure
from assistant.answer.question import defined_term, named_concepts, term_weights
from assistant.answer.sentences import MIN_SENTENCE_WORDS, Unit, answer_units
from assistant.answer.types import MARKER, Citation
from assistant.keyword import KeywordIndex, tokenize
from assistant.passages import Passage
from assistant.retrieval import Hit, expand_query, spelled_out

_NUMBER_QUESTION = re.compile(
    r"\b(how (?:much|many|long|soon|often)|limit|fine|penalt|deadline|within|days?|months?|years?|when|what year|since when|number|amount|percent|mg/l|rupees|imprison)",
    re.IGNORECASE,
)
_DEFINITION_QUESTION = re.compile(r"\b(what (?:is|are|does)|define|definition|meaning|means|stand for)\b", re.IGNORECASE)
_HAS_NUMBER = re.compile(r"\d")
_DEFINES = re.compile(r"(\bmeans\b|\bis defined\b|\bdefinition of\b|\bdefined\b.{0,80}?\bas\b|\brefers to\b|\" —|” —|\bis the\b)", re.IGNORECASE)


MAX_ANSWER_WORDS = 120
MAX_SENTENCES = 4
HEADING_LIKE = 0.7
DEFINES_TERM_BONUS = 0.5
RANK_PRIOR = 0.25
SCORE_FLOOR = 0.3
# A question that asks for a figure is withheld when the answer gives none; a sentence far below
# the best one, or from the fifth passage, gives "a figure" too easily, so those answers are drawn
# from fewer (near misses abstained 0.278 -> 0.270 without this, on the training near misses).
FIGURE_SCORE_FLOOR = 0.4
LEADING_PASSAGES = 4
MAX_PER_PASSAGE = 1
FIGURE_BONUS = 0.3
CONCEPT_BONUS = 0.1
MAX_TERM_WORDS = 4  # a defined term is a few words; longer is a question ("the next step for the policy")


@dataclass
class _Sentence:
    unit: Unit
    hit: Hit
    tokens: set[str]
    score: float = 0.0
    rank: int = 0  # the passage's place among the hits, from 0

    @property
    def text(self) -> str:
        return self.unit.text

    @property
    def position(self) -> int:
        return self.unit.position


_ROW_PARAMETER = re.compile(r"^parameter:\s*([^;]+)", re.IGNORECASE)
_ROW_QUALIFIERS = frozenset(tokenize("total free"))


def names_row_parameter(passage: Passage, asked_words: set[str]) -> bool:
    """A table row gives the limit only for its own parameter: the COD row is no answer to "what
    is the limit for phosphate?", however many of its other words ("SEQS", "effluent") match.
    True for passages that are not table rows."""
    match = _ROW_PARAMETER.match(passage.text) if passage.is_table_row else None
    if match is None:
        return True
    named = {word for word in tokenize(match.group(1)) if len(word) > 2 and word not in _ROW_QUALIFIERS}
    return bool(named & asked_words)


class ExtractiveComposer:
    """Picks the sentences that answer the question and cites each one's passage."""

    def __init__(self, passages_used: int = 5) -> None:
        self.passages_used = passages_used

    def run(self, question: str, hits: list[Hit], keyword: KeywordIndex) -> tuple[str, list[Citation]]:
        figure = AskedFigure.of(question)
        used = min(self.passages_used, LEADING_PASSAGES) if figure.asks else self.passages_used
        candidates = self._candidates(question, hits[:used], keyword)
        return _render(_complete(self._select(candidates, figure)), hits)

    def _candidates(self, question: str, hits: list[Hit], keyword: KeywordIndex) -> list[_Sentence]:
        weights = term_weights(question, keyword)
        total = sum(weights.values()) or 1.0
        wants_number = bool(_NUMBER_QUESTION.search(question))
        figure = AskedFigure.of(question)
        concepts = named_concepts(question)
        wants_definition = bool(_DEFINITION_QUESTION.search(question))
        term = defined_term(question)
        # "X" — ..., "X" means ...: the term defined, not only named ("coined the term "X"")
        quoted_term = re.compile(rf"[\"“]{re.escape(term)}[\"”]\s*(?:[—–:-]|means\b|is\b|refers\b|includes\b)", re.IGNORECASE) if term else None
        # "What is cleaner production?" is answered by a sentence that says "CP"
        names_term = term is not None and len(term.split()) <= MAX_TERM_WORDS
        candidates = []
        asked_words = set(tokenize(expand_query(question)))
        for rank, hit in enumerate(hits):
            if figure.limit and not names_row_parameter(hit.passage, asked_words):
                continue
            for unit in answer_units(hit.passage):
                text = unit.says
                if len(text.split()) < MIN_SENTENCE_WORDS and hit.passage.doc_type != "standard":
                    continue
                tokens = set(tokenize(" ".join([text, *spelled_out(text)]) if names_term else text))
                context = set(tokenize(unit.heading))
                if tokens and len(tokens & context) / len(tokens) > HEADING_LIKE and hit.passage.doc_type != "standard":
                    continue
                overlap = sum(w for t, w in weights.items() if t in tokens) / total
                in_heading = sum(w for t, w in weights.items() if t in context and t not in tokens) / total
                score = overlap + 0.3 * in_heading + RANK_PRIOR / (1 + rank)
                if wants_number and _HAS_NUMBER.search(text):
                    score += 0.15
                if figure.favours(text):
                    score += FIGURE_BONUS
                if concepts and any(concept.search(text) for concept in concepts):
                    score += CONCEPT_BONUS
                if wants_definition and _DEFINES.search(text):
                    score += 0.1
                if quoted_term is not None and quoted_term.search(text):
                    score += DEFINES_TERM_BONUS
                if unit.position == 0:
                    score += 0.05
                candidates.append(_Sentence(unit, hit, tokens, score, rank))
        return candidates

    def _select(self, candidates: list[_Sentence], figure: AskedFigure) -> list[_Sentence]:
        """Greedy MMR: best score first, skipping near-duplicates, within the word budget.

        When the question asks for a figure, the best sentence that gives one leads, whatever
        outscores it on words: "how long does the Agency have" is answered by "within four
        months", not by the sentence that repeats the question's terms."""
        chosen: list[_Sentence] = []
        words = 0
        remaining = sorted(candidates, key=lambda s: -s.score)
        if not remaining:
            return []
        floor = remaining[0].score * (FIGURE_SCORE_FLOOR if figure.asks else SCORE_FLOOR)
        giving = [s for s in remaining if figure.favours(s.text)] if figure.asks else []
        if giving and giving[0] is not remaining[0] and giving[0].score >= floor:
            remaining.remove(giving[0])
            remaining.insert(0, giving[0])
        # The fifth passage's sentences only fill what the first four leave.
        remaining = [s for s in remaining if s.rank < LEADING_PASSAGES] + [s for s in remaining if s.rank >= LEADING_PASSAGES]
        for sentence in remaining:
            if len(chosen) >= MAX_SENTENCES:
                break
            if sentence.score < floor:
                continue
            length = len(sentence.text.split())
            if chosen and words + length > MAX_ANSWER_WORDS:
                continue
            if sum(other.hit is sentence.hit for other in chosen) >= MAX_PER_PASSAGE:
                continue
            if any(_jaccard(sentence.tokens, other.tokens) > 0.6 for other in chosen):
                continue
            chosen.append(sentence)
            words += length
        return chosen


_ANAPHOR = re.compile(r"^(?:this|these|that|those|it|its|they|their|such|here)\b", re.IGNORECASE)
LEAD_IN_WORDS = 60
# A sentence this short ("The Convention covers two groups of wastes when they cross borders.")
# announces what follows, like a lead-in that ends with a colon.
SHORT_LEAD_IN = 12


def _complete(chosen: list[_Sentence]) -> list[_Sentence]:
    """Quote what a chosen sentence cannot stand without: the sentence before one that opens
    with "This"/"It"/"Such", and what follows a lead-in (a colon, or a very short sentence),
    within the answer's word budget."""
    taken = {(s.hit.passage.id, s.position) for s in chosen}
    words = sum(len(s.text.split()) for s in chosen)
    added: list[_Sentence] = []
    for sentence in chosen:
        units = answer_units(sentence.hit.passage)
        position = sentence.position
        wanted: list[int] = []
        if position > 0 and _ANAPHOR.match(sentence.unit.says):
            wanted.append(position - 1)
        if sentence.text.rstrip().endswith(":") or len(sentence.unit.says.split()) < SHORT_LEAD_IN:
            announced = 0
            for following in units[position + 1 :]:
                announced += len(following.text.split())
                if wanted and announced > LEAD_IN_WORDS and following.position > position + 1:
                    break
                wanted.append(following.position)
                if announced > LEAD_IN_WORDS:
                    break
        for extra in wanted:
            key = (sentence.hit.passage.id, extra)
            if 0 <= extra < len(units) and key not in taken:
                length = len(units[extra].text.split())
                if words + length > MAX_ANSWER_WORDS:
                    break
                words += length
                taken.add(key)
                added.append(_Sentence(units[extra], sentence.hit, set(), sentence.score))
    return chosen + added


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _render(chosen: list[_Sentence], hits: list[Hit]) -> tuple[str, list[Citation]]:
    """Order: the best sentence's passage first, each passage's sentences in document order."""
    best_by_passage: dict[str, float] = {}
    for sentence in chosen:
        key = sentence.hit.passage.id
        best_by_passage[key] = max(best_by_passage.get(key, 0.0), sentence.score)
    ordered = sorted(chosen, key=lambda s: (-best_by_passage[s.hit.passage.id], s.position))
    citations: dict[str, Citation] = {}
    parts = []
    for sentence in ordered:
        key = sentence.hit.passage.id
        if key not in citations:
            citations[key] = Citation(n=len(citations) + 1, hit=sentence.hit)
        citations[key].sentences.append(sentence.text)
        quoted = MARKER.sub(r"(ref. \1)", sentence.unit.quote)
        parts.append(f"{quoted} [{citations[key].n}]")
    return " ".join(parts), list(citations.values())
