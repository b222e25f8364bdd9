"""The keyword side of retrieval: a BM25 index (bm25s) over the same passage ids as Chroma.

Legal and standards text is full of exact terms ("section 17", "Annex III", "BOD5") that a
small embedding model blurs; BM25 keeps them. Tokens are lower-cased words, English stop words
removed, Snowball-stemmed; numbers and codes like 4a, y45 or bod5 are kept whole.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its logger to DEBUG on import

_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have how i if in into is it
    its me my of on or our shall should so than that the their them then there these they this those to
    under upon us was we were what when where which while who whom why will with would you your do does
    please tell need any about""".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    words = [word for word in _TOKEN.findall(text.lower()) if word not in STOPWORDS]
    return _stemmer().stemWords(words)


# A run of capitalised words, with the small words a name keeps inside it ("Director General",
# "Hospital Waste Management Plan", "Conference of the Parties").
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:(?:of|and|for|the|on|in|to)[ -])*[A-Z][a-z]+)+")
_NAME_CONNECTORS = frozenset({"of", "and", "for", "the", "on", "in", "to"})
MAX_INITIALS = 6


def capitalised_initials(texts: Iterable[str]) -> frozenset[str]:
    """The initials of each run of capitalised words in the texts and of its beginnings and ends
    of two to MAX_INITIALS words ("Sindh Environmental Protection Agency": SEPA, SEP, SE, EPA,
    PA; "Director General of the Agency": DGA, DG, GA), the small words inside a name left out."""
    found: set[str] = set()
    for text in texts:
        for run in _CAPITALISED_RUN.findall(text):
            initials = "".join(word[0] for word in re.split(r"[ -]", run) if word and word not in _NAME_CONNECTORS)
            for length in range(2, min(len(initials), MAX_INITIALS) + 1):
                found.update((initials[:length], initials[-length:]))
    return frozenset(found)


# The stems read as a misspelling of a corpus stem one letter off: not the shortest, and not
# a run of letters longer than any word (its one-letter variants would fill the memory).
MIN_SPELLED = 6
MAX_SPELLED = 24
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
    )


class KeywordIndex:
    """BM25 over passages, in the order of `ids`; search returns (passage id, score) pairs."""

    def __init__(self, ids: list[str], retriever: bm25s.BM25, document_frequency: dict[str, int]) -> None:
        self.ids = ids
        self._retriever = retriever
        self._position = {passage_id: i for i, passage_id in enumerate(ids)}
        self.document_frequency = document_frequency

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> KeywordIndex:
        retriever = bm25s.BM25()
        tokenized = [tokenize(text) or ["_"] for text in texts]
        if texts:
            retriever.index(tokenized, show_progress=False)
        frequency: Counter[str] = Counter()
        for tokens in tokenized:
            frequency.update(set(tokens))
        return cls(list(ids), retriever, dict(frequency))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.ids:
            self._retriever.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids))
        (folder / "df.json").write_text(json.dumps(self.document_frequency))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        ids = json.loads((folder / "ids.json").read_text())
        retriever = bm25s.BM25.load(str(folder), show_progress=False) if ids else bm25s.BM25()
        return cls(ids, retriever, json.loads((folder / "df.json").read_text()))

    def spelled(self, token: str) -> str:
        """The corpus's own stem for a stem it never uses that is one letter off one it does
        ("enviroment", "incinerat" for "incinerater"): the most frequent such stem, or the token
        as it is. Short stems are left alone: one letter turns "hard" into "yard"."""
        if token in self.document_frequency or not MIN_SPELLED <= len(token) <= MAX_SPELLED or not token.isalpha():
            return token
        near = [word for word in _one_edit(token) if word in self.document_frequency]
        return max(near, key=lambda word: (self.document_frequency[word], word)) if near else token

    def idf(self, token: str) -> float:
        """Inverse document frequency; a token the corpus never uses gets the highest value."""
        n = max(len(self.ids), 1)
        return math.log(1 + (n - self.document_frequency.get(token, 0) + 0.5) / (self.document_frequency.get(token, 0) + 0.5))

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        tokens = tokenize(query)
        if not tokens or not self.ids:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            for passage_id in allowed:
                if passage_id in self._position:
                    mask[self._position[passage_id]] = 1.0
        results = self._retriever.retrieve(
            [tokens], k=min(k, len(self.ids)), show_progress=False, weight_mask=mask, n_threads=1
        )
        return [
            (self.ids[int(doc)], float(score))
            for doc, score in zip(results.documents[0], results.scores[0])
            if score > 0
        ]
