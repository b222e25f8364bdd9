"""Queries keep working while an ingest runs, and each sees one generation, never a mix."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.index import Index
from assistant.retrieval import Retriever

pytestmark = pytest.mark.slow

DOCS = {
    f"topic-{n}.md": f"# Topic {n}\n\n## Section {n}\n\n"
    + " ".join(f"Cleaner production measure {n}.{k} reduces water and energy use in dyeing line {k}." for k in range(30))
    for n in range(6)
}


def _indexed_docs(tmp_path: Path, make_settings, embedder):
    """DOCS written to a corpus folder and indexed once; returns the folder and its settings."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = make_settings(corpus, min_words=20)
    Index(settings, embedder=embedder).ingest(progress=False)
    return corpus, settings


def test_queries_during_ingest_see_the_old_or_the_new_index(tmp_path: Path, make_settings, embedder) -> None:
    corpus, settings = _indexed_docs(tmp_path, make_settings, embedder)
    first = _contents(Index(settings, embedder=embedder))

    for name in list(DOCS)[:3]:
        (corpus / name).write_text(DOCS[name].replace("reduces", "cuts"), encoding="utf-8")
    (corpus / "topic-5.md").unlink()

    reader = Index(settings, embedder=embedder)
    retriever = Retriever(reader)
    seen: list[set[tuple[str, str]]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def query_loop() -> None:
        """Query until the ingest is over, then once more (that query must see generation 2)."""
        while True:
            finished = done.is_set()
            try:
                hits = retriever.run("water and energy in dyeing", k=10)
                seen.append({(h.passage.id, h.passage.content_hash) for h in hits})
            except BaseException as error:  # noqa: BLE001 - recorded and asserted on below
                errors.append(error)
                return
            if finished:
                return

    thread = threading.Thread(target=query_loop)
    thread.start()
    report = Index(settings, embedder=embedder).ingest(progress=False)
    done.set()
    thread.join(timeout=60)

    assert not errors, errors
    assert report.generation == 2 and report.updated and report.removed == ["topic-5.md"]
    second = _contents(Index(settings, embedder=embedder))
    assert first != second
    for results in seen:
        assert results <= first or results <= second, results
    assert results <= second and not results <= first


def _contents(index: Index) -> set[tuple[str, str]]:
    """(passage id, content hash) of every passage: ids are stable, contents tell generations apart."""
    return {(p.id, p.content_hash) for p in index.snapshot().passages.values()}


def test_many_threads_asking_at_once_get_the_answers_one_thread_gets(tmp_path: Path, make_settings, embedder) -> None:
    """The web UI answers up to ui.app.ASK_CONCURRENCY questions at once on one Assistant (issue 16)."""
    from concurrent.futures import ThreadPoolExecutor

    from assistant.pipeline import Assistant
    from assistant.schema import answer_json

    _, settings = _indexed_docs(tmp_path, make_settings, embedder)
    bot = Assistant(settings, Index(settings, embedder=embedder))
    questions = [f"How does measure {n}.{k} reduce water use in dyeing line {k}?" for n in range(6) for k in (1, 7)]
    questions += ["What is the capital of France?", "How much energy does topic 3 save?"]
    alone = {q: answer_json(bot.ask(q)) for q in questions}
    with ThreadPoolExecutor(max_workers=12) as pool:
        together = list(pool.map(lambda q: (q, answer_json(bot.ask(q))), questions * 4))
    assert all(answer == alone[q] for q, answer in together)


def test_a_query_is_encoded_once(embedder) -> None:
    from assistant.embeddings import _query_vector

    text = "How long does the Agency have to decide on an environmental impact assessment? (cache test)"
    first = embedder.embed_query(text)
    before = _query_vector.cache_info().hits
    again = embedder.embed_query(text)
    assert again == first and again is not first and _query_vector.cache_info().hits == before + 1
