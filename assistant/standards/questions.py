"""Limit questions asked in chat, answered from the table itself.

"What is the TSS limit for sewage?", "Is COD 180 mg/L OK for discharge into the sea?": the
parameters named (by alias, or by chemical symbol only in chemical capitalisation), any value
given with them and the receiving bodies named decide whether the question is one for the
table; if so the answer gives the figure, the unit, the receiving body (all three when none was
named, and says so), the verdict on a value given, and the rows it rests on. Anything else is
left to the general answerer (None).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.standards.aliases import WORDLIKE_SYMBOLS, compact
from assistant.standards.check import RowResult, Status, evaluate, join_notes
from assistant.standards.citation import Citation, source_sentences
from assistant.standards.matching import ParameterIndex, build_index
from assistant.standards.seqs import Limit, Receiving


@dataclass(frozen=True)
class Verdict:
    """A lab value from a question checked against one receiving body."""

    receiving: Receiving
    result: RowResult


@dataclass(frozen=True)
class LimitAnswer:
    """A deterministic answer to a limit question, with the rows it rests on."""

    question: str
    text: str
    limits: tuple[Limit, ...]
    receiving: tuple[Receiving, ...]
    receiving_stated: bool
    verdicts: tuple[Verdict, ...]

    @property
    def citations(self) -> tuple[Citation, ...]:
        """One citation per table row used."""
        return tuple(limit.citation for limit in self.limits)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "question": self.question,
            "answer": self.text,
            "parameters": [limit.parameter for limit in self.limits],
            "receiving": [body.value for body in self.receiving],
            "receiving_stated": self.receiving_stated,
            "verdicts": [
                {"receiving": v.receiving.value, **v.result.to_dict()} for v in self.verdicts
            ],
            "citations": [c.to_dict() for c in self.citations],
        }


_QUESTION_BODIES = (
    (Receiving.INLAND, re.compile(
        r"\b(?:inland|nallahs?|nullahs?|nalas?|nallas?|rivers?|canals?|streams?|lakes?|surface\s+waters?)\b",
        re.IGNORECASE,
    )),
    (Receiving.SEWAGE, re.compile(
        r"\b(?:sewers?|sewerage|sewage|stps?|(?<!effluent )(?<!industrial )treatment\s+plants?)\b",
        re.IGNORECASE,
    )),
    (Receiving.SEA, re.compile(
        r"\b(?:seas?|marine|coast|coastal|creeks?|oceans?|harbou?rs?)\b", re.IGNORECASE
    )),
)
_QUESTION_UNIT = (
    r"mg\s*/\s*l(?:it(?:re|er))?|mg\s+per\s+lit(?:re|er)|ppm|ppb|[µμu]g\s*/\s*l|g\s*/\s*l|g\s*/\s*m3"
    r"|°\s*c|º\s*c|℃|deg(?:rees?)?\s*c(?:elsius)?"
)
_QUESTION_NUMBER = r"(?P<op><=|>=|<|>|≤|≥)?\s*(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?)"
_VALUE_AFTER = re.compile(
    r"(?:\s*(?:(?:is|of|at|was|around|about|measured|reading|reads|value|levels?|concentration"
    r"|comes\s+to)\b|[=:]))*"
    rf"\s*{_QUESTION_NUMBER}(?![\d.,]*\d)(?!\s*%)\s*(?P<unit>(?:{_QUESTION_UNIT})(?![a-z]))?",
    re.IGNORECASE,
)
_VALUE_BEFORE = re.compile(
    rf"{_QUESTION_NUMBER}\s*(?P<unit>(?:{_QUESTION_UNIT})(?![a-z]))\s*(?:of\s+)?$",
    re.IGNORECASE,
)
_LIMIT_INTENT = re.compile(
    r"\b(?:limits?|standards?|seqs|neqs|allow(?:ed|able)?|permissible|permitted|max(?:imum)?|ok|okay"
    r"|acceptable|compl(?:y|iance|iant)|within|exceed\w*|discharg\w*|effluents?|wastewater)\b",
    re.IGNORECASE,
)


# A question set in a convention's frame ("pesticides ... under the Rotterdam Convention") is
# about the convention unless it also speaks of effluent: "allowed" or "dispose" alone is not enough.
_CONVENTION_FRAME = re.compile(r"\b(?:conventions?|treat(?:y|ies)|protocols?|basel|stockholm|rotterdam|pops?|pic)\b", re.IGNORECASE)
_EFFLUENT_CONTEXT = re.compile(r"\b(?:effluents?|wastewater|waste water|discharg\w*|seqs|neqs|mg/l)", re.IGNORECASE)
_MAX_PHRASE_TOKENS = 6


@dataclass(frozen=True)
class _Token:
    """A word of the question with its position."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Mention:
    """A parameter named in a question, the words used and any value given with it."""

    limit: Limit
    phrase: str
    value: str = ""
    unit: str = ""
    caveat: str = ""


