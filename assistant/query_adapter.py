"""A linear map of question vectors towards the passages that answer them.

MiniLM places a question and its answering passage further apart than either is from text that
merely shares its words ("What building documents must accompany the application form?" lands on
the regulations about applications, not on the form's item that lists the building plan). A
384 x 384 matrix, trained on the training questions' (question, answering passage) pairs against
every other passage of the shipped corpus (training/retrieval/train_adapter.py rebuilds it), moves
the question vector; the passage vectors in the store stay as they are, so it needs no re-ingest
and can be switched off by a setting. Its weights belong to one embedder and one corpus: it is
used only with that embedder, on an index that holds every document it was trained on (a corpus
of other documents has other passages to move towards: on the tests' small corpus it ranked a
cooling-water passage above the boiler heat-recovery one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ADAPTER_FILE = Path(__file__).resolve().parent / "data" / "query_adapter.npz"


@dataclass(frozen=True)
class QueryAdapter:
    """v -> normalise(v + v M): the identity plus a learned correction."""

    correction: np.ndarray
    embedder: str
    documents: frozenset[str]

    def apply(self, vector: list[float] | np.ndarray) -> list[float]:
        v = np.asarray(vector, dtype=np.float32)
        moved = v + v @ self.correction
        norm = float(np.linalg.norm(moved))
        return (moved / norm).tolist() if norm else v.tolist()

    def save(self, path: Path) -> None:
        np.savez(
            path, correction=self.correction.astype(np.float32), embedder=self.embedder, documents=np.array(sorted(self.documents))
        )

    def fits(self, embedder, doc_ids: set[str] | frozenset[str]) -> bool:
        """Trained for this embedder, on documents all in this index."""
        return getattr(embedder, "name", None) == self.embedder and self.documents <= set(doc_ids)


@lru_cache(maxsize=4)
def load_adapter(path: Path = ADAPTER_FILE) -> QueryAdapter | None:
    """The shipped adapter, or None when the file is missing or unreadable."""
    try:
        with np.load(path) as data:
            return QueryAdapter(
                data["correction"].astype(np.float32), str(data["embedder"]), frozenset(str(d) for d in data["documents"])
            )
    except (OSError, KeyError, ValueError):
        return None


def adapted(vector: list[float], adapter: QueryAdapter) -> list[float]:
    """The question vector moved by the adapter; [] when their sizes differ."""
    if not vector or len(vector) != adapter.correction.shape[0]:
        return []
    return adapter.apply(vector)
