"""Study mode: multiple-choice questions generated from the corpus, each tied to its passage.

Three kinds of question, each built from one passage and checked against it:
- definition: "Which term does the Sindh EPA 2014 define as: ...?" from the glossary
  (assistant/glossary.py); distractors are other terms of the same document;
- fact: a sentence of the Sindh Act digest with a time limit or an amount blanked out
  ("... within ____ of the filing of an IEE"); distractors are other amounts of the same kind
  (periods with periods, rupee amounts with rupee amounts);
- limit: "What is the SEQS 2016 limit for COD in effluent discharged into inland waters?" from
  the effluent table (standards.seqs.load_limits) and the table row's passage; distractors are the
  same parameter's other routes and other limits in the same unit.

`verify` re-reads the source passage and checks that the correct answer (and, for a fact or a
definition, the quoted text) is in it; `generate` keeps only questions that pass, so no question
is asked without a source that supports it.
"""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.glossary import build_glossary
from assistant.passages import Passage

log = logging.getLogger(__name__)


LETTERS = "abcd"
OPTIONS = 4

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|ninety|hundred|\d+)"
)
_PERIOD = re.compile(rf"\b(?P<value>{_NUMBER_WORD}(?:[ -]{_NUMBER_WORD})* (?:days?|weeks?|months?|years?))\b", re.IGNORECASE)
_PERIOD_CONTEXT = re.compile(r"\b(?:within|up to|of|for|after|before|than)\s+$", re.IGNORECASE)
_MONEY = re.compile(
    rf"(?P<value>\b{_NUMBER_WORD}(?: {_NUMBER_WORD})*(?: (?:thousand|million|lakh|crore))+ rupees\b|\bRs\.? ?\d[\d,]*(?: (?:million|lakh|crore))?)"
)
PERIODS = (
    "seven days", "fifteen days", "thirty days", "sixty days", "ninety days", "one month", "two months",
    "three months", "four months", "six months", "one year", "two years", "three years", "five years",
)
AMOUNTS = (
    "ten thousand rupees", "fifty thousand rupees", "one hundred thousand rupees", "five hundred thousand rupees",
    "one million rupees", "two million rupees", "five million rupees", "ten million rupees",
)
MAX_STEM_WORDS = 45


@dataclass
class QuizQuestion:
    kind: str  # definition | fact | limit
    prompt: str
    options: list[str]
    answer: int  # index into options
    passage_id: str
    citation: str
    evidence: str  # the passage text the answer rests on (quoted in the reveal)
    key: str = ""  # what makes the question unique within a session
    extra: dict = field(default_factory=dict)

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]

    @property
    def answer_text(self) -> str:
        return self.options[self.answer]

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "prompt": self.prompt,
            "options": {LETTERS[i]: option for i, option in enumerate(self.options)},
            "answer": self.answer_letter,
            "passage_id": self.passage_id,
            "citation": self.citation,
            "evidence": self.evidence,
        }


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split()).casefold()


def _where(passage: Passage) -> str:
    return f"{passage.location} [{passage.id}]"


def _label(passage: Passage) -> str:
    from assistant.triage import doc_label

    return doc_label(passage.title)


def _options(correct: str, pool: Iterable[str], rng: random.Random, prefer: Sequence[str] = ()) -> tuple[list[str], int] | None:
    """The correct option and three distractors (first from `prefer`, then the pool), shuffled."""
    seen = {_norm(correct)}
    distractors: list[str] = []
    for group in (list(prefer), rng.sample(list(pool), len(list(pool)))):
        for option in group:
            if len(distractors) == OPTIONS - 1:
                break
            if _norm(option) not in seen:
                seen.add(_norm(option))
                distractors.append(option)
    if len(distractors) < OPTIONS - 1:
        return None
    options = [correct, *distractors]
    rng.shuffle(options)
    return options, options.index(correct)


# ---------------------------------------------------------------------------------------------
# Builders


def definition_questions(passages: Sequence[Passage], rng: random.Random) -> list[QuizQuestion]:
    by_id = {p.id: p for p in passages}
    entries = build_glossary(passages).entries
    questions = []
    for entry in entries:
        definition = entry.definition
        names = [entry.term, *entry.aliases]
        passage = by_id[entry.passage_id]
        if len(definition.split()) < 5 or any(_norm(name) in _norm(f"{definition} {_label(passage)}") for name in names):
            continue  # too short to tell, or the definition or the instrument's name gives the term away
        same_doc = [e.term for e in entries if e.doc_id == entry.doc_id and e.term != entry.term]
        others = [e.term for e in entries if e.term != entry.term]
        choice = _options(entry.term, others, rng, prefer=rng.sample(same_doc, min(len(same_doc), 6)))
        if choice is None:
            continue
        options, answer = choice
        short = definition if len(definition.split()) <= 60 else " ".join(definition.split()[:60]) + " …"
        questions.append(
            QuizQuestion(
                kind="definition",
                prompt=f"Which term does the {_label(passage)} ({entry.section_id or entry.section}) define as:\n  \u201c{short}\u201d",
                options=options,
                answer=answer,
                passage_id=passage.id,
                citation=entry.citation,
                evidence=definition,
                key=f"definition:{entry.doc_id}:{entry.term.casefold()}",
            )
        )
    return questions


