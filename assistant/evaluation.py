"""`cpassist eval`: retrieval (and answer) figures on the project's own question set.

Three systems run on the same corpus and questions in one run: ours (structure-aware passages,
dense + BM25 fused), BM25 alone over the same passages, and a plain LangChain pipeline
(RecursiveCharacterTextSplitter 1000/200 + the same embedder + Chroma). A result is a hit when
it is a gold passage (assistant/gold.py: the passages of the gold document that hold the gold
phrase, or the table row whose CSV line holds it), or, for the baseline's own chunks, when it
comes from the gold document and contains the phrase or a gold row.
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path

from assistant.gold import GoldLocator, normalise
from assistant.index import Index
from assistant.retrieval import Retriever


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    question: str
    in_scope: bool
    doc_id: str | None
    gold_phrase: str | None
    topic: str
    language: str = "en"  # Urdu sets: "ur" (Urdu script) or "ur-Latn" (Roman Urdu)
    english: str = ""  # Urdu sets: the same question in English


@dataclass
class Result:
    """One retrieved item as the metrics see it: its document, its text and, for our passages, its id."""

    doc_id: str
    text: str
    passage_id: str | None = None


@dataclass(frozen=True)
class Gold:
    """What counts as the answer to a question: passage ids, and texts for chunks without one."""

    ids: frozenset[str]
    texts: tuple[str, ...]


def gold_for(index: Index, questions: Sequence[Question]) -> dict[str, Gold]:
    snapshot = index.snapshot()
    assert snapshot is not None
    locate = GoldLocator(snapshot)
    gold = {}
    for q in questions:
        ids = frozenset(locate.passages(q.doc_id, q.gold_phrase or "")) if q.in_scope else frozenset()
        texts = (normalise(q.gold_phrase or ""),) + tuple(normalise(snapshot.passages[i].text) for i in sorted(ids) if snapshot.passages[i].section_id)
        gold[q.id] = Gold(ids, texts if q.gold_phrase else ())
    return gold


@dataclass
class SystemFigures:
    name: str
    ranks: list[int | None] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def hit_at(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / max(len(self.ranks), 1)

    @property
    def mrr5(self) -> float:
        return sum(1 / r for r in self.ranks if r is not None and r <= 5) / max(len(self.ranks), 1)

    def latency(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


class QuestionFileError(ValueError):
    """A question file line that is not a question: which line, and what it lacks."""


def load_questions(path: Path) -> list[Question]:
    """One JSON question a line; fields Question does not know are ignored, missing ones are an error."""
    known = {f.name for f in fields(Question)}
    required = {f.name for f in fields(Question) if f.default is MISSING}
    questions = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise QuestionFileError(f"{path.name}, line {number}: not JSON ({error.msg})") from None
            missing = sorted(required - set(record)) if isinstance(record, dict) else ["every field"]
            if missing:
                raise QuestionFileError(f"{path.name}, line {number}: missing {', '.join(missing)}")
            questions.append(Question(**{key: value for key, value in record.items() if key in known}))
    return questions


def gold_rank(question: Question, results: Sequence[Result], gold: Gold | None = None) -> int | None:
    """Rank of the first gold result; without `gold`, the phrase is looked for in the text."""
    texts = gold.texts if gold else (normalise(question.gold_phrase or ""),)
    for rank, result in enumerate(results, start=1):
        if gold and result.passage_id is not None:
            if result.passage_id in gold.ids:
                return rank
        elif result.doc_id == question.doc_id and texts and any(t and t in normalise(result.text) for t in texts):
            return rank
    return None


def measure(name: str, search: Callable[[str], list[Result]], questions: Sequence[Question], gold: dict[str, Gold] | None = None) -> SystemFigures:
    figures = SystemFigures(name)
    if questions:
        search(questions[0].question)
    for question in questions:
        started = time.perf_counter()
        results = search(question.question)
        figures.latencies.append(time.perf_counter() - started)
        figures.ranks.append(gold_rank(question, results, (gold or {}).get(question.id)))
    return figures


def ours(retriever: Retriever, k: int = 5) -> Callable[[str], list[Result]]:
    return lambda text: [Result(h.passage.doc_id, h.passage.text, h.passage.id) for h in retriever.run(text, k=k)]


def bm25_only(index: Index, k: int = 5) -> Callable[[str], list[Result]]:
    snapshot = index.snapshot()
    assert snapshot is not None

    def search(text: str) -> list[Result]:
        return [Result(snapshot.passages[i].doc_id, snapshot.passages[i].text, i) for i, _ in snapshot.keyword.search(text, k)]

    return search


def langchain_baseline(index: Index, workdir: Path, k: int = 5) -> Callable[[str], list[Result]]:
    """The plain pipeline a LangChain tutorial builds, on the same texts and embedder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.corpus import read_manifest
    from assistant.loaders import load_document

    snapshot = index.snapshot()
    assert snapshot is not None
    manifest = read_manifest(index.settings.manifest_path)
    documents = []
    for record in snapshot.files.values():
        loaded = load_document(Path(record.path), manifest.get(record.source, {}))
        documents.append(LCDocument(page_content=loaded.text, metadata={"doc_id": record.doc_id}))
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
    client = chromadb.PersistentClient(path=str(workdir), settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(
        client=client,
        collection_name="baseline",
        embedding_function=index.embedder,
        collection_metadata={"hnsw:space": "cosine"},
    )
    store.add_documents(chunks)

    def search(text: str) -> list[Result]:
        return [Result(doc.metadata["doc_id"], doc.page_content) for doc in store.similarity_search(text, k=k)]

    return search


def retrieval_table(systems: Sequence[SystemFigures]) -> str:
    header = f"{'system':<34} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR@5':>6} {'p50 ms':>7} {'p95 ms':>7}"
    lines = [header, "-" * len(header)]
    for s in systems:
        lines.append(
            f"{s.name:<34} {s.hit_at(1):>6.3f} {s.hit_at(3):>6.3f} {s.hit_at(5):>6.3f} {s.mrr5:>6.3f}"
            f" {s.latency(50):>7.1f} {s.latency(95):>7.1f}"
        )
    return "\n".join(lines)


def misses(questions: Sequence[Question], figures: SystemFigures) -> list[str]:
    return [f"{q.id} [{q.doc_id}] {q.question}" for q, r in zip(questions, figures.ranks) if r is None or r > 5]


def run_retrieval_eval(index: Index, questions: Sequence[Question], baselines: bool = True) -> list[SystemFigures]:
    in_scope = [q for q in questions if q.in_scope]
    gold = gold_for(index, in_scope)
    systems = [measure("cp-assistant (fused, structured)", ours(Retriever(index)), in_scope, gold)]
    if baselines:
        systems.append(measure("bm25 only (same passages)", bm25_only(index), in_scope, gold))
        with tempfile.TemporaryDirectory(prefix="cpassist-baseline-") as workdir:
            systems.append(measure("langchain 1000/200 + MiniLM + Chroma", langchain_baseline(index, Path(workdir)), in_scope, gold))
    return systems


def split_label(question: Question) -> str:
    """Odd-numbered questions were used for tuning ('dev'), even-numbered held out ('test')."""
    number = int(re.sub(r"\D", "", question.id) or 0)
    return "dev" if number % 2 else "test"


def split_table(questions: Sequence[Question], figures: SystemFigures) -> str:
    lines = [f"{'split':<8} {'n':>4} {'hit@1':>6} {'hit@5':>6} {'MRR@5':>6}"]
    for label in ("dev", "test"):
        part = SystemFigures(figures.name, [r for q, r in zip(questions, figures.ranks) if split_label(q) == label])
        lines.append(f"{label:<8} {len(part.ranks):>4} {part.hit_at(1):>6.3f} {part.hit_at(5):>6.3f} {part.mrr5:>6.3f}")
    return "\n".join(lines)


_MARKER = re.compile(r"\[(\d+)\]")


def citations_valid(text: str, numbers: Sequence[int]) -> bool:
    """Every [n] resolves, every citation is used, and numbering is 1..N without gaps."""
    used = {int(n) for n in _MARKER.findall(text)}
    return used == set(numbers) and sorted(numbers) == list(range(1, len(numbers) + 1))


@dataclass
class AnswerFigures:
    cites_gold: float
    wrong_abstentions: float
    out_of_scope_abstained: float
    citation_validity: float
    mean_words: float
    p50_ms: float
    p95_ms: float
    failures: list[str] = field(default_factory=list)
    outcomes: list[tuple[Question, bool, bool]] = field(default_factory=list)  # (question, abstained, cites gold)
    first_gold: float = 0.0  # in-scope questions whose first citation is a gold passage
    best_judge: list[tuple[bool, float]] = field(default_factory=list)  # (in scope, best judge score)

    def split_table(self) -> str:
        """The three rates per split: abstention was calibrated on dev, test is held out."""
        lines = [f"{'split':<8} {'n in':>5} {'cites gold':>11} {'abstained':>10} {'n out':>6} {'out abstained':>14}"]
        for label in ("dev", "test"):
            part = [o for o in self.outcomes if split_label(o[0]) == label]
            inside = [o for o in part if o[0].in_scope]
            outside = [o for o in part if not o[0].in_scope]
            lines.append(
                f"{label:<8} {len(inside):>5} {sum(o[2] for o in inside) / max(len(inside), 1):>11.3f} "
                f"{sum(o[1] for o in inside) / max(len(inside), 1):>10.3f} {len(outside):>6} "
                f"{sum(o[1] for o in outside) / max(len(outside), 1):>14.3f}"
            )
        return "\n".join(lines)

    def table(self, n_in: int, n_out: int) -> str:
        rows = [
            ("in-scope answers citing a gold passage", f"{self.cites_gold:.3f}", ">= 0.95", n_in),
            ("in-scope questions abstained (wrongly)", f"{self.wrong_abstentions:.3f}", "<= 0.05", n_in),
            ("out-of-scope questions abstained", f"{self.out_of_scope_abstained:.3f}", ">= 0.90", n_out),
            ("citation validity", f"{self.citation_validity:.3f}", "1.000", n_in + n_out),
            ("answer length, mean words", f"{self.mean_words:.0f}", "<= ~120", n_in),
            ("ask latency p50 / p95, ms", f"{self.p50_ms:.0f} / {self.p95_ms:.0f}", "p50 <= 400", n_in + n_out),
        ]
        lines = [f"{'figure':<42} {'value':>11} {'bar':>11} {'n':>4}"]
        lines += [f"{name:<42} {value:>11} {bar:>11} {n:>4}" for name, value, bar, n in rows]
        return "\n".join(lines)


def run_answer_eval(bot, questions: Sequence[Question], gold: dict[str, Gold] | None = None) -> AnswerFigures:
    """Ask every question once (warm) and score the answers (against `gold`, else by phrase)."""
    if questions:
        bot.ask(questions[0].question)
    cites, wrong, out_abstained, valid, words, latencies, failures, outcomes = 0, 0, 0, 0, [], [], [], []
    gold = gold or {}
    first, best_judge = 0, []
    in_scope = [q for q in questions if q.in_scope]
    for question in questions:
        started = time.perf_counter()
        answer = bot.ask(question.question)
        latencies.append(time.perf_counter() - started)
        valid += citations_valid(answer.text, [c.n for c in answer.citations]) if not answer.abstained else 1
        cited = [Result(c.passage.doc_id, c.passage.text, c.passage.id) for c in answer.citations]
        rank = gold_rank(question, cited, gold.get(question.id)) if question.in_scope else None
        outcomes.append((question, answer.abstained, rank is not None))
        first += rank == 1 and not answer.abstained
        scores = [hit.judge for hit in answer.trace.candidates if hit.judge is not None] if answer.trace else []
        if scores:
            best_judge.append((question.in_scope, max(scores)))
        if not question.in_scope:
            out_abstained += answer.abstained
            if not answer.abstained:
                failures.append(f"answered out-of-scope {question.id}: {question.question}")
            continue
        if answer.abstained:
            wrong += 1
            failures.append(f"abstained on {question.id}: {question.question}")
            continue
        words.append(len(_MARKER.sub("", answer.text).split()))
        if outcomes[-1][2]:
            cites += 1
        else:
            failures.append(f"no gold citation {question.id}: {question.question}")
    n_in, n_out = max(len(in_scope), 1), max(len(questions) - len(in_scope), 1)
    return AnswerFigures(
        cites_gold=cites / n_in,
        wrong_abstentions=wrong / n_in,
        out_of_scope_abstained=out_abstained / n_out,
        citation_validity=valid / max(len(questions), 1),
        mean_words=statistics.mean(words) if words else 0.0,
        p50_ms=percentile(latencies, 50) * 1000,
        p95_ms=percentile(latencies, 95) * 1000,
        failures=failures,
        outcomes=outcomes,
        first_gold=first / n_in,
        best_judge=best_judge,
    )


def modes_table(figures: dict[str, AnswerFigures], n_in: int, n_out: int) -> str:
    """The answer figures of each answerability mode side by side."""
    rows = [
        ("in-scope answers citing a gold passage", ">= 0.95", lambda f: f"{f.cites_gold:.3f}"),
        ("gold passage cited first", ">= 0.85", lambda f: f"{f.first_gold:.3f}"),
        ("in-scope questions abstained (wrongly)", "<= 0.05", lambda f: f"{f.wrong_abstentions:.3f}"),
        ("out-of-scope questions abstained", ">= 0.85", lambda f: f"{f.out_of_scope_abstained:.3f}"),
        ("citation validity", "1.000", lambda f: f"{f.citation_validity:.3f}"),
        ("ask latency p50 / p95, ms", "<= 300 / 600", lambda f: f"{f.p50_ms:.0f} / {f.p95_ms:.0f}"),
    ]
    names = list(figures)
    lines = [f"{'figure':<40} " + " ".join(f"{name:>12}" for name in names) + f" {'bar':>13}"]
    for label, bar, value in rows:
        lines.append(f"{label:<40} " + " ".join(f"{value(figures[name]):>12}" for name in names) + f" {bar:>13}")
    lines.append(f"({n_in} in scope, {n_out} out of scope)")
    return "\n".join(lines)


def abstention_curve(figures: AnswerFigures, thresholds: Sequence[float] = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> str:
    """Out-of-scope withheld against in-scope withheld as the judge threshold moves (judge alone:
    a question is withheld when its best candidate scores under the threshold)."""
    inside = [score for in_scope, score in figures.best_judge if in_scope]
    outside = [score for in_scope, score in figures.best_judge if not in_scope]
    lines = [f"{'threshold':>9} {'in-scope withheld':>18} {'out-of-scope withheld':>22}"]
    for t in thresholds:
        lines.append(
            f"{t:>9.2f} {sum(s < t for s in inside) / max(len(inside), 1):>18.3f} {sum(s < t for s in outside) / max(len(outside), 1):>22.3f}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Questions in Urdu (issue 15): each script's figures beside those of the same questions in English


LANGUAGE_NAMES = {"ur": "Urdu script (ur)", "ur-Latn": "Roman Urdu (ur-Latn)"}


def is_language_set(questions: Sequence[Question]) -> bool:
    """Whether a question set is one of questions in Urdu (each with its English twin)."""
    return any(q.language != "en" for q in questions)


@dataclass
class LanguageFigures:
    """Search and answer figures of one script's questions, or of their English twins."""

    name: str
    in_scope: list[Question]
    n_out: int
    search: SystemFigures
    answers: AnswerFigures


def run_language_eval(index: Index, bot, questions: Sequence[Question]) -> list[LanguageFigures]:
    """Per script: search (top 5) and `ask` on the questions as written, then on their English
    twins (the same ids, so the same gold passages), with the same machinery as the English sets."""
    gold = gold_for(index, questions)
    retriever = Retriever(index)
    figures = []
    for language, name in LANGUAGE_NAMES.items():
        asked = [q for q in questions if q.language == language]
        if not asked:
            continue
        for label, part in ((name, asked), ("  the same in English", [replace(q, question=q.english, language="en") for q in asked])):
            in_scope = [q for q in part if q.in_scope]
            figures.append(
                LanguageFigures(
                    label,
                    in_scope,
                    len(part) - len(in_scope),
                    measure(label, ours(retriever), in_scope, gold),
                    run_answer_eval(bot, part, gold),
                )
            )
    return figures


def language_table(figures: Sequence[LanguageFigures]) -> str:
    """One row per script and one for its English twins."""
    header = (
        f"{'questions':<24} {'n in':>5} {'n out':>5} {'hit@5':>6} {'MRR@5':>6} {'cites gold':>10} "
        f"{'wrongly abst.':>13} {'out abst.':>9} {'cit. valid':>10} {'p50 ms':>7}"
    )
    lines = [header, "-" * len(header)]
    for f in figures:
        lines.append(
            f"{f.name:<24} {len(f.in_scope):>5} {f.n_out:>5} {f.search.hit_at(5):>6.3f} {f.search.mrr5:>6.3f} "
            f"{f.answers.cites_gold:>10.3f} {f.answers.wrong_abstentions:>13.3f} "
            f"{f.answers.out_of_scope_abstained:>9.3f} {f.answers.citation_validity:>10.3f} {f.answers.p50_ms:>7.0f}"
        )
    lines.append("bars: hit@5 >= 0.85 and cites gold >= 0.80 in each script; out of scope abstained as in English")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Topic routing (issue 5): accuracy and a confusion table of assistant/topics.py


@dataclass
class TopicFigures:
    """Gold and predicted topic per question, in question order."""

    name: str
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(g == p for g, p in zip(self.gold, self.predicted)) / max(len(self.gold), 1)

    def confusion_table(self, labels: Sequence[str] | None = None) -> str:
        """Rows: gold topic; columns: predicted topic; last column: per-topic recall."""
        labels = list(labels or dict.fromkeys(self.gold + self.predicted))
        short = {label: label[:6] for label in labels}
        width = max(len(label) for label in labels) + 2
        corner = "gold / predicted"
        width = max(width, len(corner) + 2)
        lines = [f"{corner:<{width}}" + "".join(f"{short[label]:>8}" for label in labels) + f"{'recall':>8}"]
        for gold in labels:
            row = [sum(1 for g, p in zip(self.gold, self.predicted) if g == gold and p == pred) for pred in labels]
            total = sum(row)
            recall = f"{row[labels.index(gold)] / total:.2f}" if total else "-"
            lines.append(f"{gold:<{width}}" + "".join(f"{n:>8}" for n in row) + f"{recall:>8}")
        return "\n".join(lines)

    def errors(self) -> list[str]:
        return [f"{g} -> {p}: {q}" for g, p, q in zip(self.gold, self.predicted, self.questions) if g != p]


def load_topic_questions(path: Path) -> list[tuple[str, str]]:
    """(question, topic) pairs of a JSONL file whose lines have 'question' and 'topic'."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [(row["question"], row["topic"]) for row in rows]


def run_topic_eval(index: Index, pairs: Sequence[tuple[str, str]], name: str = "topics") -> TopicFigures:
    """Classify each question as triage does without composing an answer: the question's
    embedding against the topic centroids, plus the vote of its top retrieved passages."""
    from assistant.topics import TopicClassifier

    retriever = Retriever(index)
    classifier = TopicClassifier(index.embedder)
    figures = TopicFigures(name)
    for question, topic in pairs:
        passages = [hit.passage for hit in retriever.run(question, k=5)]
        figures.gold.append(topic)
        figures.predicted.append(classifier.classify(question, passages).topic)
        figures.questions.append(question)
    return figures


def topic_tables(index: Index, evals_dir: Path) -> str:
    """Topic accuracy and confusion on evals/topics.jsonl, and accuracy on the in-scope questions
    of the question sets that carry topics (questions.jsonl labels every out-of-scope question
    'general'; new_documents.jsonl covers monitoring, laboratories and hospital waste)."""
    from assistant.topics import default_taxonomy

    labels = default_taxonomy().labels
    main = run_topic_eval(index, load_topic_questions(evals_dir / "topics.jsonl"), "topics.jsonl")
    others = []
    for name in ("questions.jsonl", "new_documents.jsonl"):
        if (evals_dir / name).is_file():
            questions = load_questions(evals_dir / name)
            others.append(run_topic_eval(index, [(q.question, q.topic) for q in questions if q.in_scope], f"{name} in scope"))
    return "\n".join(
        [
            "Topic routing (bar: accuracy >= 0.85)",
            f"{'set':<28} {'n':>4} {'accuracy':>9}",
            *(f"{f.name:<28} {len(f.gold):>4} {f.accuracy:>9.3f}" for f in [main, *others]),
            "",
            f"Confusion, {main.name} (rows gold, columns predicted)",
            main.confusion_table(labels),
        ]
    )


# ---------------------------------------------------------------------------------------------
# Project screening (issue 14): `cpassist screen` against descriptions with a gold requirement


@dataclass
class ScreeningFigures:
    """Requirement accuracy of `cpassist screen` on a set of described projects."""

    total: int
    correct: int
    need_more: int
    need_more_correct: int
    confident_without_figure: int
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / max(self.total, 1)

    def table(self) -> str:
        share = f"{self.need_more_correct}/{self.need_more}" + (
            f" ({self.need_more_correct / self.need_more:.1%})" if self.need_more else ""
        )
        return "\n".join([
            f"  descriptions                                {self.total}",
            f"  requirement right                           {self.correct}/{self.total} ({self.accuracy:.1%})   bar >= 95%",
            f"  'need more information' cases right         {share}",
            f"  confident answers with the figure missing   {self.confident_without_figure}   bar = 0",
        ])


def is_screening_file(path: Path) -> bool:
    """Whether a JSONL file holds screening cases (a description each) rather than questions."""
    with Path(path).open(encoding="utf-8") as handle:
        first = next((line for line in handle if line.strip()), "")
    return bool(first) and "description" in json.loads(first)


def load_screening_cases(path: Path) -> list[dict]:
    """One JSON object a line: id, description, requirement (and schedule, entry, missing, why)."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def run_screening_eval(screen: Callable[[str], str], cases: Sequence[dict]) -> ScreeningFigures:
    """Score `screen(description) -> requirement` on the cases."""
    confident = ("checklist", "IEE", "EIA")
    correct = need_more = need_more_correct = confident_missing = 0
    failures = []
    for case in cases:
        got, want = screen(case["description"]), case["requirement"]
        correct += got == want
        if want == "need more information":
            need_more += 1
            need_more_correct += got == want
            confident_missing += got in confident
        if got != want:
            failures.append(f"{case.get('id', '?')}: {case['description']!r}: {got} (expected {want})")
    return ScreeningFigures(len(cases), correct, need_more, need_more_correct, confident_missing, failures)
