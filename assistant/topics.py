"""Helpdesk topics: a small taxonomy (topics.toml) and a nearest-centroid classifier.

A question's score for each topic is its cosine similarity to the topic's centroid (the mean
embedding of the topic's labelled examples, with the index's own embedder) plus a vote from
the passages retrieved for it: each of the top passages votes, by rank, for the topic its
document and section map to under the taxonomy's rules (s.17 -> approvals, s.22 ->
enforcement, a convention's waste lists -> hazardous, its other articles -> conventions...).
See topics.toml for the weights and the rules.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assistant.passages import Passage

TAXONOMY_FILE = "topics.toml"


@dataclass(frozen=True)
class Topic:
    label: str
    name: str
    description: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """Passages of these doc types / doc ids (and, if given, these sections) belong to `topic`."""

    topic: str
    doc_types: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()

    def matches(self, passage: Passage) -> bool:
        if self.doc_types and passage.doc_type not in self.doc_types:
            return False
        if self.doc_ids and not any(fnmatch.fnmatch(passage.doc_id, pattern) for pattern in self.doc_ids):
            return False
        return not self.sections or (passage.section_id or "") in self.sections


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    rules: tuple[Rule, ...]
    vote_weight: float = 0.12
    vote_depth: int = 3

    @property
    def labels(self) -> list[str]:
        return [topic.label for topic in self.topics]

    def topic(self, label: str) -> Topic:
        return next(topic for topic in self.topics if topic.label == label)

    def passage_topic(self, passage: Passage) -> str | None:
        """The topic of the first rule matching the passage (None: no rule matches)."""
        return next((rule.topic for rule in self.rules if rule.matches(passage)), None)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The shipped taxonomy, or one from another TOML file of the same shape."""
    if path is None:
        text = resources.files("assistant").joinpath(TAXONOMY_FILE).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    topics = tuple(
        Topic(t["label"], t["name"], " ".join(t.get("description", "").split()), tuple(t["examples"]))
        for t in data["topics"]
    )
    labels = {t.label for t in topics}
    rules = []
    for r in data.get("rules", []):
        if r["topic"] not in labels:
            raise ValueError(f"{TAXONOMY_FILE}: rule names an unknown topic {r['topic']!r}")
        rules.append(
            Rule(r["topic"], tuple(r.get("doc_types", ())), tuple(r.get("doc_ids", ())), tuple(r.get("sections", ())))
        )
    return Taxonomy(topics, tuple(rules), float(data.get("vote_weight", 0.12)), int(data.get("vote_depth", 3)))


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()


@dataclass
class TopicResult:
    """The chosen topic and, per topic, the similarity, the vote share and the combined score."""

    topic: str
    scores: dict[str, float] = field(default_factory=dict)
    similarity: dict[str, float] = field(default_factory=dict)
    votes: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return default_taxonomy().topic(self.topic).name if self.topic in default_taxonomy().labels else self.topic


def _normalise(vector: Sequence[float]) -> list[float]:
    norm = sum(x * x for x in vector) ** 0.5 or 1.0
    return [x / norm for x in vector]


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


class TopicClassifier:
    """Nearest centroid over the taxonomy's examples, plus a vote of the retrieved passages."""

    def __init__(self, embedder, taxonomy: Taxonomy | None = None) -> None:
        self.embedder = embedder
        self.taxonomy = taxonomy or default_taxonomy()
        self._centroids: dict[str, list[float]] | None = None

    @property
    def centroids(self) -> dict[str, list[float]]:
        if self._centroids is None:
            centroids = {}
            for topic in self.taxonomy.topics:
                vectors = self.embedder.embed_documents(list(topic.examples))
                mean = [sum(column) / len(vectors) for column in zip(*vectors)]
                centroids[topic.label] = _normalise(mean)
            self._centroids = centroids
        return self._centroids

    def votes(self, passages: Sequence[Passage]) -> dict[str, float]:
        """Each of the top passages votes 1/rank for its rule's topic; shares sum to 1."""
        tally: dict[str, float] = {}
        for rank, passage in enumerate(passages[: self.taxonomy.vote_depth], start=1):
            topic = self.taxonomy.passage_topic(passage)
            if topic is not None:
                tally[topic] = tally.get(topic, 0.0) + 1.0 / rank
        total = sum(tally.values())
        return {topic: value / total for topic, value in tally.items()} if total else {}

    def classify(self, question: str, passages: Sequence[Passage] = (), vector: Sequence[float] | None = None) -> TopicResult:
        """Topic of `question`; `passages` are those retrieved for it, best first (optional)."""
        centroids = self.centroids
        query = _normalise(vector if vector is not None else self.embedder.embed_query(question))
        similarity = {label: round(_dot(query, centroid), 4) for label, centroid in centroids.items()}
        votes = self.votes(passages)
        weight = self.taxonomy.vote_weight
        scores = {label: round(similarity[label] + weight * votes.get(label, 0.0), 4) for label in centroids}
        best = max(self.taxonomy.labels, key=lambda label: scores[label])  # ties: taxonomy order
        return TopicResult(best, scores, similarity, votes)
