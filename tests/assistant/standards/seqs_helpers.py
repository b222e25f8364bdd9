"""What the standards tests share: the real SEQS table (the project copy when it exists, otherwise
the shared corpus copy), checking one lab row, writing a file in tmp_path.

Imported by name: tests/assistant/standards/ is on sys.path while its tests run.
"""

from __future__ import annotations

from pathlib import Path

from assistant.standards.check import check_rows
from assistant.standards.seqs import load_limits

REPO_ROOT = Path(__file__).resolve().parents[3]
PROJECT_CSV = REPO_ROOT / "corpus" / "documents" / "seqs-effluent-limits.csv"
SHARED_CSV = Path("/work/shared/corpus/seqs-effluent-limits.csv")


def seqs_csv() -> Path:
    """The project's copy of the table when present, else the shared corpus copy."""
    return PROJECT_CSV if PROJECT_CSV.exists() else SHARED_CSV


LIMITS = load_limits(seqs_csv())
BY_NAME = {limit.parameter: limit for limit in LIMITS}


def check_one(name: str, value: str, unit: str, receiving: str = "inland"):
    """Check a single lab row and return its RowResult."""
    return check_rows([(name, value, unit)], LIMITS, receiving).rows[0]


def write_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path
