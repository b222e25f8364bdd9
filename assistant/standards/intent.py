"""Whether a question asks which approval a described project needs: "Our housing society will
be 80 acres. EIA?", "setting up a slaughter house in Karachi, which environmental assessment?".

The wording patterns in profile.py catch the common forms; people ask in many more. A logistic
head over the embedder's vector of the question, trained on labelled training questions
(training/screening/intent.jsonl; `python training/screening/train_intent.py` rebuilds it), catches
the rest, and overrules the patterns where it is sure they misread a question about the rules
("On what basis is an IEE or EIA reviewed under regulation 12(5)?" has the words of "X: IEE or
EIA?"). Its weights belong to one embedder: with another, the head is not used and only the
wording decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

HEAD_FILE = Path(__file__).resolve().parent.parent / "data" / "screening_intent.npz"
# Below this probability a question the wording patterns route is not taken for an approval
# question: in five-fold cross-validation on intent.jsonl, 5 of the 7 pattern-routed questions
# labelled false scored under 0.02 and every one labelled true scored 0.087 or more.
NOT_ASKING = 0.05


@dataclass(frozen=True)
class IntentHead:
    """w . vector + b > logit(threshold): the question asks for a project's approval."""

    weights: np.ndarray
    bias: float
    threshold: float
    embedder: str

    def probability(self, vector: list[float] | np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(float(np.dot(self.weights, np.asarray(vector, dtype=np.float32))) + self.bias))))

    def save(self, path: Path) -> None:
        np.savez(path, weights=self.weights.astype(np.float32), bias=self.bias, threshold=self.threshold, embedder=self.embedder)


@lru_cache(maxsize=4)
def load_head(path: Path = HEAD_FILE) -> IntentHead | None:
    """The shipped head, or None when the file is missing or unreadable."""
    try:
        with np.load(path) as data:
            return IntentHead(
                data["weights"].astype(np.float32), float(data["bias"]), float(data["threshold"]), str(data["embedder"])
            )
    except (OSError, KeyError, ValueError):
        return None


def approval_probability(question: str, embedder, head: IntentHead | None = None) -> float | None:
    """The head's probability that the question asks which approval (checklist, IEE, EIA) or
    schedule a described project needs; None when there is no head for this embedder."""
    head = head or load_head()
    if head is None or getattr(embedder, "name", None) != head.embedder:
        return None
    vector = embedder.embed_query(question)
    if len(vector) != len(head.weights):
        return None
    return head.probability(vector)


def asks_for_approval(question: str, embedder, head: IntentHead | None = None) -> bool:
    """True when the head is confident the question asks for a project's approval."""
    head = head or load_head()
    probability = approval_probability(question, embedder, head)
    return probability is not None and probability >= head.threshold


def surely_not_approval(question: str, embedder, head: IntentHead | None = None) -> bool:
    """True when the head is sure the question does not ask for a project's approval."""
    probability = approval_probability(question, embedder, head)
    return probability is not None and probability < NOT_ASKING
