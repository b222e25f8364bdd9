"""`cpassist eval`: retrieval (and answer) figures on the project's own question set.

Three systems run on the same corpus and questions in one run: ours (structure-aware passages,
dense + BM25 fused), BM25 alone over the same passages, and a plain LangChain pipeline
(RecursiveCharacterTextSplitter 1000/200 + the same embedder + Chroma). A result is a hit when
it comes from the gold document and contains the gold phrase (case and spacing ignored).
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Result:
    """One retrieved item as the metrics see it: its document and its text."""

    doc_id: str
    text: str


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


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.lower().split())


def load_questions(path: Path) -> list[Question]:
    with path.open(encoding="utf-8") as handle:
        return [Question(**json.loads(line)) for line in handle if line.strip()]


def gold_rank(question: Question, results: Sequence[Result]) -> int | None:
    phrase = normalise(question.gold_phrase or "")
    for rank, result in enumerate(results, start=1):
        if result.doc_id == question.doc_id and phrase in normalise(result.text):
            return rank
    return None


def measure(name: str, search: Callable[[str], list[Result]], questions: Sequence[Question]) -> SystemFigures:
    figures = SystemFigures(name)
    search(questions[0].question)
    for question in questions:
        started = time.perf_counter()
        results = search(question.question)
        figures.latencies.append(time.perf_counter() - started)
        figures.ranks.append(gold_rank(question, results))
    return figures


def ours(retriever: Retriever, k: int = 5) -> Callable[[str], list[Result]]:
    return lambda text: [Result(h.passage.doc_id, h.passage.text) for h in retriever.run(text, k=k)]


def bm25_only(index: Index, k: int = 5) -> Callable[[str], list[Result]]:
    snapshot = index.snapshot()
    assert snapshot is not None

    def search(text: str) -> list[Result]:
        return [Result(snapshot.passages[i].doc_id, snapshot.passages[i].text) for i, _ in snapshot.keyword.search(text, k)]

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
    systems = [measure("cp-assistant (fused, structured)", ours(Retriever(index)), in_scope)]
    if baselines:
        systems.append(measure("bm25 only (same passages)", bm25_only(index), in_scope))
        with tempfile.TemporaryDirectory(prefix="cpassist-baseline-") as workdir:
            systems.append(measure("langchain 1000/200 + MiniLM + Chroma", langchain_baseline(index, Path(workdir)), in_scope))
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
