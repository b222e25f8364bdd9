"""StoredVectors: the structured tools' fixed texts are embedded once per change, not once per process."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.embeddings import StoredVectors


class Counting:
    """A stand-in embedder that counts the texts it is asked to embed (plumbing only)."""

    name = "counting/model"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += texts
        return [[float(len(text)), 1.0] for text in texts]


def test_texts_are_embedded_once_and_read_back_in_order(tmp_path: Path) -> None:
    embedder = Counting()
    first = StoredVectors(tmp_path).embed(embedder, ["tannery", "hospital", "tannery"], "screening")
    assert embedder.embedded == ["tannery", "hospital"]
    again = StoredVectors(tmp_path).embed(embedder, ["hospital", "tannery"], "screening")
    assert embedder.embedded == ["tannery", "hospital"]
    assert np.array_equal(again, first[[1, 0]])
    assert [p.name for p in tmp_path.iterdir()] == ["screening-counting-model.npz"]


def test_a_changed_text_alone_is_embedded_and_the_file_keeps_only_the_current_texts(tmp_path: Path) -> None:
    embedder = Counting()
    stored = StoredVectors(tmp_path)
    stored.embed(embedder, ["tannery", "hospital"], "screening")
    stored.embed(embedder, ["tannery", "cement plant"], "screening")
    assert embedder.embedded == ["tannery", "hospital", "cement plant"]
    with np.load(tmp_path / "screening-counting-model.npz") as kept:
        assert kept["texts"].tolist() == ["tannery", "cement plant"]


def test_an_unreadable_or_unwritable_store_only_costs_a_fresh_embedding(tmp_path: Path) -> None:
    embedder = Counting()
    (tmp_path / "screening-counting-model.npz").write_bytes(b"not a numpy file")
    assert StoredVectors(tmp_path).embed(embedder, ["tannery"], "screening").shape == (1, 2)
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    assert StoredVectors(blocked).embed(embedder, ["tannery"], "screening").shape == (1, 2)
    assert embedder.embedded == ["tannery", "tannery"]