def _tokens(question: str) -> list[_Token]:
    """Words with surrounding punctuation removed ("B.O.D." keeps its inner dots)."""
    tokens = []
    for match in re.finditer(r"\S+", question):
        text = match.group()
        lead = len(text) - len(text.lstrip("\"'“‘([{"))
        stripped = text.strip("\"'“”‘’()[]{},;:!?").rstrip(".")
        if stripped:
            start = match.start() + lead
            tokens.append(_Token(stripped, start, start + len(stripped)))
    return tokens


def _question_lookup(index: ParameterIndex, tokens: list[_Token], i: int, n: int) -> tuple[Limit, str] | None:
    """The row (and a caveat) a run of question words names, under the stricter question rules."""
    key = compact(" ".join(token.text for token in tokens[i : i + n]))
    if key in index.not_comparable:
        related, reason = index.not_comparable[key]
        return (related, reason) if related else None
    if key not in index.by_key:
        return None
    if key in index.symbols and not (n == 1 and _symbol_allowed(index, tokens, i, key)):
        return None
    if key == "lead" and i + 1 < len(tokens) and tokens[i + 1].text.casefold() == "to":
        return None
    if i + n < len(tokens) and _INDUSTRY_NOUN.fullmatch(tokens[i + n].text):
        return None
    return index.by_key[key], ""


# "Detergent plant", "chlorine factory": the parameter's name names the industry, not the parameter.
_INDUSTRY_NOUN = re.compile(
    r"(?:plants?|factor(?:y|ies)|units?|industr(?:y|ies)|mills?|manufactur\w*|makers?|producers?|works)(?:'s)?",
    re.IGNORECASE,
)


def _symbol_allowed(index: ParameterIndex, tokens: list[_Token], i: int, key: str) -> bool:
    """Symbols count only as one word in chemical capitalisation; "As", "B", "F" only before a figure."""
    symbol = index.symbols[key]
    if tokens[i].text != symbol:
        return False
    if symbol in WORDLIKE_SYMBOLS:
        return i + 1 < len(tokens) and bool(re.match(r"[<>≤≥]?\d", tokens[i + 1].text))
    return True


def _mentions(question: str, index: ParameterIndex) -> list[_Mention]:
    """Parameters named in the question, longest phrase first, each with its value if any."""
    tokens, mentions, i = _tokens(question), [], 0
    while i < len(tokens):
        for n in range(min(_MAX_PHRASE_TOKENS, len(tokens) - i), 0, -1):
            if found := _question_lookup(index, tokens, i, n):
                words = tokens[i : i + n]
                mentions.append(_mention(question, found, words))
                i += n
                break
        else:
            i += 1
    return _first_per_parameter(mentions)


def _first_per_parameter(mentions: list[_Mention]) -> list[_Mention]:
    """One mention per row: the first, unless a later one carries a value."""
    kept: dict[str, _Mention] = {}
    for mention in mentions:
        current = kept.setdefault(mention.limit.parameter, mention)
        if mention.value and not current.value:
            kept[mention.limit.parameter] = mention
    return list(kept.values())


def _mention(question: str, found: tuple[Limit, str], words: list[_Token]) -> _Mention:
    """A mention with the value written right after it (or, with a unit, right before it)."""
    limit, caveat = found
    phrase, start, end = " ".join(word.text for word in words), words[0].start, words[-1].end
    if caveat:
        return _Mention(limit, phrase, caveat=caveat)
    end += len(question[end:]) - len(question[end:].lstrip("."))
    match = _VALUE_AFTER.match(question, end) or _VALUE_BEFORE.search(question[:start].rstrip())
    if not match:
        return _Mention(limit, phrase)
    value = f"{match.group('op') or ''}{match.group('num')}"
    return _Mention(limit, phrase, value, match.group("unit") or "")


