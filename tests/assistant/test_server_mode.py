"""Server mode: the dense index in a real Chroma server, passages/BM25/manifest on local disk.

One `chroma run` on 127.0.0.1 (a free port, a tmp data folder) serves the whole module; each
test uses its own collection prefix, as two indexes sharing one server must. The embedder is
the real MiniLM (session fixture), and the embedded store used for comparison is the session's
`retrieval_index`.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import chroma_server  # tests/ is on sys.path: pytest puts a conftest's folder there
import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant import store
from assistant.index import Index
from assistant.retrieval import Filters, Retriever

QUERIES = [
    "Do I need an EIA before starting construction of a project?",
    "How can a mill cut fuel use in the boiler house?",
    "What must a Party do with stockpiles of obsolete pesticides?",
    "counter-current rinsing in the dye house",
    "What is the COD limit for discharge into inland waters?",
    "dioxins and furans from waste incinerators",
    "Can the Agency order a factory to install pollution control equipment?",
    "insulation of steam pipes payback",
]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A real Chroma server for this module: yields the running ChromaServer (its .url, .path)."""
    with chroma_server.ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data") as server:
        yield server


@pytest.fixture(scope="module")
def chroma_url(chroma) -> str:
    return chroma.url


@pytest.fixture
def server_client(chroma_url: str) -> chromadb.ClientAPI:
    """A plain HttpClient for looking at what the server holds."""
    port = int(chroma_url.rsplit(":", 1)[1])
    return chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))


def _prefix() -> str:
    return f"t{uuid.uuid4().hex[:8]}"


def _names(client: chromadb.ClientAPI, prefix: str) -> set[str]:
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    return {n for n in names if n.startswith(prefix + "-")}


def _vector_ids(client: chromadb.ClientAPI, collection: str, doc_id: str | None = None) -> dict[str, list[float]]:
    found = client.get_collection(collection).get(where={"doc_id": doc_id} if doc_id else None, include=["embeddings"])
    return {i: [round(float(x), 5) for x in e] for i, e in zip(found["ids"], found["embeddings"])}


def _md(title: str, heading: str, body: str) -> str:
    return f"---\ntitle: {title}\ndoc_type: report\n---\n\n## {heading}\n\n{body}\n"


SMALL = {
    "boilers.md": _md("Boilers", "Heat recovery", "Economisers recover heat from boiler flue gas and cut fuel use."),
    "effluent.md": _md("Effluent", "Treatment", "Activated sludge treats textile effluent before discharge."),
    "chemicals.md": _md("Chemicals", "Storage", "Dye auxiliaries are stored in a bunded area with spill kits."),
}


# ---------------------------------------------------------------------------------------------


def test_server_and_embedded_return_the_same_results(
    retrieval_index: Index, chroma_url: str, server_client, tmp_path: Path, build, embedder
) -> None:
    prefix = _prefix()
    settings = build.settings_for(
        tmp_path, build.retrieval_corpus(tmp_path / "corpus"), min_words=20, chroma_url=chroma_url, collection_prefix=prefix
    )
    report = Index(settings, embedder=embedder).ingest(progress=False)
    assert not report.skipped and report.generation == 1
    assert report.passages == len(retrieval_index.snapshot().passages)

    # A fresh reader (as another process would be) finds the index through current.json.
    served = Retriever(Index(settings, embedder=embedder))
    local = Retriever(retrieval_index)
    for query in QUERIES:
        for filters in (None, Filters(doc_types=("law-digest", "mea-digest"))):
            a, b = local.run(query, k=5, filters=filters), served.run(query, k=5, filters=filters)
            assert [h.passage.id for h in a] == [h.passage.id for h in b], query
            for x, y in zip(a, b):
                assert y.score == pytest.approx(x.score, abs=1e-9)
                assert (x.dense is None) == (y.dense is None)
                if x.dense is not None:
                    assert y.dense == pytest.approx(x.dense, abs=1e-4)
                assert x.keyword == y.keyword

    # The vectors (MiniLM's and the multilingual set) live on the server only; passages, BM25
    # and the manifest stay local.
    assert _names(server_client, prefix) == {f"{prefix}-g1", f"{prefix}-g1-ml"}
    index_dir = Path(settings.index_dir)
    assert not (index_dir / "chroma").exists()
    assert {p.name for p in (index_dir / "g1").iterdir()} == {"passages.jsonl", "files.json", "keyword"}
    snapshot = Index(settings, embedder=embedder).snapshot()
    expected = {f"{p.id}#{n}" for p in snapshot.passages.values() for n in range(len(p.windows()))}
    assert set(_vector_ids(server_client, f"{prefix}-g1")) == expected
    assert set(_vector_ids(server_client, f"{prefix}-g1-ml")) == {i for i, p in snapshot.passages.items() if not p.is_table_row}


