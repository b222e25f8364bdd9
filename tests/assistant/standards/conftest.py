"""Fixtures of the standards tests: the real SEQS table, as a path and as Limit records, and a real
index of the four documents the project profile reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from seqs_helpers import LIMITS, seqs_csv

from assistant.index import Index
from assistant.settings import Settings
from assistant.standards.seqs import Limit

DOCUMENTS = Path(__file__).resolve().parents[3] / "corpus" / "documents"
FILES = (
    "sindh-eia-screening-schedules.csv",
    "sindh-environmental-assessment-regulations-2021-digest.md",
    "sindh-self-monitoring-rules-2014-digest.md",
    "seqs-effluent-limits.csv",
)


@pytest.fixture(scope="module")
def limits_path() -> Path:
    return seqs_csv()


@pytest.fixture(scope="module")
def limits() -> list[Limit]:
    return LIMITS


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, embedder, build) -> Settings:
    root = tmp_path_factory.mktemp("screen")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in FILES:
        shutil.copy(DOCUMENTS / name, corpus / name)
    settings = build.clean_settings(root, corpus)
    report = Index(settings, embedder=embedder).ingest(progress=False)
    assert not report.skipped
    return settings


@pytest.fixture(scope="session")
def snapshot(indexed: Settings, embedder):
    return Index(indexed, embedder=embedder).snapshot()