def _question_bodies(question: str) -> tuple[Receiving, ...]:
    """Receiving bodies the question names, in table order."""
    return tuple(body for body, pattern in _QUESTION_BODIES if pattern.search(question))


def answer_limit_question(question: str, limits: Sequence[Limit]) -> LimitAnswer | None:
    """Answer "what is the limit" / "is this value OK" questions deterministically.

    None when no table parameter is named, or when the question names one but asks nothing
    about a limit (no figure, no receiving body, no word such as limit, allowed, discharge):
    "What does the Stockholm Convention say about mercury?" belongs to the general answerer.
    """
    mentions = _mentions(question, build_index(limits))
    bodies = _question_bodies(question)
    if not mentions or not (bodies or _LIMIT_INTENT.search(question) or any(m.value for m in mentions)):
        return None
    if _CONVENTION_FRAME.search(question) and not (bodies or _EFFLUENT_CONTEXT.search(question) or any(m.value for m in mentions)):
        return None
    stated = bool(bodies)
    bodies = bodies or tuple(Receiving)
    parts = [] if stated else [
        "The question did not say where the effluent goes (inland waters, sewage treatment or "
        "the sea), so the limits for all three are given."
    ]
    verdicts: list[Verdict] = []
    for mention in mentions:
        parts.append(_limit_sentence(mention, bodies, stated))
        if mention.value:
            results = [Verdict(body, _evaluate_mention(mention, body)) for body in bodies]
            verdicts += results
            parts.append(_verdict_sentence(mention, results))
    parts += source_sentences(m.limit.citation for m in mentions)
    return LimitAnswer(
        question=question,
        text=" ".join(parts),
        limits=tuple(m.limit for m in mentions),
        receiving=bodies,
        receiving_stated=stated,
        verdicts=tuple(verdicts),
    )


def _evaluate_mention(mention: _Mention, receiving: Receiving) -> RowResult:
    """Check the value a question gave, under the words it used (e.g. "temperature rise")."""
    return evaluate(mention.phrase, mention.value, mention.unit, mention.limit, receiving)


def _limit_sentence(mention: _Mention, bodies: tuple[Receiving, ...], stated: bool) -> str:
    """The limit figure(s) for the bodies asked about."""
    limit = mention.limit
    caveat = f"No separate limit for {mention.phrase!r}: {mention.caveat}. " if mention.caveat else ""
    if stated and len(bodies) == 1:
        body = bodies[0]
        return (
            f"{caveat}The SEQS limit for {limit.parameter} for discharge into {body.label} "
            f"is {limit.bound(body).text()}."
        )
    figures = "; ".join(f"into {body.label}: {limit.bound(body).text()}" for body in bodies)
    return f"{caveat}The SEQS limits for {limit.parameter} are {figures}."


def _verdict_sentence(mention: _Mention, verdicts: list[Verdict]) -> str:
    """What the value given in the question means for each body."""
    shown = " ".join(part for part in (mention.value, mention.unit) if part)
    clauses = [_verdict_clause(v) for v in verdicts]
    return f"{mention.phrase} {shown}: " + "; ".join(clauses) + "."


def _verdict_clause(verdict: Verdict) -> str:
    """One body's verdict in words."""
    result, label = verdict.result, verdict.receiving.label
    notes = join_notes(*result.notes)
    if result.status is Status.WITHIN:
        detail = join_notes(result.reason, notes)
        return f"within the limit for {label} ({result.limit})" + (f" ({detail})" if detail else "")
    if result.status is Status.EXCEEDS:
        by = f" by {result.margin:.1f}%" if result.margin is not None else f" ({result.reason})"
        return f"exceeds the limit for {label} ({result.limit}){by}" + (f" ({notes})" if notes else "")
    if result.status is Status.NO_LIMIT:
        return f"no numeric limit for {label}: {result.reason}"
    return f"cannot be checked for {label}: {result.reason}"
