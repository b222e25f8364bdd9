"""The query adapter: a trained linear map of question vectors, used only with its own embedder."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from assistant.gold import normalise
from assistant.index import Index
from assistant.query_adapter import ADAPTER_FILE, QueryAdapter, adapted, load_adapter
from assistant.retrieval import WINDOWS_PER_PASSAGE, Filters, Retriever

ROOT = Path(__file__).resolve().parents[2]


class _Named:
    def __init__(self, name: str) -> None:
        self.name = name


def test_a_zero_correction_leaves_the_vector_as_it_is() -> None:
    vector = np.random.default_rng(1).normal(size=8).astype(np.float32)
    vector /= np.linalg.norm(vector)
    adapter = QueryAdapter(np.zeros((8, 8), dtype=np.float32), "m", frozenset({"a"}))
    assert adapted(vector.tolist(), adapter) == pytest.approx(vector.tolist(), abs=1e-6)


def test_the_moved_vector_is_a_unit_vector_and_round_trips_through_the_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    adapter = QueryAdapter(rng.normal(scale=0.1, size=(8, 8)).astype(np.float32), "m", frozenset({"a", "b"}))
    adapter.save(tmp_path / "a.npz")
    again = load_adapter(tmp_path / "a.npz")
    assert again is not None and (again.embedder, again.documents) == ("m", frozenset({"a", "b"}))
    moved = again.apply(rng.normal(size=8))
    assert float(np.linalg.norm(moved)) == pytest.approx(1.0, abs=1e-5)
    assert adapted([0.5] * 4, again) == []
    assert load_adapter(tmp_path / "missing.npz") is None


def test_it_fits_only_its_embedder_on_an_index_holding_every_document_it_was_trained_on() -> None:
    adapter = QueryAdapter(np.zeros((8, 8), dtype=np.float32), "m", frozenset({"a", "b"}))
    assert adapter.fits(_Named("m"), {"a", "b", "user-added"})
    assert not adapter.fits(_Named("m"), {"a"})
    assert not adapter.fits(_Named("other-model"), {"a", "b"})


def test_the_shipped_adapter_belongs_to_the_shipped_embedder_and_corpus(embedder) -> None:
    adapter = load_adapter(ADAPTER_FILE)
    assert adapter is not None and adapter.embedder == embedder.name
    assert adapter.correction.shape == (384, 384)
    shipped = {path.stem for path in (ROOT / "corpus" / "documents").iterdir() if path.suffix in {".md", ".pdf", ".docx", ".csv"}}
    assert adapter.documents and adapter.documents <= shipped
    vector = embedder.embed_query("What building documents must accompany the application form?")
    moved = adapted(vector, adapter)
    assert len(moved) == 384 and moved != pytest.approx(vector, abs=1e-3)


def test_another_corpus_is_searched_with_the_plain_vector_only(retrieval_index: Index) -> None:
    """The shipped adapter was trained on other documents than the tests' small corpus."""
    query = Retriever(retrieval_index).prepare("How do dyeing mills use less rinse water?")
    assert query.vector and query.adapted_vector == []


def test_the_adapted_ranking_takes_the_plain_vectors_place_in_the_fusion(retrieval_index: Index, embedder) -> None:
    """Each passage the moved vector finds gains adapted_weight / (rrf_k + its rank there) and loses
    the plain vector's rank share; the evidence keeps reading the plain vector's similarity."""
    settings = retrieval_index.settings
    rng = np.random.default_rng(3)
    adapter = QueryAdapter(
        rng.normal(scale=0.2, size=(384, 384)).astype(np.float32), embedder.name, frozenset(retrieval_index.snapshot().files)
    )
    question = "How do dyeing mills use less rinse water?"
    plain_retriever = Retriever(retrieval_index, settings.model_copy(update={"adapted_weight": 0.0}), adapter)
    adapted_retriever = Retriever(retrieval_index, settings.model_copy(update={"adapted_weight": 3.0}), adapter)
    query = adapted_retriever.prepare(question)
    assert query.adapted_vector and plain_retriever.prepare(question).adapted_vector == []
    snapshot = retrieval_index.snapshot()
    moved = adapted_retriever._nearest(snapshot, snapshot.collection, query.adapted_vector, 50, Filters(), WINDOWS_PER_PASSAGE)
    unmoved = adapted_retriever._nearest(snapshot, snapshot.collection, query.vector, 50, Filters(), WINDOWS_PER_PASSAGE)
    assert [passage_id for passage_id, _ in moved] != [passage_id for passage_id, _ in unmoved]
    plain = {hit.passage.id: hit for hit in plain_retriever.run(question, k=50)}
    both = {hit.passage.id: hit for hit in adapted_retriever.run(question, k=50)}
    moved_rank = {passage_id: rank for rank, (passage_id, _) in enumerate(moved, start=1)}
    for passage_id, hit in both.items():
        before = plain.get(passage_id)
        expected = before.score if before else 0.0
        if before and before.dense_rank:
            expected -= settings.dense_weight / (settings.rrf_k + before.dense_rank)
        if passage_id in moved_rank:
            expected += 3.0 / (settings.rrf_k + moved_rank[passage_id])
        assert hit.score == pytest.approx(expected), passage_id
        assert hit.adapted_rank == moved_rank.get(passage_id)
        assert hit.dense == (before.dense if before else None)


def test_a_passage_only_the_adapter_found_still_gets_the_plain_similarity(retrieval_index: Index, embedder) -> None:
    """The abstention evidence reads the plain vector's similarity of the top passages: a passage
    the adapted ranking brought up from outside the plain list gets its own, not none (read as 0)."""
    rng = np.random.default_rng(3)
    adapter = QueryAdapter(
        rng.normal(scale=0.2, size=(384, 384)).astype(np.float32), embedder.name, frozenset(retrieval_index.snapshot().files)
    )
    settings = retrieval_index.settings.model_copy(update={"adapted_weight": 3.0, "candidates": 3})
    retriever = Retriever(retrieval_index, settings, adapter)
    question = "How do dyeing mills use less rinse water?"
    query = retriever.prepare(question)
    snapshot = retrieval_index.snapshot()
    every = dict(retriever._nearest(snapshot, snapshot.collection, query.vector, 10_000, Filters(), WINDOWS_PER_PASSAGE))
    hits = retriever.run_query(query, k=5)
    assert any(hit.dense_rank is None for hit in hits)  # found by the adapter alone
    for hit in hits:
        assert hit.dense == pytest.approx(every[hit.passage.id], abs=1e-4), hit.passage.id


def test_the_adapter_never_trained_on_an_eval_or_development_question() -> None:
    spec = importlib.util.spec_from_file_location("train_adapter", ROOT / "training" / "retrieval" / "train_adapter.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    chosen = script.training_questions()
    evals = {
        normalise(row["question"])
        for path in (ROOT / "evals").glob("*.jsonl")
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if "question" in row
    }
    dev_rows = [json.loads(line) for path in (ROOT / "training" / "dev").glob("*.jsonl") for line in path.read_text(encoding="utf-8").splitlines()]
    dev, dev_words = {row["id"] for row in dev_rows}, {normalise(row["question"]) for row in dev_rows}
    trained = [row for row, is_dev in chosen if not is_dev]
    assert len(trained) > 1500
    assert not any(normalise(row["question"]) in evals for row, _ in chosen)
    assert not any(row["id"] in dev or normalise(row["question"]) in dev_words for row in trained)
    assert all(row["id"] in dev or normalise(row["question"]) in dev_words for row, is_dev in chosen if is_dev)
