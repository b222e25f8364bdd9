"""The screening matcher: MiniLM with its six encoder layers fine-tuned here to place a lay
description ("daal splitting mill", "bhatta", "RLNG-fired IPP") near the 2021 schedule entry it
belongs to, and an activity no entry lists near the other unlisted ones.

The shipped MiniLM places "Road project on 40 acres" closest to irrigation and "juice and fruit
pulp factory" to paper pulp. Trained on the shipped lay descriptions alone
(`training/screening/train_matcher.py`; the development sets choose, never train), it screened
fresh development sets written after it better than the plain model (README, session 15). Only
the encoder layers are stored (in float16, about 21 MB): the word embeddings stay those of the
shipped package, which loads first.

The weights belong to the shipped MiniLM: with any other embedder the screener uses that
embedder as it is.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.embeddings import MiniLMEmbeddings, shipped_model_path

log = logging.getLogger(__name__)

MATCHER_FILE = Path(__file__).resolve().parent.parent / "data" / "screening_matcher.safetensors"
TRAINED_PREFIX = "encoder."


class MatcherEmbeddings(MiniLMEmbeddings):
    """The shipped MiniLM with the matcher's encoder layers: its own model object (the index's
    model stays as it is), and its own name, so stored table vectors of the two never mix."""

    def __init__(self, weights: Path = MATCHER_FILE, batch_size: int = 32) -> None:
        super().__init__(shipped_model_path(), batch_size)
        self.weights = Path(weights)
        self._digest = hashlib.sha256(self.weights.read_bytes()).hexdigest()[:12]

    @property
    def name(self) -> str:
        return f"all-MiniLM-L6-v2-screening-{self._digest}"

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = _tuned(str(self.model_path), str(self.weights), self._digest)
        return self._model


@lru_cache(maxsize=2)
def _tuned(model_path: str, weights: str, digest: str):
    """A fresh copy of the shipped model with the trained encoder layers loaded over it."""
    import torch
    from safetensors.torch import load_file
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    log.info("loading the screening matcher %s (%s)", weights, digest)
    model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    transformer = model[0].auto_model
    trained = {name: tensor.float() for name, tensor in load_file(weights).items()}
    unknown = set(trained) - set(transformer.state_dict())
    if unknown or not trained:
        raise ValueError(f"{weights} does not fit the shipped MiniLM ({len(unknown)} unknown tensors)")
    transformer.load_state_dict(trained, strict=False)
    model.eval()
    return model


def matcher_for(embedder: Embeddings, weights: Path = MATCHER_FILE) -> Embeddings:
    """The matcher where the index uses the shipped MiniLM and its weights are present; the
    index's own embedder otherwise."""
    if not isinstance(embedder, MiniLMEmbeddings) or isinstance(embedder, MatcherEmbeddings):
        return embedder
    if embedder.model_path.resolve() != shipped_model_path().resolve() or not weights.is_file():
        return embedder
    return MatcherEmbeddings(weights, embedder.batch_size)
