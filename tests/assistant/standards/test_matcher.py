"""The screening matcher: the shipped weights load over the shipped MiniLM without touching the
index's model, any other embedder is used as it is, and the training script writes weights that load."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant.standards.matcher import MATCHER_FILE, MatcherEmbeddings, matcher_for

ROOT = Path(__file__).resolve().parents[3]


def test_the_shipped_weights_are_small_and_hold_only_encoder_layers() -> None:
    from safetensors import safe_open

    assert MATCHER_FILE.stat().st_size <= 50 * 1024 * 1024
    with safe_open(str(MATCHER_FILE), framework="pt") as weights:
        names = list(weights.keys())
    assert names and all(name.startswith("encoder.layer.") for name in names)


def test_the_matcher_loads_over_the_shipped_minilm_and_leaves_its_model_alone(embedder) -> None:
    text = "daal cleaning and splitting mill"
    before = np.asarray(embedder.embed_query(text))
    matcher = matcher_for(embedder)
    assert isinstance(matcher, MatcherEmbeddings) and matcher.name != embedder.name
    tuned = np.asarray(matcher.embed_query(text))
    documents = np.asarray(matcher.embed_documents([text, "Pulses mills"]))
    assert abs(float(np.linalg.norm(tuned)) - 1.0) < 1e-4 and np.allclose(documents[0], tuned, atol=1e-5)
    assert float(tuned @ before) < 0.999, "the trained layers change the vector"
    assert np.allclose(np.asarray(embedder.embed_documents([text]))[0], before, atol=1e-5), "the index's model is untouched"
    assert matcher_for(matcher) is matcher


def test_without_weights_or_with_another_embedder_the_screener_uses_the_embedder_as_it_is(embedder, tmp_path: Path) -> None:
    assert matcher_for(embedder, tmp_path / "missing.safetensors") is embedder
    other = DeterministicFakeEmbedding(size=16)
    assert matcher_for(other) is other


@pytest.mark.slow
def test_the_training_script_writes_weights_that_load(embedder, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "training" / "screening"))
    try:
        from train_matcher import train
    finally:
        sys.path.remove(str(ROOT / "training" / "screening"))
    out = train(tmp_path / "matcher.safetensors", epochs=1, limit=8)
    matcher = matcher_for(embedder, out)
    assert isinstance(matcher, MatcherEmbeddings)
    assert len(matcher.embed_query("a 120-bed hospital")) == embedder.dimension
