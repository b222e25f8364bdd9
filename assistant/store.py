"""The dense side: Chroma, embedded (PersistentClient under index/) or a server (HttpClient).

Each index generation is its own collection, so an ingest builds the next one beside the
current one and readers never see a half-written collection. LangChain's Chroma VectorStore
wraps a collection for search; copying vectors between generations uses the client directly,
since the VectorStore API always re-embeds on add.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)

# Search explores 500 neighbours (Chroma's default is 100): the graph of a small collection is
# rebuilt on every load by parallel inserts, and at 100 a query for 120 windows missed the
# second-nearest passage in about half of the processes, so the same question got different
# answers from one run to the next. At 500 the search is exact on the shipped corpus.
_CONFIGURATION = {"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 500}}
_BATCH = 1000
CONNECT_TIMEOUT = 5.0  # seconds to reach a Chroma server (heartbeat, TCP connect)
REQUEST_TIMEOUT = 120.0  # seconds for one request to a Chroma server (a large add, a query)


def make_client(index_dir: Path, chroma_url: str = "") -> chromadb.ClientAPI:
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        if not url.hostname:
            raise ValueError(f"chroma_url must look like http://HOST:PORT, got {chroma_url!r}")
        _check_reachable(chroma_url)
        client = chromadb.HttpClient(
            host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https", settings=settings
        )
        # chromadb's HTTP session has no timeout at all: a server that stops answering would
        # hang a search forever. Bound it (private attribute, hence the guard).
        session = getattr(getattr(client, "_server", None), "_session", None)
        if session is not None:
            import httpx

            session.timeout = httpx.Timeout(REQUEST_TIMEOUT, connect=CONNECT_TIMEOUT)
        return client
    (index_dir / "chroma").mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=settings)


class ChromaUnreachable(RuntimeError):
    """The configured Chroma server did not answer its heartbeat."""


def _check_reachable(chroma_url: str) -> None:
    """GET /api/v2/heartbeat with a bounded wait, so a wrong URL fails fast and says which setting."""
    import urllib.error
    import urllib.request

    heartbeat = chroma_url.rstrip("/") + "/api/v2/heartbeat"
    try:
        with urllib.request.urlopen(heartbeat, timeout=CONNECT_TIMEOUT) as response:
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise ChromaUnreachable(
            f"cannot reach the Chroma server at {chroma_url} (setting chroma_url / CPASSIST_CHROMA_URL): "
            f"{reason}. Start one with `chroma run --path DIR --host 127.0.0.1 --port PORT`, "
            "or unset chroma_url to use the embedded store under index_dir."
        ) from None


def vector_store(client: chromadb.ClientAPI, name: str, embedder: Embeddings) -> Chroma:
    return Chroma(client=client, collection_name=name, embedding_function=embedder, collection_configuration=_CONFIGURATION)


def flat_metadata(metadata: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Chroma metadata holds scalars only: drop None, join lists."""
    flat: dict[str, str | int | float | bool] = {}
    for key, value in metadata.items():
        if value is None:
            continue
        flat[key] = " > ".join(map(str, value)) if isinstance(value, list) else value
    return flat


def copy_vectors(client: chromadb.ClientAPI, source: str, target: str, doc_ids: list[str]) -> int:
    """Copy every stored vector (with text and metadata) of the given documents to another collection."""
    if not doc_ids:
        return 0
    src = client.get_collection(source)
    dst = client.get_or_create_collection(target, configuration=_CONFIGURATION)
    copied = 0
    while True:
        batch = src.get(
            where={"doc_id": {"$in": doc_ids}},
            include=["embeddings", "documents", "metadatas"],
            limit=_BATCH,
            offset=copied,
        )
        if not len(batch["ids"]):
            return copied
        dst.add(
            ids=batch["ids"],
            embeddings=batch["embeddings"],
            documents=batch["documents"],
            metadatas=batch["metadatas"],
        )
        copied += len(batch["ids"])


def add_vectors(
    client: chromadb.ClientAPI,
    name: str,
    ids: list[str],
    embeddings: list[list[float]],
    documents: list[str],
    metadatas: list[dict[str, Any]],
) -> None:
    collection = client.get_or_create_collection(name, configuration=_CONFIGURATION)
    for start in range(0, len(ids), _BATCH):
        end = start + _BATCH
        collection.add(
            ids=ids[start:end],
            embeddings=embeddings[start:end],
            documents=documents[start:end],
            metadatas=[flat_metadata(m) for m in metadatas[start:end]],
        )


def drop_collections(client: chromadb.ClientAPI, prefix: str, keep: set[str]) -> None:
    """Delete this index's collections that no generation in `keep` uses (left by old or crashed ingests)."""
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name.startswith(prefix) and name not in keep:
            log.info("removing unused collection %s", name)
            client.delete_collection(name)