def test_incremental_ingest_against_the_server(
    chroma_url: str, server_client, corpus: Path, make_settings, embedder
) -> None:
    prefix = _prefix()
    for name, text in SMALL.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = make_settings(corpus, chroma_url=chroma_url, collection_prefix=prefix)
    index = Index(settings, embedder=embedder)
    first = index.ingest(progress=False)
    assert first.generation == 1 and first.embedded == 3 and sorted(first.added) == sorted(SMALL)
    g1 = _vector_ids(server_client, f"{prefix}-g1")

    # Nothing changed: nothing embedded, no new generation, nothing new on the server.
    again = Index(settings, embedder=embedder).ingest(progress=False)
    assert again.embedded == 0 and again.generation == 1 and not again.changed
    assert sorted(again.unchanged) == sorted(SMALL)
    assert _names(server_client, prefix) == {f"{prefix}-g1", f"{prefix}-g1-ml"}

    # One file changes: only its passages are embedded; its vectors are replaced, the others copied.
    (corpus / "effluent.md").write_text(
        _md("Effluent", "Treatment", "Membrane bioreactors polish textile effluent before reuse."), encoding="utf-8"
    )
    update = Index(settings, embedder=embedder).ingest(progress=False)
    assert update.updated == ["effluent.md"] and update.embedded == 1 and update.generation == 2
    g2 = _vector_ids(server_client, f"{prefix}-g2")
    for collection in ("g{}", "g{}-ml"):  # both vector sets move in step
        old, new = f"{prefix}-{collection.format(1)}", f"{prefix}-{collection.format(2)}"
        for doc_id in ("boilers", "chemicals"):
            assert _vector_ids(server_client, new, doc_id) == _vector_ids(server_client, old, doc_id)
        old_effluent = _vector_ids(server_client, old, "effluent")
        new_effluent = _vector_ids(server_client, new, "effluent")
        assert len(new_effluent) == 1 and old_effluent != new_effluent
    assert len(g2) == len(g1)
    hits = Retriever(Index(settings, embedder=embedder)).run("membrane bioreactor", k=1)
    assert hits[0].passage.doc_id == "effluent" and "Membrane" in hits[0].passage.text
    # The previous generation is kept until the next ingest, for readers that opened it.
    assert _names(server_client, prefix) == {f"{prefix}-g1", f"{prefix}-g1-ml", f"{prefix}-g2", f"{prefix}-g2-ml"}

    # A removal makes generation 3; generation 1's collection is dropped on the server.
    (corpus / "chemicals.md").unlink()
    removal = Index(settings, embedder=embedder).ingest(progress=False)
    assert removal.removed == ["chemicals.md"] and removal.embedded == 0 and removal.generation == 3
    assert _names(server_client, prefix) == {f"{prefix}-g2", f"{prefix}-g2-ml", f"{prefix}-g3", f"{prefix}-g3-ml"}
    g3 = server_client.get_collection(f"{prefix}-g3").get(include=["metadatas"])
    assert {m["doc_id"] for m in g3["metadatas"]} == {"boilers", "effluent"}
    assert set(g3["ids"]) == set(g2) - set(_vector_ids(server_client, f"{prefix}-g2", "chemicals"))
    g3_passages = Index(settings, embedder=embedder).snapshot().passages
    assert set(_vector_ids(server_client, f"{prefix}-g3-ml")) == {i for i, p in g3_passages.items() if not p.is_table_row}
    assert sorted(p.name for p in Path(settings.index_dir).glob("g*")) == ["g2", "g3"]
    assert not (Path(settings.index_dir) / "chroma").exists()