def _sentences(text: str) -> list[str]:
    from assistant.answer import split_sentences

    return split_sentences(text)


def _stem(sentence: str, start: int, end: int) -> str:
    """The sentence with [start:end] blanked, shortened around the blank when it is long."""
    before, after = sentence[:start].split(), sentence[end:].split()
    budget = MAX_STEM_WORDS // 2
    head = ("… " if len(before) > budget else "") + " ".join(before[-budget:])
    tail = " ".join(after[:budget]) + (" …" if len(after) > budget else "")
    return f"{head} _____ {tail}".strip()


def fact_questions(passages: Sequence[Passage], rng: random.Random) -> list[QuizQuestion]:
    """Blanked time limits and amounts from the law digests (doc_type law-digest)."""
    found: list[tuple[str, Passage, str, re.Match]] = []
    for passage in passages:
        if passage.doc_type != "law-digest" or passage.section_id in (None, "s.2"):
            continue
        for sentence in _sentences(passage.text):
            if sentence not in passage.text:
                continue
            for match in _PERIOD.finditer(sentence):
                if "(" not in match.group("value") and _PERIOD_CONTEXT.search(sentence[: match.start()]):
                    found.append(("period", passage, sentence, match))
            for match in _MONEY.finditer(sentence):
                found.append(("amount", passage, sentence, match))
    pools = {
        "period": sorted({m.group("value").lower() for kind, _, _, m in found if kind == "period"} | set(PERIODS)),
        "amount": sorted({m.group("value").lower() for kind, _, _, m in found if kind == "amount"} | set(AMOUNTS)),
    }
    questions = []
    for kind, passage, sentence, match in found:
        value = match.group("value")
        others_here = [m.group("value") for m in (_PERIOD if kind == "period" else _MONEY).finditer(sentence) if m.start() != match.start()]
        choice = _options(value, pools[kind], rng, prefer=[o for o in others_here if _norm(o) != _norm(value)])
        if choice is None:
            continue
        options, answer = choice
        what = "period" if kind == "period" else "amount"
        questions.append(
            QuizQuestion(
                kind="fact",
                prompt=f"{_label(passage)} {passage.section_id}: which {what} fills the blank?\n  \u201c{_stem(sentence, match.start(), match.end())}\u201d",
                options=options,
                answer=answer,
                passage_id=passage.id,
                citation=_where(passage),
                evidence=sentence,
                key=f"fact:{passage.id}:{sentence[:40]}:{match.start()}",
                extra={"fact_kind": kind},
            )
        )
    return questions


_CELL = "{column}: {value}"


def _cell(passage_text: str, column: str) -> str | None:
    match = re.search(rf"(?:^|; ){re.escape(column)}: ([^;]*)", passage_text)
    return match.group(1).strip() if match else None


def limit_questions(passages: Sequence[Passage], limits: Sequence, rng: random.Random) -> list[QuizQuestion]:
    """SEQS limits: one question per numeric maximum, from the table row's own passage."""
    from assistant.standards.seqs import BoundKind, Receiving

    by_row = {
        (p.doc_id, p.section_id): p for p in passages if p.doc_type == "standard" and p.is_table_row
    }
    cells: list[tuple[object, Receiving, Passage, str]] = []
    for limit in limits:
        passage = by_row.get((limit.doc_id, f"row {limit.row}"))
        if passage is None:
            continue
        for body in Receiving:
            bound = limit.bound(body)
            value = _cell(passage.text, body.column.replace("_", " "))
            if bound.kind is not BoundKind.MAXIMUM or not value or not re.fullmatch(r"[\d.,]+", value):
                continue
            if float(value.replace(",", "")) != bound.high:
                continue  # table and passage disagree: ask nothing
            cells.append((limit, body, passage, value))
    by_unit: dict[str, list[str]] = {}
    for limit, _, _, value in cells:
        by_unit.setdefault(limit.unit, []).append(value)
    questions = []
    for limit, body, passage, value in cells:
        unit = limit.unit
        same_parameter = [v for l, b, _, v in cells if l is limit and v != value]
        pool = [f"{v} {unit}" for v in by_unit[unit] if v != value]
        correct = f"{value} {unit}"
        choice = _options(correct, pool, rng, prefer=[f"{v} {unit}" for v in dict.fromkeys(same_parameter)])
        if choice is None:
            continue
        options, answer = choice
        questions.append(
            QuizQuestion(
                kind="limit",
                prompt=f"What is the {_label(passage)} limit for {limit.parameter} in effluent discharged into {body.label}?",
                options=options,
                answer=answer,
                passage_id=passage.id,
                citation=_where(passage),
                evidence=f"{limit.parameter}: {body.column.replace('_', ' ')}: {value} ({unit})",
                key=f"limit:{limit.row}:{body.value}",
                extra={"column": body.column.replace("_", " "), "value": value},
            )
        )
    return questions


