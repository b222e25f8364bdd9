"""Fixtures of the standards tests: the real SEQS table, as a path and as Limit records."""

from __future__ import annotations

from pathlib import Path

import pytest
from seqs_helpers import LIMITS, seqs_csv

from assistant.standards.seqs import Limit


@pytest.fixture(scope="module")
def limits_path() -> Path:
    return seqs_csv()


@pytest.fixture(scope="module")
def limits() -> list[Limit]:
    return LIMITS