def test_other_prefixes_on_the_same_server_are_left_alone(
    chroma_url: str, server_client, corpus: Path, make_settings, embedder
) -> None:
    """Two indexes (two index_dirs, two prefixes) can share one server."""
    other = server_client.get_or_create_collection(f"{_prefix()}-g1")
    other.add(ids=["x"], embeddings=[[0.0] * 383 + [1.0]], documents=["x"])
    (corpus / "boilers.md").write_text(SMALL["boilers.md"], encoding="utf-8")
    prefix = _prefix()
    settings = make_settings(corpus, chroma_url=chroma_url, collection_prefix=prefix)
    for text in ("Economisers cut fuel use.", "Condensate return saves water.", "Lagging steam lines pays back."):
        (corpus / "boilers.md").write_text(_md("Boilers", "Heat", text), encoding="utf-8")
        Index(settings, embedder=embedder).ingest(progress=False)
    assert _names(server_client, prefix) == {f"{prefix}-g2", f"{prefix}-g2-ml", f"{prefix}-g3", f"{prefix}-g3-ml"}
    assert server_client.get_collection(other.name).count() == 1


def test_unreachable_server_fails_fast_with_a_clear_error(corpus: Path, make_settings, embedder) -> None:
    url = f"http://127.0.0.1:{chroma_server.free_port()}"  # nothing listens there
    (corpus / "boilers.md").write_text(SMALL["boilers.md"], encoding="utf-8")
    settings = make_settings(corpus, chroma_url=url)
    started = time.monotonic()
    with pytest.raises(store.ChromaUnreachable) as caught:
        Index(settings, embedder=embedder).ingest(progress=False)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert url in message and "CPASSIST_CHROMA_URL" in message and "chroma run" in message
    assert isinstance(caught.value, RuntimeError)  # the CLI turns RuntimeError into a clean message
    assert not (Path(settings.index_dir) / "current.json").exists()


def test_server_that_never_answers_is_bounded(monkeypatch: pytest.MonkeyPatch, make_settings) -> None:
    """A port that accepts connections but never replies (a hung server) must not hang the client."""
    monkeypatch.setattr(store, "CONNECT_TIMEOUT", 1.0)
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # never accept(): the handshake completes in the backlog, no reply ever comes
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(store.ChromaUnreachable, match="cannot reach the Chroma server"):
            Index(make_settings(chroma_url=url)).client
        assert time.monotonic() - started < 5
    finally:
        silent.close()


def test_bad_url_is_refused(make_settings) -> None:
    with pytest.raises(ValueError, match="http://HOST:PORT"):
        Index(make_settings(chroma_url="localhost")).client


def test_searching_after_the_server_went_away_is_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, make_settings, embedder
) -> None:
    with chroma_server.ChromaServer(tmp_path_factory.mktemp("short-lived") / "data") as server:
        (corpus / "boilers.md").write_text(SMALL["boilers.md"], encoding="utf-8")
        settings = make_settings(corpus, chroma_url=server.url)
        assert Index(settings, embedder=embedder).ingest(progress=False).generation == 1
    started = time.monotonic()
    with pytest.raises(store.ChromaUnreachable):
        Retriever(Index(settings, embedder=embedder)).run("boiler heat recovery")
    assert time.monotonic() - started < 10


def test_switching_an_index_between_embedded_and_server_rebuilds_it(
    chroma_url: str, server_client, corpus: Path, make_settings, embedder
) -> None:
    """Vectors do not move between stores: the other store's generation is not used, the next ingest rebuilds."""
    for name, text in SMALL.items():
        (corpus / name).write_text(text, encoding="utf-8")
    prefix = _prefix()
    embedded = make_settings(corpus, collection_prefix=prefix)
    assert Index(embedded, embedder=embedder).ingest(progress=False).generation == 1

    served = make_settings(corpus, chroma_url=chroma_url, collection_prefix=prefix)
    assert Index(served, embedder=embedder).snapshot() is None  # not a silently empty dense side
    report = Index(served, embedder=embedder).ingest(progress=False)
    assert report.embedded == 3 and report.generation == 2 and sorted(report.added) == sorted(SMALL)
    assert _names(server_client, prefix) == {f"{prefix}-g2", f"{prefix}-g2-ml"}
    hits = Retriever(Index(served, embedder=embedder)).run("spill kits for dye auxiliaries", k=1)
    assert hits[0].passage.doc_id == "chemicals" and hits[0].dense is not None

    # And back: the embedded store's generation 1 is not reused either.
    assert Index(embedded, embedder=embedder).snapshot() is None
    back = Index(embedded, embedder=embedder).ingest(progress=False)
    assert back.embedded == 3 and back.generation == 3
    assert Retriever(Index(embedded, embedder=embedder)).run("spill kits", k=1)[0].dense is not None