# ---------------------------------------------------------------------------------------------
# Checking and generating


def verify(question: QuizQuestion, passages: Mapping[str, Passage]) -> bool:
    """True when the source passage exists and contains the correct answer (and the quoted text)."""
    passage = passages.get(question.passage_id)
    if passage is None or len(question.options) != OPTIONS or len(set(map(_norm, question.options))) != OPTIONS:
        return False
    text = _norm(passage.text)
    if question.kind == "limit":
        column, value = question.extra.get("column"), question.extra.get("value")
        return bool(column and value) and _cell(passage.text, column) == value and question.answer_text.startswith(value)
    if question.kind == "definition":
        evidence = _norm(question.evidence)
        return _norm(question.answer_text) in text and (evidence in text or evidence[1:] in text)
    if question.kind == "fact":
        sentence = _norm(question.evidence)
        return sentence in text and _norm(question.answer_text) in sentence
    return False


def generate_for(snapshot, n: int = 10, seed: int | None = None) -> list[QuizQuestion]:
    """Questions from an index snapshot: its passages, and the SEQS table if it is indexed."""
    from assistant.standards.seqs import DOC_ID, LimitsFileError, load_limits

    limits: list = []
    record = snapshot.files.get(DOC_ID)
    if record is not None:
        try:
            limits = load_limits(Path(record.path))
        except (OSError, LimitsFileError) as error:
            log.warning("no limit questions: %s", error)
    return generate(snapshot.passages.values(), limits, n=n, seed=seed)


def generate(
    passages: Iterable[Passage],
    limits: Sequence = (),
    n: int = 10,
    seed: int | None = None,
    kinds: Sequence[str] = ("definition", "fact", "limit"),
) -> list[QuizQuestion]:
    """Up to n verified questions, the kinds taking turns, in an order fixed by `seed`."""
    rng = random.Random(seed)
    ordered = sorted(passages, key=lambda p: (p.doc_id, p.ordinal))
    by_id = {p.id: p for p in ordered}
    builders = {
        "definition": lambda: definition_questions(ordered, rng),
        "fact": lambda: fact_questions(ordered, rng),
        "limit": lambda: limit_questions(ordered, limits, rng),
    }
    pools = {}
    for kind in kinds:
        pool = [q for q in builders[kind]() if verify(q, by_id)]
        rng.shuffle(pool)
        if pool:
            pools[kind] = pool
    chosen: list[QuizQuestion] = []
    seen: set[str] = set()
    turn = [kind for kind in kinds if kind in pools]
    rng.shuffle(turn)
    while len(chosen) < n and any(pools.values()):
        for kind in turn:
            while pools.get(kind):
                question = pools[kind].pop()
                if question.key not in seen:
                    seen.add(question.key)
                    chosen.append(question)
                    break
            if len(chosen) >= n:
                break
    return chosen


@dataclass
class QuizResult:
    question: QuizQuestion
    given: str | None  # the letter given, None when none was

    @property
    def correct(self) -> bool:
        return self.given == self.question.answer_letter


def parse_answer(text: str | None) -> str | None:
    """'b', 'B)', ' (b) ', 'b. x' -> 'b'; anything else -> None."""
    if text is None:
        return None
    match = re.match(r"\s*\(?([a-dA-D])(?:[).:\s]|$)", text)
    return match.group(1).lower() if match else None


def render_question(number: int, total: int, question: QuizQuestion) -> str:
    lines = [f"Question {number}/{total} ({question.kind})", question.prompt]
    lines += [f"  {LETTERS[i]}) {option}" for i, option in enumerate(question.options)]
    return "\n".join(lines)


def render_reveal(result: QuizResult) -> str:
    q = result.question
    if result.correct:
        head = f"Correct: ({q.answer_letter}) {q.answer_text}."
    elif result.given is None:
        head = f"No answer. The answer is ({q.answer_letter}) {q.answer_text}."
    else:
        head = f"Not quite: the answer is ({q.answer_letter}) {q.answer_text}."
    evidence = q.evidence if len(q.evidence) <= 400 else q.evidence[:400].rsplit(" ", 1)[0] + " …"
    return f"{head}\n  Source: {q.citation}\n  \u201c{evidence}\u201d"


def score_line(results: Sequence[QuizResult]) -> str:
    right = sum(r.correct for r in results)
    total = len(results)
    return f"Score: {right}/{total}" + (f" ({100 * right / total:.0f}%)" if total else "")
